/**
 * The exposed surface (issue 12, findings 3, 7 and 8): production without an
 * upstream, CORS, `version` without a token, readiness probes, duplicate
 * Authorization headers, document length, and how often an outage is logged.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { KubeSphereClient } from '../src/kubesphere/client.ts';
import { CSRF_HEADER } from '../src/protections.ts';
import { startSimulator } from '../simulator/index.ts';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

describe('production without KUBESPHERE_URL', () => {
  it('is refused by the configuration, naming the variable and how to run the demo', () => {
    const attempt = () => loadConfig({ NODE_ENV: 'production' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/KUBESPHERE_URL/);
    expect(attempt).toThrow(/NODE_ENV=development/);
    expect(attempt).toThrow(/DEMO=1/);
    expect(loadConfig({ NODE_ENV: 'production', DEMO: '1' }).upstream.url).toBeNull();
    expect(loadConfig({}).upstream.url).toBeNull();
  });

  it('the process exits 1 with that message and never listens', async () => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(output).toMatch(/KUBESPHERE_URL/);
    expect(output).not.toMatch(/GraphQL ready|P@88w0rd/);
  });
});

describe('production surface', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack.close());
  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', ...headers },
      body: JSON.stringify({ query }),
    });

  it('allows no cross-origin access by default', async () => {
    const preflight = await fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const response = await post('{ __typename }', { origin: 'https://evil.example' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers `version` only with a token', async () => {
    const anonymous = await (await post('{ version { kubesphere { gitVersion } } }')).json();
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const token = stack.sim.issueToken(ADMIN.username);
    const known = await (await post('{ version { kubesphere { gitVersion } } }', { authorization: `Bearer ${token}` })).json();
    expect(known.data.version.kubesphere.gitVersion).toMatch(/^v/);
  });

  it('caches the /readyz probe for a few seconds', async () => {
    stack.sim.clearRequests();
    for (let i = 0; i < 10; i++) expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
    expect(stack.upstreamCalls().filter((c) => c.path === '/kapis/version').length).toBeLessThanOrEqual(1);
  });

  it('answers two Authorization headers with 400', async () => {
    const { port } = new URL(stack.url);
    const send = (authorization: string[]) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/graphql',
            headers: [
              'host',
              `127.0.0.1:${port}`,
              'content-type',
              'application/json',
              CSRF_HEADER,
              '1',
              ...authorization.flatMap((value) => ['authorization', value]),
            ],
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: '{ __typename }' }));
      });
    expect(await send(['Bearer a'])).toBe(200);
    expect(await send(['Bearer a', 'Bearer b'])).toBe(400);
  });

  it('refuses a document over 15,000 characters before parsing', async () => {
    const padded = (length: number) => `{ __typename ${' '.repeat(length - 14)}}`;
    expect(padded(15_000)).toHaveLength(15_000);
    expect((await (await post(padded(15_000))).json()).errors).toBeUndefined();
    const result = await (await post(padded(15_001))).json();
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors[0].extensions.limit).toBe('characters');
  });
});

describe('configured CORS', () => {
  it('allows only CORS_ORIGINS, and credentials only with CORS_CREDENTIALS', async () => {
    const console = 'https://console.example.com';
    for (const credentials of [false, true]) {
      const stack = await startStack({
        env: { NODE_ENV: 'production', CORS_ORIGINS: `${console}, https://other.example.com`, CORS_CREDENTIALS: String(credentials) },
      });
      try {
        const preflight = (origin: string) =>
          fetch(`${stack.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
        const allowed = await preflight(console);
        expect(allowed.headers.get('access-control-allow-origin')).toBe(console);
        expect(allowed.headers.get('access-control-allow-credentials')).toBe(credentials ? 'true' : null);
        const refused = await preflight('https://evil.example');
        expect(refused.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
      } finally {
        await stack.close();
      }
    }
  });

  it('development allows any origin, but never with credentials', async () => {
    const stack = await startStack();
    try {
      const response = await fetch(`${stack.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await stack.close();
    }
  });
});

describe('upstream failure logs', () => {
  it('an outage writes one warning per route every few seconds, not one per call', async () => {
    const sim = await startSimulator();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ KUBESPHERE_URL: sim.url, UPSTREAM_RETRIES: '0', BREAKER_MIN_CALLS: '100000' });
    const client = new KubeSphereClient({ ...config.upstream, url: sim.url }, config.oauth, pino({ level: 'warn' }, sink));
    try {
      sim.faults.add({ path: /\/pods$/, fault: { kind: 'status', status: 500 } });
      const token = sim.issueToken('admin');
      for (let i = 0; i < 200; i++) {
        await client.call({ method: 'GET', path: '/kapis/resources.kubesphere.io/v1alpha3/pods', token }).catch(() => undefined);
      }
      await sim.refuseConnections();
      for (let i = 0; i < 50; i++) {
        await client.call({ method: 'GET', path: '/kapis/resources.kubesphere.io/v1alpha3/nodes', token }).catch(() => undefined);
      }
      expect(lines.filter((l) => l.includes('upstream failed')).length).toBe(1);
      expect(lines.filter((l) => l.includes('upstream call failed')).length).toBe(1);
    } finally {
      await client.close();
      await sim.acceptConnections();
      await sim.close();
    }
  });
});
