/**
 * Acceptance: `Query.object(id:)` loads back every kind the facade returns.
 * For each list (typed, nested and generic), a few items' ids are fed to
 * `object(id:)`, which must return the same id, kind, cluster, name and
 * namespace, as the expected GraphQL type. Malformed ids cost no upstream
 * call; ids of missing objects are NOT_FOUND; ids are stable across paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../simulator/index.ts';
import { ADMIN, codes, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

interface Item {
  id: string;
  cluster: string;
  kind: string;
  metadata: { name: string; namespace: string | null };
}

const ITEM = 'id cluster kind metadata { name namespace }';
const MEMBER = DEMO.clusters.member;

/**
 * One row per way of reaching objects of a kind: the GraphQL type `object(id:)`
 * must return, the kind(s) it carries, the query, and the path to its items.
 */
interface Case {
  name: string;
  type: string;
  kinds: string[];
  query: string;
  items: (data: any) => Item[];
  /** Core kinds must have items on every flavour, so the round trip cannot pass vacuously. */
  core: boolean;
  cluster?: string;
}

const list = (field: string, type: string, kind: string, core: boolean, args = ''): Case => ({
  name: field,
  type,
  kinds: [kind],
  query: `{ ${field}(limit: 500${args}) { items { ${ITEM} } } }`,
  items: (data) => data[field].items,
  core,
});

const onMember = (c: Case): Case => ({
  ...c,
  name: `${c.name} on ${MEMBER}`,
  query: c.query.replace('(limit: 500', `(cluster: "${MEMBER}", limit: 500`),
  cluster: MEMBER,
});

