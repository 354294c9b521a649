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
