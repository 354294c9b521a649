/**
 * Circuit breakers under attack (issue 12, findings 1 and 6): made-up
 * cluster names cost nothing that outlives the call, breakers are bounded,
 * an open breaker fails fast, and one failing route does not pause the others.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PODS_PATH = /\/v1alpha3\/pods$/;

describe('breakers for made-up clusters', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { BREAKER_MAX_CIRCUITS: '50' } });
  });
  afterAll(() => stack.close());

  it('10,000 bogus cluster names with a bogus token leave RSS, timers and the breaker count bounded', async () => {
    const aliases = 15;
    const names = 10_000;
    // One document with the names as variables: Yoga's own (bounded) parse cache would otherwise hold each distinct document.
    const query = `query (${Array.from({ length: aliases }, (_, i) => `$c${i}: String`).join(', ')}) { ${Array.from(
      { length: aliases },
      (_, i) => `p${i}: pods(cluster: $c${i}, limit: 1) { totalItems }`,
    ).join(' ')} }`;
    const variables = (from: number) => Object.fromEntries(Array.from({ length: aliases }, (_, i) => [`c${i}`, `bogus-${from + i}`]));
    const run = async (first: number, count: number) => {
      const starts = Array.from({ length: Math.ceil(count / aliases) }, (_, i) => first + i * aliases);
      const workers = Array.from({ length: 16 }, async () => {
        for (let from = starts.shift(); from !== undefined; from = starts.shift()) {
          const result = await stack.gql(query, { token: 'x', variables: variables(from) });
          expect(codes(result)[0]).toBe('UNAUTHENTICATED');
          // The simulator records every request; that is the test's memory, not the facade's.
          stack.sim.requests.length = 0;
        }
      });
      await Promise.all(workers);
    };
    // Warm up (JIT, pools, heap sizing: RSS settles after ~3,000 calls), so the growth measured is what the names cost.
    await run(1_000_000, 4_000);
    gc();
    const { rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage();
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await run(0, names);
    gc();
    const grownMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length - timersBefore;
    console.log(
      `10,000 bogus clusters: breakers ${stack.facade.client.breakerCount}, RSS +${grownMb.toFixed(0)} MB, heap +${heapMb.toFixed(0)} MB, timers +${timers}`,
    );
    // Before: one breaker (and its timer) per name, ~25 KB each, never dropped.
    expect(stack.facade.client.breakerCount).toBeLessThanOrEqual(50);
    expect(timers).toBeLessThan(100);
    expect(grownMb).toBeLessThan(200);
    expect(heapMb).toBeLessThan(30);
  }, 180_000);

  it('gives a member cluster a breaker once it answers, and keeps at most BREAKER_MAX_CIRCUITS', async () => {
    const token = await stack.login(ADMIN.username, ADMIN.password);
    const before = stack.facade.client.breakerCount;
    expect(codes(await stack.gql('{ pods(cluster: "member-1", limit: 1) { totalItems } }', { token }))).toEqual([]);
    expect(codes(await stack.gql('{ pods(cluster: "member-1", limit: 1) { totalItems } }', { token }))).toEqual([]);
    expect(stack.facade.client.breakerCount).toBeGreaterThan(Math.min(before, 49));
    expect(stack.facade.client.breakerCount).toBeLessThanOrEqual(50);
  });
});

describe('breaker scope and fail-fast', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    // Retries on: an open circuit must still answer at once.
    stack = await startStack({ env: { BREAKER_MIN_CALLS: '5', BREAKER_RESET_MS: '5000', UPSTREAM_RETRIES: '2', BREAKER_ERROR_PERCENT: '50' } });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  it('an open circuit fails fast with no retry, and login and other API groups keep working', async () => {
    stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 40; i++) if ((await stack.gql('{ pods(limit: 1) { totalItems } }', { token })).errors?.[0]?.extensions?.circuit === 'open') break;
    stack.sim.clearRequests();
    const started = performance.now();
    const open = await stack.gql('{ pods(limit: 1) { totalItems } }', { token });
    const ms = performance.now() - started;
    expect(open.errors?.[0]?.extensions?.circuit).toBe('open');
    expect(stack.upstreamCalls()).toHaveLength(0);
    expect(ms).toBeLessThan(150);

    // Another API group of the same cluster, and the token endpoint, are not paused.
    const login = await stack.gql('mutation { login(username: "admin", password: "P@88w0rd") { accessToken } }');
    expect(login.errors).toBeUndefined();
    const users = await stack.gql('{ users(limit: 1) { totalItems } }', { token });
    expect(users.errors).toBeUndefined();
    stack.sim.faults.clear();
  });
});

describe('facade-side stalls', () => {
  it('are OPERATION_TIMEOUT and do not open the upstream breaker', async () => {
    const stack = await startStack({ env: { OPERATION_TIMEOUT_MS: '300', BREAKER_MIN_CALLS: '3', BREAKER_RESET_MS: '30000', UPSTREAM_RETRIES: '0' } });
    try {
      const token = stack.sim.issueToken('admin');
      stack.sim.faults.add({ path: PODS_PATH, fault: { kind: 'delay', ms: 1000 } });
      for (let i = 0; i < 6; i++) expect(codes(await stack.gql('{ pods(limit: 1) { totalItems } }', { token }))).toEqual(['OPERATION_TIMEOUT']);
      stack.sim.faults.clear();
      const after = await stack.gql('{ pods(limit: 1) { totalItems } }', { token });
      expect(after.errors).toBeUndefined();
    } finally {
      await stack.close();
    }
  });
});