const TYPED: Case[] = [
  list('nodes', 'Node', 'Node', true),
  list('namespaces', 'Namespace', 'Namespace', true),
  list('pods', 'Pod', 'Pod', true),
  list('deployments', 'Deployment', 'Deployment', true),
  list('replicaSets', 'ReplicaSet', 'ReplicaSet', true),
  list('statefulSets', 'StatefulSet', 'StatefulSet', true),
  list('daemonSets', 'DaemonSet', 'DaemonSet', true),
  list('jobs', 'Job', 'Job', true),
  list('cronJobs', 'CronJob', 'CronJob', true),
  list('horizontalPodAutoscalers', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', true),
  list('services', 'Service', 'Service', true),
  list('ingresses', 'Ingress', 'Ingress', true),
  list('configMaps', 'ConfigMap', 'ConfigMap', true),
  list('secrets', 'Secret', 'Secret', true),
  list('persistentVolumeClaims', 'PersistentVolumeClaim', 'PersistentVolumeClaim', true),
  list('persistentVolumes', 'PersistentVolume', 'PersistentVolume', false),
  list('storageClasses', 'StorageClass', 'StorageClass', true),
  list('events', 'Event', 'Event', true),
  list('workspaces', 'Workspace', 'WorkspaceTemplate', true),
  list('users', 'User', 'User', true),
  list('clusters', 'Cluster', 'Cluster', true),
];

const CASES: Case[] = [
  ...TYPED,
  // The same kinds read from the member cluster keep `cluster` through the round trip.
  ...['nodes', 'namespaces', 'pods', 'deployments', 'services', 'configMaps'].map((field) => onMember(TYPED.find((c) => c.name === field)!)),
  // The demo's member cluster has no secrets or events (yet): checked when there are some.
  ...['secrets', 'events'].map((field) => ({ ...onMember(TYPED.find((c) => c.name === field)!), core: false })),
  {
    name: 'users → globalRole',
    type: 'Role',
    kinds: ['GlobalRole'],
    query: `{ users(limit: 500) { items { globalRole { ${ITEM} } } } }`,
    items: (data) => data.users.items.map((u: any) => u.globalRole).filter(Boolean),
    core: true,
  },
  ...DEMO.workspaces.map((workspace): Case => ({
    name: `workspace ${workspace} → members → role`,
    type: 'Role',
    kinds: ['WorkspaceRole'],
    query: `{ workspace(name: "${workspace}") { members(limit: 500) { items { role { ${ITEM} } } } } }`,
    items: (data) => data.workspace.members.items.map((m: any) => m.role).filter(Boolean),
    core: workspace === DEMO.users.alice.workspace,
  })),
  {
    name: 'resources(serviceaccounts)',
    type: 'Resource',
    kinds: ['ServiceAccount', ''],
    query: `{ resources(resource: "serviceaccounts", limit: 500) { items { ${ITEM} } } }`,
    items: (data) => data.resources.items,
    core: true,
  },
  {
    name: `resources(serviceaccounts) on ${MEMBER}`,
    type: 'Resource',
    kinds: ['ServiceAccount', ''],
    query: `{ resources(resource: "serviceaccounts", cluster: "${MEMBER}", limit: 500) { items { ${ITEM} } } }`,
    items: (data) => data.resources.items,
    core: true,
    cluster: MEMBER,
  },
  {
    name: 'resources(configmaps, v1)',
    type: 'Resource',
    kinds: ['ConfigMap'],
    query: `{ resources(resource: "configmaps", apiVersion: "v1", limit: 500) { items { ${ITEM} } } }`,
    items: (data) => data.resources.items,
    core: true,
  },
  {
    name: 'resources(secrets, v1)',
    type: 'Resource',
    kinds: ['Secret'],
    query: `{ resources(resource: "secrets", apiVersion: "v1", limit: 500) { items { ${ITEM} } } }`,
    items: (data) => data.resources.items,
    core: true,
  },
];

/** The first, a middle and the last item: enough to catch namespaced and odd names without a call per object. */
const sample = <T>(items: T[]): T[] =>
  [...new Set([items[0], items[Math.floor(items.length / 2)], items[items.length - 1]])].filter((x): x is T => x !== undefined);

const OBJECT = `query ($id: ID!) { object(id: $id) { __typename ${ITEM} } }`;

describe.each(FLAVOURS)('KubeSphere %s: object(id:) round trips', (flavour) => {
  let stack: Stack;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack({ flavour });
    admin = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  const gql = (query: string, variables?: Record<string, unknown>) => stack.gql(query, { token: admin, variables });
  const load = (id: string) => gql(OBJECT, { id });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const listed = await gql(c.query);
    expect(listed.errors).toBeUndefined();
    const items = c.items(listed.data);
    if (c.core) expect(items.length, `${c.name} has no items on ${flavour}`).toBeGreaterThan(0);
    for (const item of sample(items)) {
      expect(c.kinds).toContain(item.kind);
      expect(item.cluster).toBe(c.cluster ?? 'host');
      const result = await load(item.id);
      expect(result.errors, `object(id:) of ${item.kind} ${item.metadata.namespace ?? ''}/${item.metadata.name}`).toBeUndefined();
      expect(result.data!.object).toEqual({ __typename: c.type, ...item });
    }
  });

  it('an object of every typed kind, many per query through aliases', async () => {
    // The same round trip, batched: one object() per kind, several in a single operation.
    const ids: Item[] = [];
    for (const c of TYPED) {
      const result = await gql(c.query.replace('limit: 500', 'limit: 1'));
      ids.push(...c.items(result.data));
    }
    expect(ids.length).toBeGreaterThan(15);
    // In chunks, as the server allows at most 15 aliases per operation.
    for (let start = 0; start < ids.length; start += 15) {
      const chunk = ids.slice(start, start + 15);
      const result = await gql(`{ ${chunk.map((item, i) => `o${i}: object(id: "${item.id}") { ${ITEM} }`).join(' ')} }`);
      expect(result.errors).toBeUndefined();
      expect(chunk.map((_, i) => result.data![`o${i}`])).toEqual(chunk);
    }
  });

  it('objects reached through links round-trip too, and keep their cluster', async () => {
    const result = await gql(`{
      memberPods: pods(cluster: "${MEMBER}", limit: 3) { items { ${ITEM} node { ${ITEM} } owner { ${ITEM} ... on ReplicaSet { owner { ${ITEM} } } } } }
      claims: persistentVolumeClaims(namespace: "demo-db", limit: 2) { items { ${ITEM} volume { ${ITEM} claim { ${ITEM} } } } }
      ingresses(limit: 3) { items { ${ITEM} services { ${ITEM} } } }
      autoscalers: horizontalPodAutoscalers(limit: 3) { items { ${ITEM} target { ${ITEM} } } }
      memberNamespace: namespace(cluster: "${MEMBER}", name: "${DEMO.namespaces.member[0]}") { ${ITEM} workspace { ${ITEM} clusters { ${ITEM} } } }
      workspace(name: "${DEMO.users.alice.workspace}") { members { items { workspace { ${ITEM} } role { ${ITEM} } user { ${ITEM} } } } }
      user(name: "${DEMO.users.alice.username}") { ${ITEM} globalRole { ${ITEM} } workspaces { items { workspace { ${ITEM} } role { ${ITEM} } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const objects = new Map<string, Item>();
    const walk = (value: unknown): void => {
      if (!value || typeof value !== 'object') return;
      const { id, cluster, kind, metadata } = value as Item;
      if (typeof id === 'string') objects.set(id, { id, cluster, kind, metadata: { name: metadata.name, namespace: metadata.namespace } });
      Object.values(value).forEach(walk);
    };
    walk(result.data);
    const kinds = new Set([...objects.values()].map((o) => o.kind));
    const linked = ['Node', 'ReplicaSet', 'Deployment', 'PersistentVolume', 'Service', 'HorizontalPodAutoscaler', 'WorkspaceTemplate', 'Cluster'];
    expect([...kinds]).toEqual(expect.arrayContaining([...linked, 'WorkspaceRole', 'User', 'GlobalRole']));
    for (const pod of result.data!.memberPods.items) {
      expect([pod.cluster, pod.node?.cluster ?? MEMBER, pod.owner?.cluster ?? MEMBER]).toEqual([MEMBER, MEMBER, MEMBER]);
    }
    // Workspaces are global: read from the host even from a member's namespace.
    expect([result.data!.memberNamespace.cluster, result.data!.memberNamespace.workspace.cluster]).toEqual([MEMBER, 'host']);
    for (const object of objects.values()) {
      const back = await load(object.id);
      expect(back.errors, `object(id:) of ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`).toBeUndefined();
      expect(back.data!.object).toEqual({ __typename: expect.any(String), ...object });
    }
  });

  describe('malformed ids: BAD_USER_INPUT, no upstream call', () => {
    const garbage = Buffer.from('garbage \u0000 not json').toString('base64url');
    const wrongVersion = Buffer.from(JSON.stringify(['k0', '', 'Pod', 'demo-app', 'x'])).toString('base64url');
    const wrongShape = Buffer.from(JSON.stringify(['k1', '', 'Pod'])).toString('base64url');
    const notStrings = Buffer.from(JSON.stringify(['k1', 1, 'Pod', 'demo-app', 'x'])).toString('base64url');
    const unknownKind = Buffer.from(JSON.stringify(['k1', '', 'NoSuchKind', 'demo-app', 'x'])).toString('base64url');
    const tooLong = Buffer.from(JSON.stringify(['k1', '', 'Pod', 'demo-app', 'x'.repeat(5000)])).toString('base64url');
    it.each([
      ['a plain word', 'nope'],
      ['empty', ''],
      ['base64 of garbage', garbage],
      ['base64 of JSON that is not an id', Buffer.from('{"kind":"Pod"}').toString('base64url')],
      ['an unknown id version', wrongVersion],
      ['too few parts', wrongShape],
      ['a part that is not a string', notStrings],
      ['an unknown kind', unknownKind],
      ['a too-long string', tooLong],
      ['a too-long junk string', 'x'.repeat(100_000)],
    ])('%s', async (_name, id) => {
      stack.sim.clearRequests();
      const result = await load(id);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.data?.object ?? null).toBeNull();
      expect(stack.upstreamCalls()).toEqual([]);
    });
  });

  describe('ids of missing objects: NOT_FOUND', () => {
    /** An id that the server made, edited to name an object that does not exist. */
    async function missing(query: string, pick: (data: any) => string) {
      const result = await gql(query);
      expect(result.errors).toBeUndefined();
      const parts = JSON.parse(Buffer.from(pick(result.data), 'base64url').toString('utf8')) as string[];
      parts[4] = `${parts[4]}-gone`;
      return Buffer.from(JSON.stringify(parts)).toString('base64url');
    }
    it.each([
      ['Pod', `{ pods(namespace: "demo-app", limit: 1) { items { id } } }`, (d: any) => d.pods.items[0].id],
      ['Deployment', `{ deployments(namespace: "demo-app", limit: 1) { items { id } } }`, (d: any) => d.deployments.items[0].id],
      ['ReplicaSet', `{ replicaSets(namespace: "demo-app", limit: 1) { items { id } } }`, (d: any) => d.replicaSets.items[0].id],
      ['Node', `{ nodes(limit: 1) { items { id } } }`, (d: any) => d.nodes.items[0].id],
      ['Node on member-1', `{ nodes(cluster: "${MEMBER}", limit: 1) { items { id } } }`, (d: any) => d.nodes.items[0].id],
      ['Namespace', `{ namespaces(limit: 1) { items { id } } }`, (d: any) => d.namespaces.items[0].id],
      ['StorageClass', `{ storageClasses(limit: 1) { items { id } } }`, (d: any) => d.storageClasses.items[0].id],
      ['Workspace', `{ workspaces(limit: 1) { items { id } } }`, (d: any) => d.workspaces.items[0].id],
      ['User', `{ users(limit: 1) { items { id } } }`, (d: any) => d.users.items[0].id],
      ['Cluster', `{ clusters(limit: 1) { items { id } } }`, (d: any) => d.clusters.items[0].id],
      ['GlobalRole', `{ users(limit: 1) { items { globalRole { id } } } }`, (d: any) => d.users.items[0].globalRole.id],
      ['Resource (v1alpha3)', `{ resources(resource: "serviceaccounts", limit: 1) { items { id } } }`, (d: any) => d.resources.items[0].id],
      ['Resource (native)', `{ resources(resource: "configmaps", apiVersion: "v1", limit: 1) { items { id } } }`, (d: any) => d.resources.items[0].id],
    ])('%s', async (_name, query, pick) => {
      const id = await missing(query, pick);
      const result = await load(id);
      expect(codes(result)).toEqual(['NOT_FOUND']);
      expect(result.data?.object ?? null).toBeNull();
    });

    it('an object of a namespace that does not exist', async () => {
      const id = await missing(`{ pods(namespace: "demo-app", limit: 1) { items { id } } }`, (d) => d.pods.items[0].id);
      const parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as string[];
      parts[3] = 'no-such-namespace';
      const result = await load(Buffer.from(JSON.stringify(parts)).toString('base64url'));
      expect(codes(result)).toEqual(['NOT_FOUND']);
    });
  });

  describe('ids are stable', () => {
    it('the same object twice gives the same id', async () => {
      const query = `{ pods(namespace: "demo-app", limit: 500, sort: { field: NAME, ascending: true }) { items { id } } }`;
      const [a, b] = await Promise.all([gql(query), gql(query)]);
      expect(a.data!.pods.items.length).toBeGreaterThan(0);
      expect(a.data).toEqual(b.data);
    });

    it('pod.owner and replicaSets give a ReplicaSet the same id, and so do its Deployment paths', async () => {
      const result = await gql(`{
        pods(namespace: "demo-app", limit: 500) { items { metadata { name } owner { __typename id metadata { name } ... on ReplicaSet { owner { id metadata { name } } } } } }
        replicaSets(namespace: "demo-app", limit: 500) { items { id metadata { name } owner { id } } }
        deployments(namespace: "demo-app", limit: 50) { items { id metadata { name } replicaSets(limit: 20) { items { id metadata { name } } } } }
      }`);
      expect(result.errors).toBeUndefined();
      const rsIds = new Map<string, string>(result.data!.replicaSets.items.map((rs: any) => [rs.metadata.name, rs.id]));
      const deploymentIds = new Map<string, string>(result.data!.deployments.items.map((d: any) => [d.metadata.name, d.id]));
      const owned = result.data!.pods.items.filter((p: any) => p.owner?.__typename === 'ReplicaSet');
      expect(owned.length).toBeGreaterThan(0);
      for (const pod of owned) {
        expect(pod.owner.id, `owner of ${pod.metadata.name}`).toBe(rsIds.get(pod.owner.metadata.name));
        expect(pod.owner.owner.id).toBe(deploymentIds.get(pod.owner.owner.metadata.name));
      }
      for (const rs of result.data!.replicaSets.items) expect(rs.owner?.id).toBe(deploymentIds.get(rs.owner ? decodeName(rs.owner.id) : ''));
      for (const d of result.data!.deployments.items) for (const rs of d.replicaSets.items) expect(rs.id).toBe(rsIds.get(rs.metadata.name));
    });

    it('a pod through pods, namespace.pods, node.pods and deployment.pods has one id', async () => {
      const result = await gql(`{
        pods(namespace: "demo-app", limit: 500) { items { id nodeName metadata { name } } }
        namespace(name: "demo-app") { id pods(limit: 500) { items { id metadata { name } } } }
        namespaces(limit: 500) { items { id metadata { name } } }
        deployment(namespace: "demo-app", name: "catalog") { pods(limit: 500) { items { id metadata { name } } } }
      }`);
      expect(result.errors).toBeUndefined();
      const byName = new Map<string, string>(result.data!.pods.items.map((p: any) => [p.metadata.name, p.id]));
      for (const p of result.data!.namespace.pods.items) expect(p.id).toBe(byName.get(p.metadata.name));
      const catalog = result.data!.deployment.pods.items;
      expect(catalog.length).toBeGreaterThan(0);
      for (const p of catalog) expect(p.id).toBe(byName.get(p.metadata.name));
      expect(result.data!.namespaces.items.find((n: any) => n.metadata.name === 'demo-app').id).toBe(result.data!.namespace.id);

      const pod = result.data!.pods.items.find((p: any) => p.nodeName);
      const onNode = await gql(`query ($node: String!) { node(name: $node) { pods(limit: 500) { items { id metadata { name namespace } } } } }`, {
        node: pod.nodeName,
      });
      expect(onNode.errors).toBeUndefined();
      expect(onNode.data!.node.pods.items.find((p: any) => p.metadata.name === pod.metadata.name).id).toBe(pod.id);
    });

    it('a workspace through workspaces, workspace(name:) and namespace.workspace has one id', async () => {
      const result = await gql(`{
        workspaces(limit: 500) { items { id metadata { name } } }
        workspace(name: "demo-workspace") { id }
        namespace(name: "demo-app") { workspace { id } }
      }`);
      expect(result.errors).toBeUndefined();
      const id = result.data!.workspaces.items.find((w: any) => w.metadata.name === 'demo-workspace').id;
      expect(result.data!.workspace.id).toBe(id);
      expect(result.data!.namespace.workspace.id).toBe(id);
    });

    it('a member node through nodes(cluster:), cluster.nodes and node(cluster:) has one id, not the id of a host object', async () => {
      const result = await gql(`{
        nodes(cluster: "${MEMBER}", limit: 500) { items { id cluster metadata { name } } }
        cluster(name: "${MEMBER}") { id cluster nodes(limit: 500) { items { id cluster metadata { name } } } }
        node(cluster: "${MEMBER}", name: "${DEMO.nodes.member[0]}") { id cluster }
        hostNodes: nodes(limit: 500) { items { id } }
      }`);
      expect(result.errors).toBeUndefined();
      const top = result.data!.nodes.items;
      expect(top.length).toBe(DEMO.nodes.member.length);
      expect(result.data!.cluster.nodes.items).toEqual(top);
      expect(top.every((n: any) => n.cluster === MEMBER)).toBe(true);
      expect(result.data!.node.cluster).toBe(MEMBER);
      expect(result.data!.node.id).toBe(top.find((n: any) => n.metadata.name === DEMO.nodes.member[0]).id);
      const hostIds = new Set(result.data!.hostNodes.items.map((n: any) => n.id));
      for (const n of top) expect(hostIds.has(n.id)).toBe(false);
    });

    it('the same ConfigMap through the typed and the generic list has different ids that both round-trip', async () => {
      const result = await gql(`{
        configMaps(namespace: "demo-app", filter: { name: "frontend-config" }) { items { id } }
        resources(resource: "configmaps", apiVersion: "v1", namespace: "demo-app", filter: { name: "frontend-config" }) { items { id } }
      }`);
      expect(result.errors).toBeUndefined();
      const typed = result.data!.configMaps.items[0].id;
      const generic = result.data!.resources.items[0].id;
      expect(typed).not.toBe(generic);
      expect((await load(typed)).data!.object.__typename).toBe('ConfigMap');
      expect((await load(generic)).data!.object.__typename).toBe('Resource');
    });
  });
});

/** The name an id encodes (ids are opaque to clients; the test only uses it to match owners to their list entries). */
function decodeName(id: string): string {
  return (JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as string[])[4]!;
}
