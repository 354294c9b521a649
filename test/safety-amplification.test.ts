/**
 * Amplification (issue 12, finding 2): queries whose nested lists multiply
 * are refused before any upstream call (QUERY_TOO_EXPENSIVE) or cut
 * (RESPONSE_TOO_LARGE), and a light query running beside them stays fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

const nested = (limit: number) =>
  `{ nodes(limit: ${limit}) { items { pods(limit: ${limit}) { items { node { pods(limit: ${limit}) { items { raw } } } } } } } }`;
const ALIASED_RAW = `{ ${Array.from({ length: 15 }, (_, i) => `p${i}: pods(limit: 500) { items { raw } }`).join(' ')} }`;
const LIGHT = '{ nodes(limit: 1) { totalItems } }';

describe('amplification on a 3,000-pod cluster', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack({ pods: 3000, env: { RESPONSE_MAX_BYTES: String(512 * 1024) } });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  it.each([
    ['nested lists of 120', nested(120)],
    ['nested lists of 500', nested(500)],
    ['15 aliases of 500 raw pods', ALIASED_RAW],
    ['a variable limit', 'query ($n: Int) { nodes(limit: $n) { items { pods(limit: $n) { items { raw } } } } }'],
  ])('%s is refused before any upstream call', async (_name, query) => {
    stack.sim.clearRequests();
    const result = await stack.gql(query, { token, variables: { n: 500 } });
    expect(codes(result)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(result.data ?? null).toBeNull();
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('a response past RESPONSE_MAX_BYTES is cut with RESPONSE_TOO_LARGE', async () => {
    const result = await stack.gql('{ pods(limit: 500) { items { raw } } }', { token });
    expect(codes(result)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(result.data ?? null).toBeNull();
  });

  const p99Of = async (runs: number) => {
    const latencies: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = await stack.gql(LIGHT, { token });
      latencies.push(performance.now() - started);
      expect(result.errors).toBeUndefined();
    }
    latencies.sort((a, b) => a - b);
    return { p50: latencies[Math.floor(runs / 2)]!, p99: latencies[Math.ceil(runs * 0.99) - 1]! };
  };

  it('a light query keeps p99 under 200 ms while amplification queries arrive', async () => {
    const quiet = await p99Of(100);
    let attacking = true;
    const attackers = Array.from({ length: 4 }, async () => {
      while (attacking) {
        await stack.gql(nested(120), { token });
        await stack.gql(nested(500), { token });
        await stack.gql(ALIASED_RAW, { token });
      }
    });
    const attacked = await p99Of(100);
    attacking = false;
    await Promise.all(attackers);
    console.log(
      `light query: quiet p50 ${quiet.p50.toFixed(0)} ms, p99 ${quiet.p99.toFixed(0)} ms; under attack p50 ${attacked.p50.toFixed(0)} ms, p99 ${attacked.p99.toFixed(0)} ms`,
    );
    // 200 ms on a machine where the light query takes ~2 ms when quiet; a loaded box (a shared 2-CPU runner
    // answered it in 7-10 ms) gets the bound scaled by that slowness, since four back-to-back clients share its CPU.
    // Before the cost model these queries ran, and the p99 was seconds (7.6 s in the report).
    expect(attacked.p99).toBeLessThan(200 * Math.max(1, quiet.p50 / 2));
  }, 60_000);
});
