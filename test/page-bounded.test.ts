/**
 * Work bounded by the page: the same three UI pages on a small and a large
 * cluster, whose extra pods are in other projects and on other nodes, read
 * the same upstream calls and (within 10 %) the same upstream bytes.
 * Counted at the simulator, not timed: timing goals live in `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

const SIZES = [500, 20_000] as const;

const PAGES = {
  'nodes page with pod counts': `{ nodes(limit: 10, sort: { field: CREATION_TIME, ascending: true }) { totalItems items { metadata { name } ready pods(limit: 1) { totalItems } } } }`,
  'namespace page: deployments → pods → node': `{ deployments(namespace: "demo-app", limit: 20) { items { metadata { name } readyReplicas pods { items { metadata { name } status node { metadata { name } ready } } } } } }`,
  "50 pods with node, owner and owner's owner": `{ pods(limit: 50, sort: { field: CREATION_TIME, ascending: true }) { items { metadata { name namespace } node { metadata { name } } owner { kind metadata { name } ... on ReplicaSet { owner { kind metadata { name } } } } } } }`,
};

describe.each(FLAVOURS)('KubeSphere %s: upstream work of a page does not grow with the cluster', (flavour) => {
  const stacks: Stack[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    for (const pods of SIZES) {
      const stack = await startStack({ flavour, pods });
      stacks.push(stack);
      tokens.push(await stack.login(ADMIN.username, ADMIN.password));
    }
  }, 120_000);
  afterAll(() => Promise.all(stacks.map((s) => s.close())));

  it.each(Object.entries(PAGES))('%s', async (_name, query) => {
    const runs = [];
    for (const [i, stack] of stacks.entries()) {
      stack.sim.clearRequests();
      const result = await stack.gql(query, { token: tokens[i] });
      expect(result.errors).toBeUndefined();
      const calls = stack.upstreamCalls();
      runs.push({ data: result.data, calls: calls.map((r) => `${r.path}?${r.rawQuery}`).sort(), bytes: calls.reduce((sum, r) => sum + r.bytes, 0) });
    }
    const [small, large] = runs;
    // The same page, read by the same calls, whatever the cluster's size.
    expect(large!.calls).toEqual(small!.calls);
    expect(large!.calls.length).toBeLessThanOrEqual(25);
    expect(large!.bytes / small!.bytes).toBeLessThanOrEqual(1.1);
    // No pods list reads a whole cluster or namespace: each is narrowed to a node, a selector or a page.
    for (const call of large!.calls.filter((c) => /\/pods\?/.test(c))) expect(call).toMatch(/nodeName=|labelSelector=|limit=\d/);
  });
});
