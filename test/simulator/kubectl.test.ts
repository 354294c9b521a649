import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, RESOURCES, startSimulator, type Simulator } from '../../simulator/index.ts';

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
  return kubectlWith(sim, server, user, ...args);
}

async function kubectlWith(target: Simulator, serverUrl: string, user: string, ...args: string[]): Promise<string> {
  // No `which` check on purpose: a missing kubectl must fail (ENOENT), not skip.
  const { stdout } = await run(
    'kubectl',
    [
      '--kubeconfig=/dev/null',
      `--server=${serverUrl}`,
      '--insecure-skip-tls-verify',
      `--token=${target.issueToken(user)}`,
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

/** A TLS terminator in front of a simulator (kubectl sends tokens over TLS only). */
async function tlsFront(target: Simulator): Promise<{ front: Server; url: string }> {
  const upstreamUrl = new URL(target.url);
  const tls = createServer({ key: KEY, cert: CERT }, (socket) => {
    const upstream = connect(Number(upstreamUrl.port), upstreamUrl.hostname);
    sockets.add(socket).add(upstream);
    socket.on('close', () => sockets.delete(socket));
    upstream.on('close', () => sockets.delete(upstream));
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  return { front: tls, url: `https://127.0.0.1:${(tls.address() as { port: number }).port}` };
}

beforeAll(async () => {
  sim = await startSimulator();
  cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  ({ front, url: server } = await tlsFront(sim));
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

describe.each(['3.4', '4.1'] as const)('kubectl writes (%s)', (flavour) => {
  let target: Simulator;
  let tls: Server;
  let url: string;
  let dir: string;
  const k = (user: string, ...args: string[]) => kubectlWith(target, url, user, ...args);
  const json = async (...args: string[]) => JSON.parse(await k('admin', ...args, '-o', 'json'));

  beforeAll(async () => {
    target = await startSimulator({ flavour });
    ({ front: tls, url } = await tlsFront(target));
    dir = await mkdtemp(join(tmpdir(), 'kubectl-apply-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => tls.close(resolve));
    await target.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('kubectl scale changes replicas and the pods follow', async () => {
    await k('admin', 'scale', 'deployment/api', '--replicas=4', '-n', 'alpha-api');
    const d = await json('get', 'deployment', 'api', '-n', 'alpha-api');
    expect([d.spec.replicas, d.status.replicas]).toEqual([4, 4]);
  });

  it('kubectl delete pod removes it and the ReplicaSet replaces it', async () => {
    const pods = await json('get', 'pods', '-n', 'alpha-api', '-l', 'app=api');
    const victim = pods.items[0].metadata.name;
    await k('admin', 'delete', 'pod', victim, '-n', 'alpha-api');
    const after = await json('get', 'pods', '-n', 'alpha-api', '-l', 'app=api');
    expect(after.items.map((p: { metadata: { name: string } }) => p.metadata.name)).not.toContain(victim);
    expect(after.items.length).toBe(pods.items.length);
  });

  it('kubectl cordon / uncordon', async () => {
    await k('admin', 'cordon', 'worker-2');
    expect((await json('get', 'node', 'worker-2')).spec.unschedulable).toBe(true);
    await k('admin', 'uncordon', 'worker-2');
    expect((await json('get', 'node', 'worker-2')).spec.unschedulable).toBeFalsy();
  });

  it('kubectl annotate and label', async () => {
    await k('admin', 'annotate', 'configmap', 'web-config', 'note=hello', '-n', 'alpha-web');
    await k('admin', 'label', 'configmap', 'web-config', 'tier=front', '-n', 'alpha-web');
    const cm = await json('get', 'configmap', 'web-config', '-n', 'alpha-web');
    expect(cm.metadata.annotations.note).toBe('hello');
    expect(cm.metadata.labels.tier).toBe('front');
  });

  it('kubectl apply --server-side creates, updates, and reports a conflict', async () => {
    const file = join(dir, 'cm.yaml');
    const write = (v: string) =>
      writeFile(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\n  namespace: alpha-web\ndata:\n  key: "${v}"\n`);
    await write('1');
    await k('admin', 'apply', '--server-side', '--validate=false', '-f', file);
    expect((await json('get', 'configmap', 'ssa-demo', '-n', 'alpha-web')).data.key).toBe('1');
    await write('2');
    await k('admin', 'apply', '--server-side', '--validate=false', '-f', file);
    expect((await json('get', 'configmap', 'ssa-demo', '-n', 'alpha-web')).data.key).toBe('2');
    await write('3');
    await expect(k('admin', 'apply', '--server-side', '--validate=false', '--field-manager=other', '-f', file)).rejects.toThrow(/conflict/i);
    await k('admin', 'apply', '--server-side', '--validate=false', '--field-manager=other', '--force-conflicts', '-f', file);
    expect((await json('get', 'configmap', 'ssa-demo', '-n', 'alpha-web')).data.key).toBe('3');
  });
});

describe.each(['3.4', '4.1'] as const)('kubectl watch and follow (%s)', (flavour) => {
  let target: Simulator;
  let tls: Server;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    target = await startSimulator({ flavour });
    ({ front: tls, url } = await tlsFront(target));
    dir = await mkdtemp(join(tmpdir(), 'kubectl-watch-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => tls.close(resolve));
    await target.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts a long-running kubectl (flags kubectl 1.20 has), collecting its output until it is killed. */
  function follow(...args: string[]) {
    const child = spawn(
      'kubectl',
      ['--kubeconfig=/dev/null', `--server=${url}`, '--insecure-skip-tls-verify', `--token=${target.issueToken('admin')}`, `--cache-dir=${dir}`, ...args],
      { env: { ...process.env, KUBECONFIG: '/dev/null' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    return {
      lines: () => stdout.split('\n').filter((l) => l.trim() !== ''),
      async until(predicate: (lines: string[]) => boolean, timeoutMs = 15_000) {
        const started = Date.now();
        while (!predicate(this.lines())) {
          if (child.exitCode !== null) throw new Error(`kubectl exited ${child.exitCode}: ${stderr}`);
          if (Date.now() - started > timeoutMs) throw new Error(`timed out; stdout:\n${stdout}\nstderr:\n${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return this.lines();
      },
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  }

  it('kubectl get pods -w prints the table, then a row for a change', async () => {
    const ns = 'alpha-web';
    const watch = follow('get', 'pods', '-w', '-n', ns);
    try {
      // Header and the current pods, then the watch is open.
      const initial = await watch.until((lines) => lines.length > 1);
      expect(columns(initial[0]!)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      await waitFor(() => target.watches.open({ kind: 'watch', resource: RESOURCES.pod }) === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const listed = watch.lines().length;
      const name = columns(initial[1]!)[0]!;
      target.mutate('host', RESOURCES.pod, ns, name, (p: any) => ({
        ...p,
        status: { ...p.status, phase: 'Failed', reason: 'Evicted', containerStatuses: [] },
      }));
      const after = await watch.until((lines) => lines.slice(listed).some((l) => columns(l)[0] === name));
      const row = columns(after.slice(listed).find((l) => columns(l)[0] === name)!);
      expect(row[2]).toBe('Evicted');
    } finally {
      await watch.kill();
    }
    // Killing kubectl closes its watch on the server.
    await waitFor(() => target.watches.open({ kind: 'watch', resource: RESOURCES.pod }) === 0);
  });

  it('kubectl logs -f prints the history, then followed lines', async () => {
    target.watches.logFollowIntervalMs = 100;
    const pods = JSON.parse(await kubectlWith(target, url, 'admin', 'get', 'pods', '-n', 'alpha-web', '-o', 'json'));
    const name = pods.items.find((p: any) => p.spec.containers.length === 1 && p.status.phase === 'Running').metadata.name as string;
    const logs = follow('logs', '-f', '--tail=2', name, '-n', 'alpha-web');
    try {
      const lines = await logs.until((l) => l.length >= 5);
      expect(lines.slice(0, 5).map((l) => /seq=(\d+)/.exec(l)?.[1])).toEqual(['38', '39', '40', '41', '42']);
    } finally {
      await logs.kill();
    }
    await waitFor(() => target.watches.open({ kind: 'log' }) === 0);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
