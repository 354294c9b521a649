/**
 * A page the upstream did not cut (issue 12, finding 8): an upstream or proxy
 * that ignores `limit` must not turn `limit: 5` into the whole list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';

const pod = (i: number) => ({ metadata: { name: `p-${i}`, namespace: 'demo', uid: `uid-${i}` }, spec: { containers: [] }, status: { phase: 'Running' } });

describe('a page the upstream did not cut', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    stack.sim.faults.add({
      path: /\/v1alpha3\/pods$/,
      fault: { kind: 'body', body: JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => pod(i)), totalItems: 3000 }) },
    });
  });
  afterAll(() => stack.close());

  it('is cut here to the limit asked for, with the total kept', async () => {
    const token = stack.sim.issueToken('admin');
    const result = await stack.gql('{ pods(limit: 5) { totalItems items { metadata { name } } } }', { token });
    expect(result.errors).toBeUndefined();
    expect(result.data?.pods.items).toHaveLength(5);
    expect(result.data?.pods.totalItems).toBe(3000);
    const second = await stack.gql('{ pods(limit: 5, page: 2) { items { metadata { name } } } }', { token });
    expect(second.data?.pods.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['p-5', 'p-6', 'p-7', 'p-8', 'p-9']);
  });
});

describe('the generic native list', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('reads only up to the page asked for, in the API server order, with the total from remainingItemCount', async () => {
    const token = stack.sim.issueToken('admin');
    const whole = await stack.gql('{ resources(resource: "pods", apiVersion: "v1", limit: 500) { totalItems items { metadata { namespace name } } } }', {
      token,
    });
    const all = whole.data!.resources.items.map((p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(all.length).toBeGreaterThan(20);
    stack.sim.clearRequests();
    const aliases = Array.from({ length: 15 }, (_, i) => `p${i}: resources(resource: "pods", apiVersion: "v1", limit: 1) { totalItems }`).join(' ');
    const many = await stack.gql(`{ ${aliases} }`, { token });
    expect(many.errors).toBeUndefined();
    expect(Object.values(many.data!).every((r) => (r as { totalItems: number }).totalItems === all.length)).toBe(true);
    // Fifteen one-item reads, not fifteen whole lists.
    const calls = stack.upstreamCalls().filter((r) => r.path === '/api/v1/pods');
    expect(calls.map((r) => r.rawQuery)).toEqual(Array(15).fill('limit=1'));

    const third = await stack.gql('{ resources(resource: "pods", apiVersion: "v1", limit: 4, page: 3) { totalItems items { metadata { namespace name } } } }', {
      token,
    });
    expect(third.data!.resources.totalItems).toBe(all.length);
    expect(third.data!.resources.items.map((p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(
      all.slice(8, 12),
    );
  });
});
