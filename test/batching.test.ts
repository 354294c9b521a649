/**
 * The issue's call budgets, counted at the simulator: related lookups batch
 * into one call per kind and scope, and no query's upstream calls grow with
 * the number of items it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

describe.each(FLAVOURS)('KubeSphere %s batching', (flavour) => {
  let stack: Stack;
  let admin: string;
  const v4 = flavour === '4.1';
  const R = '/kapis/resources.kubesphere.io/v1alpha3';

  beforeAll(async () => {
    stack = await startStack({ flavour });
    admin = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  const paths = () => stack.upstreamCalls().map((r) => `${r.method} ${r.path}${r.rawQuery ? `?${decodeURIComponent(r.rawQuery)}` : ''}`);
  async function count(query: string, token = admin) {
    stack.sim.clearRequests();
    const result = await stack.gql(query, { token });
    expect(result.errors).toBeUndefined();
    return { data: result.data!, calls: paths() };
  }

  const podsWithOwners = (limit: number) =>
    `{ pods(limit: ${limit}, filter: { labelSelector: "pod-template-hash" }) { items { metadata { name namespace } nodeName node { metadata { name } }
        owner { __typename ... on ReplicaSet { metadata { name } owner { __typename ... on Deployment { metadata { name namespace } } } } } } } }`;

  it("50 pods with their node, owner and owner's owner: 4 calls, whatever the page size", async () => {
    const { data, calls } = await count(podsWithOwners(50));
    const pods = data.pods.items;
    expect(pods).toHaveLength(50);
    expect(new Set(pods.map((p: any) => p.metadata.namespace)).size).toBeGreaterThan(1);
    for (const pod of pods) {
      expect(pod.node?.metadata.name ?? null).toBe(pod.nodeName);
      expect(pod.owner.__typename).toBe('ReplicaSet');
      expect(pod.owner.owner).toMatchObject({ __typename: 'Deployment', metadata: { namespace: pod.metadata.namespace } });
      expect(pod.metadata.name.startsWith(pod.owner.owner.metadata.name)).toBe(true);
    }
    expect(calls).toHaveLength(4);
    expect(calls[0]).toBe(`GET ${R}/pods?limit=50&page=1&labelSelector=pod-template-hash`);
    // Nodes and owners are fetched concurrently; owners span namespaces, so one cluster-wide lookup per kind
    // (neither 3.x nor 4.x serves replicasets through v1alpha3: the native list on both).
    expect(calls.slice(1, 3)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^GET ${R}/nodes\\?limit=\\d+&names=`)), 'GET /apis/apps/v1/replicasets']),
    );
    expect(calls[3]).toMatch(new RegExp(`^GET ${R}/deployments\\?limit=-1&names=`));
    expect((await count(podsWithOwners(5))).calls).toHaveLength(4);
    expect((await count(podsWithOwners(200))).calls).toHaveLength(4);
  });

  const namespacePage = (limit: number) =>
    `{ deployments(namespace: "demo-app", limit: ${limit}) { items { metadata { name } pods(limit: 50) { items { metadata { name } node { metadata { name } } } } } } }`;

  it("a namespace page of 20 deployments with their pods and each pod's node: 3 calls", async () => {
    const { data, calls } = await count(namespacePage(20));
    const deployments = data.deployments.items;
    expect(deployments.length).toBeGreaterThanOrEqual(9);
    expect(deployments.flatMap((d: any) => d.pods.items).length).toBeGreaterThan(20);
    expect(calls).toEqual([
      `GET ${R}/namespaces/demo-app/deployments?limit=20&page=1`,
      `GET ${R}/namespaces/demo-app/pods?limit=-1`,
      expect.stringMatching(new RegExp(`^GET ${R}/nodes\\?limit=\\d+&names=`)),
    ]);
    expect((await count(namespacePage(2))).calls).toHaveLength(3);
  });

  const workspaceList = (limit: number) =>
    `{ workspaces(limit: ${limit}) { items { metadata { name } namespaces(limit: 50) { totalItems items { metadata { name } deployments { totalItems } } } } } }`;

  it("workspaces with their namespaces and each namespace's deployment count: one call per distinct list", async () => {
    const { data, calls } = await count(workspaceList(20));
    const byName = Object.fromEntries(data.workspaces.items.map((w: any) => [w.metadata.name, w.namespaces]));
    expect(Object.keys(byName).sort()).toEqual(['demo-workspace', 'system-workspace', 'team-alpha', 'team-beta']);
    expect(byName['team-alpha'].items.map((n: any) => [n.metadata.name, n.deployments.totalItems]).sort()).toEqual([
      ['alpha-api', 2],
      ['alpha-web', 3],
    ]);
    const tenant = `/kapis/tenant.kubesphere.io/${v4 ? 'v1beta1' : 'v1alpha2'}`;
    // 4.x lists workspace templates: its v1beta1 `workspaces` are per-cluster objects without placement.
    const workspaces = `${tenant}/${v4 ? 'workspacetemplates' : 'workspaces'}`;
    expect(calls).toEqual([`GET ${workspaces}?limit=20&page=1`, `GET ${tenant}/namespaces?limit=-1`, `GET ${R}/deployments?limit=-1`]);
    expect((await count(workspaceList(2))).calls).toHaveLength(3);
  });

  it('workspaces with their members: one binding list and one user lookup, whatever the number of workspaces', async () => {
    const members = '{ totalItems items { user { username email } roleName } }';
    const { data, calls } = await count(`{ workspaces(limit: 20) { items { metadata { name } members(limit: 50) ${members} } } }`);
    const tenant = `/kapis/tenant.kubesphere.io/${v4 ? 'v1beta1' : 'v1alpha2'}`;
    expect(calls).toHaveLength(3);
    expect(calls[0]).toBe(`GET ${tenant}/${v4 ? 'workspacetemplates' : 'workspaces'}?limit=20&page=1`);
    expect(calls[1]).toMatch(new RegExp(`^GET ${R}/workspacerolebindings\\?limit=-1&labelSelector=kubesphere\\.io/workspace[ +]in[ +]\\(`));
    expect(calls[2]).toMatch(new RegExp(`^GET /kapis/iam\\.kubesphere\\.io/${v4 ? 'v1beta1' : 'v1alpha2'}/users\\?limit=\\d+&names=`));
    // The same members as each workspace's own workspacemembers list.
    for (const ws of data.workspaces.items) {
      const single = await count(`{ workspace(name: "${ws.metadata.name}") { members(limit: 50) ${members} } }`);
      const sort = (list: any) => [...list.items].sort((a: any, b: any) => a.user.username.localeCompare(b.user.username));
      expect(sort(ws.members)).toEqual(sort(single.data.workspace.members));
    }
    expect(data.workspaces.items.find((w: any) => w.metadata.name === 'team-alpha').members.items).toContainEqual(
      expect.objectContaining({ user: expect.objectContaining({ username: 'alice' }), roleName: 'team-alpha-admin' }),
    );
  });

  it('groups keys by cluster and namespace, answers in key order with per-key errors', async () => {
    const result = await stack.gql(
      `{ a: deployment(namespace: "demo-app", name: "cart") { metadata { namespace name } }
         b: deployment(namespace: "alpha-web", name: "web") { metadata { namespace name } }
         c: deployment(namespace: "demo-app", name: "missing") { metadata { name } }
         d: deployment(cluster: "member-1", namespace: "beta-edge", name: "edge-gateway") { metadata { namespace name } }
         e: deployment(namespace: "demo-app", name: "search") { metadata { namespace name } } }`,
      { token: admin },
    );
    expect(result.data).toEqual({
      a: { metadata: { namespace: 'demo-app', name: 'cart' } },
      b: { metadata: { namespace: 'alpha-web', name: 'web' } },
      c: null,
      d: { metadata: { namespace: 'beta-edge', name: 'edge-gateway' } },
      e: { metadata: { namespace: 'demo-app', name: 'search' } },
    });
    expect(result.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['c'], 'NOT_FOUND']]);
  });

  it('falls back to one list per namespace when the caller may not list cluster-wide', async () => {
    const alice = await stack.login(ALICE.username, ALICE.password);
    const { data, calls } = await count(
      `{ a: deployment(namespace: "alpha-web", name: "web") { metadata { name } } b: deployment(namespace: "alpha-api", name: "api") { metadata { name } }
         c: deployment(namespace: "alpha-web", name: "gateway") { metadata { name } } }`,
      alice,
    );
    expect(data).toEqual({ a: { metadata: { name: 'web' } }, b: { metadata: { name: 'api' } }, c: { metadata: { name: 'gateway' } } });
    expect(stack.upstreamCalls().map((r) => r.status)).toEqual([403, 200, 200]);
    expect(calls.slice(1).sort()).toEqual([
      `GET ${R}/namespaces/alpha-api/deployments?limit=1&names=api`,
      `GET ${R}/namespaces/alpha-web/deployments?limit=2&names=web,gateway`,
    ]);
  });
});
