/**
 * The fault matrix: every fault the simulator can inject, what the client
 * gets, how many upstream calls it cost and how long it took. Timeouts are
 * shortened so the matrix runs in seconds; the defaults are 3/10/10/15 s.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, codes, startStack, type Stack } from './helpers/stack.ts';

const FAST_TIMEOUTS = {
  UPSTREAM_CONNECT_TIMEOUT_MS: '1000',
  UPSTREAM_HEADERS_TIMEOUT_MS: '1000',
  UPSTREAM_BODY_TIMEOUT_MS: '1000',
  UPSTREAM_CALL_TIMEOUT_MS: '2500',
  OPERATION_TIMEOUT_MS: '5000',
  UPSTREAM_MAX_RESPONSE_BYTES: String(1024 * 1024),
  // The matrix injects many failures in a row; the breaker has its own tests below.
  BREAKER_MIN_CALLS: '1000',
};

let unhandled = 0;
const countUnhandled = () => unhandled++;
process.on('unhandledRejection', countUnhandled);
process.on('uncaughtException', countUnhandled);

const PODS = '{ pods(limit: 5) { totalItems items { metadata { name } } } }';
const PODS_PATH = /\/v1alpha3\/pods$/;

describe('fault matrix', () => {
  let stack: Stack;
  let token: string;
  const rows: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ env: FAST_TIMEOUTS });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterEach(() => stack.sim.faults.clear());
  afterAll(async () => {
    console.log(['fault | client got | upstream calls | ms', ...rows].join('\n'));
    await stack.close();
    expect(unhandled).toBe(0);
  });

  async function run(name: string, query = PODS, options: { token?: string } = { token }) {
    stack.sim.clearRequests();
    const started = performance.now();
    const result = await stack.gql(query, options);
    const ms = Math.round(performance.now() - started);
    const calls = stack.upstreamCalls().length;
    rows.push(`${name} | ${codes(result).join(', ') || 'data'} | ${calls} | ${ms}`);
    return { result, calls, ms };
  }

  it('delay past the headers timeout → UPSTREAM_TIMEOUT, not retried', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'delay', ms: 3000 } });
    const { result, calls, ms } = await run('delay 3 s');
    expect(result.data).toEqual({ pods: null });
    expect(codes(result)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(calls).toBe(1);
    expect(ms).toBeLessThan(3500);
  });

  it('stall after the headers → UPSTREAM_TIMEOUT', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'stall' } });
    const { result, calls } = await run('stall after headers');
    expect(codes(result)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(calls).toBe(1);
  });

  it('connection dropped mid-body → retried twice, then UPSTREAM_UNAVAILABLE', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'drop' } });
    const { result, calls } = await run('drop mid-body');
    expect(codes(result)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(calls).toBe(3);
  });

  it('a burst of two 503s → retried, and the data arrives', async () => {
    stack.sim.faults.add({ path: PODS_PATH, times: 2, fault: { kind: 'status', status: 503 } });
    const { result, calls } = await run('503 x2, then 200');
    expect(result.errors).toBeUndefined();
    expect(result.data?.pods.items).toHaveLength(5);
    expect(calls).toBe(3);
  });

  it('503 that does not heal → UPSTREAM_ERROR after 3 attempts', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 503 } });
    const { result, calls } = await run('503 always');
    expect(codes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(calls).toBe(3);
  });

  it('500 → UPSTREAM_ERROR, not retried, with no upstream detail', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 500 } });
    const { result, calls } = await run('500');
    expect(codes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(calls).toBe(1);
    expect(JSON.stringify(result)).not.toContain(stack.sim.url);
  });

  it('429 with Retry-After: 1 → waits, retries and succeeds', async () => {
    stack.sim.faults.add({ path: PODS_PATH, times: 1, fault: { kind: 'status', status: 429, retryAfter: 1 } });
    const { result, calls, ms } = await run('429 Retry-After 1');
    expect(result.errors).toBeUndefined();
    expect(calls).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(1000);
  });

  it('429 with Retry-After: 30 → RATE_LIMITED at once', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 429, retryAfter: 30 } });
    const { result, calls, ms } = await run('429 Retry-After 30');
    expect(codes(result)).toEqual(['RATE_LIMITED']);
    expect(result.errors?.[0]?.extensions?.retryAfterSeconds).toBe(30);
    expect(calls).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  it('a redirect is never followed', async () => {
    const trap = createServer((_req, res) => res.end('{}'));
    let trapped = 0;
    trap.on('request', () => trapped++);
    trap.listen(0, '127.0.0.1');
    await once(trap, 'listening');
    const location = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/kapis/resources.kubesphere.io/v1alpha3/pods`;
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'redirect', location } });
    const { result, calls } = await run('302 redirect');
    trap.close();
    expect(codes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(calls).toBe(1);
    expect(trapped).toBe(0);
  });

  it('an oversized body is cut off with UPSTREAM_ERROR, memory bounded', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'oversize', bytes: 64 * 1024 * 1024 } });
    const before = process.memoryUsage().rss;
    const { result, calls } = await run('oversized body (64 MiB)');
    expect(codes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(calls).toBe(1);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('refused connections → UPSTREAM_UNAVAILABLE', async () => {
    await stack.sim.refuseConnections();
    try {
      const { result, calls } = await run('refuse connections');
      expect(codes(result)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(calls).toBe(0);
    } finally {
      await stack.sim.acceptConnections();
    }
  });

  it('a write is never retried', async () => {
    stack.sim.faults.add({ path: /^\/oauth\/token$/, fault: { kind: 'status', status: 503 } });
    const { result, calls } = await run('503 on login (POST)', 'mutation { login(username: "admin", password: "P@88w0rd") { accessToken } }', {});
    expect(codes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(calls).toBe(1);
  });

  it('one failing field keeps the others', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 500 } });
    const { result } = await run('500 on one of two fields', `{ pods(limit: 1) { totalItems } nodes(limit: 1) { totalItems } }`);
    expect(result.data?.pods).toBeNull();
    expect(result.data?.nodes.totalItems).toBeGreaterThan(0);
  });

  it('a client that disconnects cancels its upstream calls within 1 s', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'delay', ms: 2000 } });
    stack.sim.clearRequests();
    const controller = new AbortController();
    const pending = fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: PODS }),
      signal: controller.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedAt = Date.now();
    controller.abort();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [call] = stack.upstreamCalls();
    expect(call?.closedAt).toBeDefined();
    expect(call!.closedAt! - abortedAt).toBeLessThan(1000);
    rows.push(`client disconnects at 200 ms | (no response) | 1 | upstream socket closed after ${call!.closedAt! - abortedAt} ms`);
  });
});

describe('circuit breaker', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack({ env: { ...FAST_TIMEOUTS, BREAKER_MIN_CALLS: '5', BREAKER_RESET_MS: '1000', UPSTREAM_RETRIES: '0' } });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  it('opens on a burst of 5xx, fails fast while open, and closes when the upstream heals', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 6; i++) await stack.gql(PODS, { token });
    stack.sim.clearRequests();
    const started = performance.now();
    const open = await stack.gql(PODS, { token });
    expect(codes(open)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(open.errors?.[0]?.extensions?.circuit).toBe('open');
    expect(stack.upstreamCalls()).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(200);

    stack.sim.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const healed = await stack.gql(PODS, { token });
    expect(healed.errors).toBeUndefined();
  });

  it('does not open on 403s: they say nothing about the upstream health', async () => {
    const alice = await stack.login(ALICE.username, ALICE.password);
    stack.sim.clearRequests();
    for (let i = 0; i < 12; i++) expect(codes(await stack.gql('{ nodes { totalItems } }', { token: alice }))).toEqual(['FORBIDDEN']);
    expect(stack.upstreamCalls()).toHaveLength(12);
  });

  it('is kept per origin, not per token: another user sees the same open circuit', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 502 } });
    // Earlier successes are still in the 10 s window: fail until the circuit opens.
    for (let i = 0; i < 40; i++) if ((await stack.gql(PODS, { token })).errors?.[0]?.extensions?.circuit === 'open') break;
    const alice = stack.sim.issueToken(ALICE.username);
    const result = await stack.gql('{ pods(namespace: "alpha-web") { totalItems } }', { token: alice });
    expect(result.errors?.[0]?.extensions?.circuit).toBe('open');
    stack.sim.faults.clear();
  });
});

describe('operation deadline', () => {
  it('ends every pending upstream call when the operation runs out of time', async () => {
    const stack = await startStack({ env: { OPERATION_TIMEOUT_MS: '1500', UPSTREAM_HEADERS_TIMEOUT_MS: '10000', UPSTREAM_CALL_TIMEOUT_MS: '10000' } });
    try {
      const token = stack.sim.issueToken('admin');
      stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'delay', ms: 5000 } });
      const started = performance.now();
      const result = await stack.gql(`{ pods { totalItems } nodes(limit: 1) { totalItems } }`, { token });
      const ms = performance.now() - started;
      // The operation's own deadline is the facade's limit, reported as such and not held against the upstream.
      expect(codes(result)).toEqual(['OPERATION_TIMEOUT']);
      expect(result.data?.nodes.totalItems).toBeGreaterThan(0);
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(ms).toBeLessThan(3000);
    } finally {
      await stack.close();
    }
  });
});

describe('operation budget in flight', () => {
  it('keeps at most the configured number of upstream calls in flight', async () => {
    const stack = await startStack({ env: { OPERATION_MAX_IN_FLIGHT: '2' } });
    try {
      const token = await stack.login(ADMIN.username, ADMIN.password);
      stack.sim.faults.add({ path: /\/v1alpha3\//, fault: { kind: 'delay', ms: 200 } });
      stack.sim.clearRequests();
      await stack.gql(
        `{ a: pods(limit: 1) { totalItems } b: nodes(limit: 1) { totalItems } c: namespaces(limit: 1) { totalItems } d: deployments(limit: 1) { totalItems } e: pods(limit: 2) { totalItems } f: nodes(limit: 2) { totalItems } }`,
        { token },
      );
      const calls = stack.upstreamCalls();
      expect(calls).toHaveLength(6);
      const overlapping = (t: number) => calls.filter((c) => c.receivedAt <= t && (c.closedAt ?? c.answeredAt ?? Infinity) > t).length;
      expect(Math.max(...calls.map((c) => overlapping(c.receivedAt)))).toBe(2);
    } finally {
      await stack.close();
    }
  });
});
