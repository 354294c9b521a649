/**
 * The call budgets, counted at the simulator: lookups by name batch into one
 * call per kind; edges make at most one call per (kind, parent), narrowed
 * upstream, so no call reads more of the cluster than its parent shows.
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

  it("50 pods with their node, owner and owner's owner: one call per kind, owners' ReplicaSets per namespace", async () => {
    const { data, calls } = await count(podsWithOwners(50));
    const pods = data.pods.items;
    expect(pods).toHaveLength(50);
    const namespaces = new Set<string>(pods.map((p: any) => p.metadata.namespace));
    expect(namespaces.size).toBeGreaterThan(1);
    for (const pod of pods) {
      expect(pod.node?.metadata.name ?? null).toBe(pod.nodeName);
      expect(pod.owner.__typename).toBe('ReplicaSet');
      expect(pod.owner.owner).toMatchObject({ __typename: 'Deployment', metadata: { namespace: pod.metadata.namespace } });
      expect(pod.metadata.name.startsWith(pod.owner.owner.metadata.name)).toBe(true);
    }
    expect(calls[0]).toBe(`GET ${R}/pods?limit=50&page=1&labelSelector=pod-template-hash`);
    expect(calls.filter((c) => c.startsWith(`GET ${R}/nodes?`))).toEqual([expect.stringMatching(new RegExp(`^GET ${R}/nodes\\?limit=\\d+&names=`))]);
    expect(calls.filter((c) => c.startsWith(`GET ${R}/deployments?`))).toEqual([expect.stringMatching(new RegExp(`^GET ${R}/deployments\\?limit=-1&names=`))]);
    // Neither 3.x nor 4.x serves replicasets through v1alpha3, and the native API has no `names=`: one call per
    // namespace of the page (a get where it has one owner), never the cluster's whole list.
    const replicaSets = calls.filter((c) => c.includes('/replicasets'));
    expect(replicaSets.length).toBeLessThanOrEqual(namespaces.size);
    for (const call of replicaSets) expect(call).toMatch(/^GET \/apis\/apps\/v1\/namespaces\/[^/]+\/replicasets(\/[^/?]+)?$/);
    expect(calls).toHaveLength(3 + replicaSets.length);
  });

  const namespacePage = (limit: number) =>
    `{ deployments(namespace: "demo-app", limit: ${limit}) { items { metadata { name } pods(limit: 50) { items { metadata { name } node { metadata { name } } } } } } }`;

  it("a namespace page of deployments with their pods and each pod's node: the project's pods read in parallel with the page, bounded by it", async () => {
    const { data, calls } = await count(namespacePage(20));
    const deployments = data.deployments.items;
    expect(deployments.length).toBeGreaterThanOrEqual(9);
    expect(deployments.flatMap((d: any) => d.pods.items).length).toBeGreaterThan(20);
    for (const d of deployments) for (const pod of d.pods.items) expect(pod.metadata.name.startsWith(`${d.metadata.name}-`)).toBe(true);
    // Two round trips for three levels: the deployments and (at most 10 per deployment of the page) their project's pods, then the nodes.
    expect(calls).toHaveLength(3);
    expect(calls.slice(0, 2).sort()).toEqual([`GET ${R}/namespaces/demo-app/deployments?limit=20&page=1`, `GET ${R}/namespaces/demo-app/pods?limit=200`]);
    expect(calls.at(-1)).toMatch(new RegExp(`^GET ${R}/nodes\\?limit=\\d+&names=`));

    // A project with more pods than that: the bounded read is not used, and each deployment's pods are read by its selector.
    const small = await count(namespacePage(2));
    expect(small.data.deployments.items).toEqual(deployments.slice(0, 2));
    const pods = small.calls.filter((c) => c.includes('/pods?')).sort();
    expect(pods).toHaveLength(3);
    const selected = pods.filter((c) => c.startsWith(`GET ${R}/namespaces/demo-app/pods?limit=-1&labelSelector=app=`));
    expect(selected.map((c) => /labelSelector=app=([^,]+),/.exec(c)?.[1]).sort()).toEqual(
      deployments
        .slice(0, 2)
        .map((d: any) => d.metadata.name)
        .sort(),
    );
    expect(pods).toContain(`GET ${R}/namespaces/demo-app/pods?limit=20`);
    expect(small.calls).toHaveLength(5);
  });

  const workspaceList = (limit: number) =>
    `{ workspaces(limit: ${limit}) { items { metadata { name } namespaces(limit: 50) { totalItems items { metadata { name } deployments { totalItems } } } } } }`;

  it("workspaces with their namespaces and each namespace's deployment count: one count per namespace", async () => {
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
    const shown = Object.values(byName).flatMap((namespaces: any) => namespaces.items.map((n: any) => n.metadata.name));
    expect(calls.slice(0, 2)).toEqual([`GET ${workspaces}?limit=20&page=1`, `GET ${tenant}/namespaces?limit=-1`]);
    expect(calls.slice(2).sort()).toEqual(shown.map((ns: string) => `GET ${R}/namespaces/${ns}/deployments?limit=10&page=1`).sort());
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
