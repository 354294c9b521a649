/**
 * The facade as a real process: health and readiness probes, graceful
 * shutdown on SIGTERM, and the token canary across the fault matrix, with
 * every log line it prints at debug level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { startFacadeProcess, type FacadeProcess } from './helpers/process.ts';

const FAST_TIMEOUTS = {
  UPSTREAM_HEADERS_TIMEOUT_MS: '1000',
  UPSTREAM_BODY_TIMEOUT_MS: '1000',
  UPSTREAM_CALL_TIMEOUT_MS: '2500',
  UPSTREAM_MAX_RESPONSE_BYTES: String(1024 * 1024),
};

const PODS_PATH = /\/v1alpha3\/(namespaces\/[^/]+\/)?pods$/;

async function gql(url: string, query: string, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, text: await response.text() };
}

describe('facade process', () => {
  let sim: Simulator;
  let facade: FacadeProcess;
  beforeAll(async () => {
    sim = await startSimulator({ tagCaller: true });
    facade = await startFacadeProcess({ KUBESPHERE_URL: sim.url, ...FAST_TIMEOUTS, READYZ_CACHE_MS: '0' });
  });
  afterAll(async () => {
    await facade.stop('SIGKILL');
    await sim.close();
  });

  it('answers /healthz, and /readyz while the upstream is reachable', async () => {
    expect((await fetch(`${facade.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${facade.url}/readyz`)).status).toBe(200);
    await sim.refuseConnections();
    try {
      expect((await fetch(`${facade.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${facade.url}/healthz`)).status).toBe(200);
    } finally {
      await sim.acceptConnections();
    }
  });

  it('gives each user only their own objects under interleaved concurrent requests', async () => {
    const users = { admin: sim.issueToken('admin'), bob: sim.issueToken('bob') };
    const query = '{ pods(namespace: "beta-web", limit: 20) { items { metadata { name annotations } } } }';
    const rounds = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const user = i % 2 === 0 ? 'admin' : 'bob';
        const { text } = await gql(facade.url, query, users[user]);
        const items = JSON.parse(text).data.pods.items as { metadata: { annotations: Record<string, string> } }[];
        return { user, servedTo: new Set(items.map((item) => item.metadata.annotations['simulator.kubesphere.io/served-to'])) };
      }),
    );
    for (const { user, servedTo } of rounds) expect([...servedTo]).toEqual([user]);
  });

  it('never shows the canary token in output or responses, across every fault', async () => {
    const canary = sim.issueToken('admin');
    const bodies: string[] = [];
    const faults = [
      { kind: 'delay', ms: 1500 },
      { kind: 'stall' },
      { kind: 'drop' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 429, retryAfter: 30 },
      { kind: 'redirect', location: 'http://127.0.0.1:9/' },
      { kind: 'oversize', bytes: 4 * 1024 * 1024 },
    ] as const;
    for (const fault of faults) {
      sim.faults.add({ path: PODS_PATH, fault });
      bodies.push((await gql(facade.url, '{ pods { totalItems } }', canary)).text);
      sim.faults.clear();
    }
    await sim.refuseConnections();
    bodies.push((await gql(facade.url, '{ pods { totalItems } }', canary)).text);
    await sim.acceptConnections();
    bodies.push((await gql(facade.url, '{ pods { totalItems } }', `${canary}x`)).text);
    bodies.push((await gql(facade.url, '{ pods(namespace: "Bad/NS") { totalItems } }', canary)).text);

    expect(bodies.join('\n')).not.toContain(canary);
    expect(facade.output()).not.toContain(canary);
    expect(facade.output()).not.toMatch(/unhandledRejection|uncaughtException/i);
    expect(facade.child.exitCode).toBeNull();
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, refuses new ones and exits 0', async () => {
    const sim = await startSimulator();
    const facade = await startFacadeProcess({ KUBESPHERE_URL: sim.url, UPSTREAM_HEADERS_TIMEOUT_MS: '5000' });
    try {
      sim.faults.add({ path: PODS_PATH, fault: { kind: 'delay', ms: 1500 } });
      const inFlight = gql(facade.url, '{ pods(limit: 1) { totalItems } }', sim.issueToken('admin'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const exited = facade.stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(fetch(`${facade.url}/healthz`)).rejects.toThrow();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text).data.pods.totalItems).toBeGreaterThan(0);
      expect(await exited).toBe(0);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await facade.stop('SIGKILL');
      await sim.close();
    }
  });
});
