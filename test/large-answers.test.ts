/**
 * Large upstream answers (1 MiB or more; ks-apiserver sends them chunked,
 * and so does the simulator) are read and parsed in a few process-wide
 * slots, so that many large lists arriving together cannot hold many copies
 * of their text and objects at once. Here there is one slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

const LARGE_PODS = '{ pods(limit: 1000) { totalItems items { metadata { name } } } }';
const debug = (r: unknown) => JSON.stringify(r).slice(0, 300);
const NODES_PATH = /\/v1alpha3\/nodes$/;

let unhandled = 0;
const countUnhandled = () => unhandled++;
process.on('unhandledRejection', countUnhandled);

describe('large upstream answers, one at a time', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({
      pods: 2000,
      env: { LIST_MAX_LIMIT: '1000', UPSTREAM_LARGE_ANSWERS: '1', UPSTREAM_CALL_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', OPERATION_TIMEOUT_MS: '5000' },
    });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await stack.close();
    process.off('unhandledRejection', countUnhandled);
    expect(unhandled).toBe(0);
  });

  it('answers every one of several concurrent large lists in full', async () => {
    stack.sim.clearRequests();
    const results = await Promise.all(Array.from({ length: 4 }, () => stack.gql(LARGE_PODS, { token })));
    for (const result of results) {
      expect(result.errors, debug(result)).toBeUndefined();
      expect(result.data!.pods.items).toHaveLength(1000);
    }
    // Each was one upstream answer well over the threshold.
    const sizes = stack.upstreamCalls().map((call) => call.bytes);
    expect(sizes).toHaveLength(4);
    for (const bytes of sizes) expect(bytes).toBeGreaterThan(1024 * 1024);
  });

  it('makes a large answer wait while a stalled one holds the slot, and frees the slot when that call fails', async () => {
    // 2 MiB of a list, then nothing: the answer takes the slot and keeps it until its call's deadline (1 s).
    stack.sim.faults.add({ path: NODES_PATH, times: 1, fault: { kind: 'stall', afterBytes: 2 * 1024 * 1024 } });
    const started = performance.now();
    const stalled = stack.gql('{ nodes(limit: 10) { totalItems } }', { token });
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Its client goes away while it waits for the slot: nothing breaks, and it keeps no slot.
    const leaving = new AbortController();
    const abandoned = fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: LARGE_PODS }),
      signal: leaving.signal,
    }).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 100));
    leaving.abort();
    expect(await abandoned).toBe('AbortError');

    const waiting = stack.gql(LARGE_PODS, { token });
    expect(codes(await stalled)).toEqual(['UPSTREAM_TIMEOUT']);
    const stalledMs = performance.now() - started;
    const answered = await waiting;
    const waitedMs = performance.now() - started;
    expect(answered.errors).toBeUndefined();
    expect(answered.data!.pods.items).toHaveLength(1000);
    // The simulator answered it at once; it was read only after the stalled answer gave the slot back.
    expect(stalledMs).toBeGreaterThanOrEqual(900);
    expect(waitedMs).toBeGreaterThanOrEqual(stalledMs);
    stack.sim.faults.clear();
  });
});
