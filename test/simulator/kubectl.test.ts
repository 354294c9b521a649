import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSimulator, type Simulator } from '../../simulator/index.ts';

const run = promisify(execFile);

// kubectl only sends credentials over TLS (clientcmd drops auth info for
// http:// servers), so the test puts a TLS terminator in front of the
// simulator. Self-signed test-only key pair for 127.0.0.1, valid until 2125.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+XdNJgokV8gNrEv2
MOskhpj0lZYrydbQYG2lpSuCOTqhRANCAATBPE672IMIkfB3eX3xPezZrfDrfTNH
MMf5lc/mRbEudGBQY662EPZR4+AhBlZ0/CAXO39weFuOvkwmlX0qlLIH
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUQiAks3vmVYMS9aml/rsNsJqKD14wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMTAzNDkwOVoYDzIxMjYxMTA3
MDM0OTA5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATBPE672IMIkfB3eX3xPezZrfDrfTNHMMf5lc/mRbEudGBQY662EPZR
4+AhBlZ0/CAXO39weFuOvkwmlX0qlLIHo28wbTAdBgNVHQ4EFgQUlRAJm30nPGs7
SVKLvv3nXPq5A/cwHwYDVR0jBBgwFoAUlRAJm30nPGs7SVKLvv3nXPq5A/cwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAKjq45mgUslHHyQbHtUVeFpoqkU9+8s8O/kkTahVRlFhAiEA
yvd9q4NptaRRPKGW8CAIAQIbkXw1G9izyBi6OB+HRfY=
-----END CERTIFICATE-----`;

let sim: Simulator;
let front: Server;
let server: string;
let cacheDir: string;
const sockets = new Set<Socket>();

async function kubectl(user: string, ...args: string[]): Promise<string> {
  // No `which` check on purpose: a missing kubectl must fail (ENOENT), not skip.
  const { stdout } = await run(
    'kubectl',
    [
      '--kubeconfig=/dev/null',
      `--server=${server}`,
      '--insecure-skip-tls-verify',
      `--token=${sim.issueToken(user)}`,
      `--cache-dir=${cacheDir}`,
      '--request-timeout=20s',
      ...args,
    ],
    {
      env: { ...process.env, KUBECONFIG: '/dev/null' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

const columns = (line: string) => line.trim().split(/\s{2,}/);

beforeAll(async () => {
  sim = await startSimulator();
  cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  const target = new URL(sim.url);
  front = createServer({ key: KEY, cert: CERT }, (tls) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(tls).add(upstream);
    tls.on('close', () => sockets.delete(tls));
    upstream.on('close', () => sockets.delete(upstream));
    tls.pipe(upstream).pipe(tls);
    tls.on('error', () => upstream.destroy());
    upstream.on('error', () => tls.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address() as { port: number };
  server = `https://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => front.close(resolve));
  await sim.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('the stock kubectl against the simulator', () => {
  it('kubectl get nodes prints the server-side table', async () => {
    const lines = (await kubectl('admin', 'get', 'nodes')).trimEnd().split('\n');
    expect(columns(lines[0]!)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const rows = lines.slice(1).map(columns);
    expect(rows.map((r) => r[0])).toEqual([...DEMO.nodes.host]);
    expect(rows[0]!.slice(1, 3)).toEqual(['Ready', 'control-plane,master']);
    expect(rows[1]!.slice(1, 3)).toEqual(['Ready', 'worker']);
    expect(rows.every((r) => /^v1\.28\.\d+$/.test(r[4]!))).toBe(true);
  });

  it('kubectl get pods -A lists every pod with kubectl columns', async () => {
    const lines = (await kubectl('admin', 'get', 'pods', '-A')).trimEnd().split('\n');
    expect(columns(lines[0]!)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const rows = lines.slice(1).map(columns);
    const total = (await (await fetch(`${sim.url}/api/v1/pods`, { headers: { authorization: `Bearer ${sim.issueToken('admin')}` } })).json()).items.length;
    expect(rows.length).toBe(total);
    const crash = rows.find((r) => r[3] === 'CrashLoopBackOff')!;
    expect(crash[0]).toBe('demo-app');
    expect(crash[2]).toBe('0/1');
    expect(crash[4]).toMatch(/^17/);
    expect(rows.filter((r) => r[3] === 'Running').length).toBeGreaterThan(80);
    for (const status of ['Pending', 'Completed', 'Error', 'ImagePullBackOff'])
      expect(
        rows.some((r) => r[3] === status),
        status,
      ).toBe(true);
  });

  it('kubectl get deploy -n NS -o json prints the objects', async () => {
    const list = JSON.parse(await kubectl('admin', 'get', 'deploy', '-n', 'demo-app', '-o', 'json'));
    expect(list.kind).toBe('List');
    expect(list.items.map((d: { metadata: { name: string } }) => d.metadata.name).sort()).toEqual([...DEMO.deployments['demo-app']].sort());
    expect(list.items[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('kubectl sees KubeSphere authorization', async () => {
    await expect(kubectl('alice', 'get', 'pods', '-A')).rejects.toThrow(/Forbidden.*User "alice" cannot list resource "pods"/s);
    const own = await kubectl('alice', 'get', 'deploy', '-n', 'alpha-web');
    expect(own).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(own).toContain('web-canary');
  });
});
