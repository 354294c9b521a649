/**
 * The foundation, as a new user meets it: log in through GraphQL, then query
 * nodes, namespaces, pods with their nodes and deployments with their pods,
 * against both simulator flavours, counting what reaches the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, codes, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

describe.each(FLAVOURS)('KubeSphere %s', (flavour) => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ flavour });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  const calls = () => stack.upstreamCalls().map((r) => `${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''}`);

  it('logs in and refreshes through /oauth/token', async () => {
    stack.sim.clearRequests();
    const login = await stack.gql(`mutation { login(username: "admin", password: "P@88w0rd") { accessToken tokenType refreshToken expiresIn } }`);
    expect(login.errors).toBeUndefined();
    expect(login.data?.login).toMatchObject({ tokenType: 'Bearer', expiresIn: 7200 });
    expect(login.data?.login.accessToken.split('.')).toHaveLength(3);
    const [call] = stack.upstreamCalls();
    expect(call).toMatchObject({ method: 'POST', path: '/oauth/token' });
    expect(call!.authorization).toBeUndefined();

    const refreshed = await stack.gql(`mutation ($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }`, {
      variables: { r: login.data?.login.refreshToken },
    });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data?.refreshToken.accessToken).not.toBe(login.data?.login.accessToken);
    const version = await stack.gql('{ version { kubesphere { gitVersion } } }', { token: refreshed.data?.refreshToken.accessToken });
    expect(version.data?.version.kubesphere.gitVersion).toBe(flavour === '3.4' ? 'v3.4.1' : 'v4.1.3');
  });

  it('answers a wrong password with UNAUTHENTICATED', async () => {
    const result = await stack.gql(`mutation { login(username: "admin", password: "wrong") { accessToken } }`);
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('reports the KubeSphere and Kubernetes versions', async () => {
    const result = await stack.gql('{ version { kubesphere { gitVersion major minor } kubernetes { gitVersion } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.version.kubesphere.gitVersion).toMatch(flavour === '3.4' ? /^v3\.4/ : /^v4\.1/);
    expect(result.data?.version.kubernetes.gitVersion).toMatch(/^v1\.\d+/);
  });

  it('lists nodes with typed fields', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ nodes(limit: 50, sort: { field: NAME, ascending: true }) { totalItems items { metadata { name labels } roles ready status capacity { cpu memory pods } allocatable { cpu } internalIP kubeletVersion raw } } }`,
      { token },
    );
    expect(result.errors).toBeUndefined();
    const { items, totalItems } = result.data!.nodes;
    expect(totalItems).toBeGreaterThanOrEqual(3);
    expect(items.map((n: any) => n.metadata.name)).toEqual([...items.map((n: any) => n.metadata.name)].sort());
    const master = items.find((n: any) => n.roles.includes('control-plane') || n.roles.includes('master'));
    expect(master).toBeDefined();
    for (const node of items) {
      expect(node.capacity.cpu).toMatch(/^\d+/);
      expect(node.internalIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(node.raw.metadata.name).toBe(node.metadata.name);
    }
    expect(calls()).toEqual(['GET /kapis/resources.kubesphere.io/v1alpha3/nodes?limit=50&page=1&sortBy=name&ascending=true']);
  });

  it('lists namespaces with their workspaces, batched', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ namespaces(limit: 100) { totalItems items { metadata { name } workspaceName workspace { metadata { name } manager } } } }`,
      { token },
    );
    expect(result.errors).toBeUndefined();
    const projects = result.data!.namespaces.items.filter((ns: any) => ns.workspaceName);
    expect(projects.length).toBeGreaterThanOrEqual(6);
    for (const ns of projects) expect(ns.workspace.metadata.name).toBe(ns.workspaceName);
    // 4.x's v1beta1 `workspaces` are the per-cluster objects without placement: the templates are read.
    const workspaces = flavour === '3.4' ? 'v1alpha2/workspaces' : 'v1beta1/workspacetemplates';
    expect(calls()).toHaveLength(2);
    expect(calls()[1]).toMatch(new RegExp(`^GET /kapis/tenant\\.kubesphere\\.io/${workspaces}\\?limit=\\d+&names=`));
  });

  it('fetches 100 pods with their nodes in exactly 2 upstream calls', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ pods(limit: 100) { totalItems items { metadata { name namespace } status nodeName node { metadata { name labels } } } } }`,
      { token },
    );
    expect(result.errors).toBeUndefined();
    const pods = result.data!.pods.items;
    expect(pods).toHaveLength(100);
    const scheduled = pods.filter((p: any) => p.nodeName);
    expect(new Set(scheduled.map((p: any) => p.nodeName)).size).toBeGreaterThan(1);
    for (const pod of scheduled) expect(pod.node.metadata.name).toBe(pod.nodeName);
    expect(calls()).toHaveLength(2);
    expect(calls()[0]).toBe('GET /kapis/resources.kubesphere.io/v1alpha3/pods?limit=100&page=1');
    expect(calls()[1]).toMatch(/^GET \/kapis\/resources\.kubesphere\.io\/v1alpha3\/nodes\?limit=\d+&names=/);
  });

  it("fetches the pods of a namespace's deployments in one call bounded by the page, in parallel with it, and gives each deployment the pods its selector matches", async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ deployments(namespace: "demo-app", limit: 50) { totalItems items { metadata { name } replicas readyReplicas status selector pods(limit: 50) { items { metadata { name labels ownerReferences { kind controller } } status } } } } }`,
      { token },
    );
    expect(result.errors).toBeUndefined();
    const deployments = result.data!.deployments.items;
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const deployment of deployments) {
      for (const pod of deployment.pods.items) {
        for (const [key, value] of Object.entries(deployment.selector)) expect(pod.metadata.labels[key]).toBe(value);
        expect(pod.metadata.ownerReferences).toContainEqual({ kind: 'ReplicaSet', controller: true });
      }
    }
    expect(deployments.some((d: any) => d.pods.items.length > 0)).toBe(true);
    // At most 10 pods per deployment of the page, capped by LIST_MAX_LIMIT (500); batching.test.ts covers a fuller project.
    expect(calls().sort()).toEqual([
      'GET /kapis/resources.kubesphere.io/v1alpha3/namespaces/demo-app/deployments?limit=50&page=1',
      'GET /kapis/resources.kubesphere.io/v1alpha3/namespaces/demo-app/pods?limit=500',
    ]);
  });

  it('gets single objects, and null with NOT_FOUND for a missing one', async () => {
    const result = await stack.gql(
      `{ node(name: "worker-1") { metadata { name } } namespace(name: "demo-app") { metadata { name } } missing: pod(namespace: "demo-app", name: "does-not-exist") { metadata { name } } }`,
      { token },
    );
    expect(result.data).toEqual({ node: { metadata: { name: 'worker-1' } }, namespace: { metadata: { name: 'demo-app' } }, missing: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['missing'], extensions: { code: 'NOT_FOUND' } });
  });

  it('forwards exactly the caller token and no other client header', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql('{ nodes(limit: 1) { totalItems } }', {
      token,
      headers: { cookie: 'session=secret', 'x-forwarded-for': '10.0.0.1', 'impersonate-user': 'admin', 'x-custom': 'nope' },
    });
    expect(result.errors).toBeUndefined();
    const [call] = stack.upstreamCalls();
    expect(call!.authorization).toBe(`Bearer ${token}`);
    for (const header of ['cookie', 'x-forwarded-for', 'impersonate-user', 'x-custom']) expect(call!.headers).not.toHaveProperty(header);
  });

  it('rejects a bad name with BAD_USER_INPUT before any upstream call', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(`{ pod(namespace: "demo-app", name: "../../etc") { metadata { name } } deployments(namespace: "Bad_NS") { totalItems } }`, {
      token,
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('rejects a limit over the maximum', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql('{ pods(limit: 100000) { totalItems } }', { token });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('answers UNAUTHENTICATED without a token, with no upstream call', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql('{ nodes { totalItems } }');
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('maps a token the upstream rejects to UNAUTHENTICATED', async () => {
    const result = await stack.gql('{ nodes { totalItems } }', { token: 'not.a.token' });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(stack.upstreamCalls().at(-1)?.status).toBe(401);
  });

  it('gives the regular user FORBIDDEN outside her workspace, keeping what she may see', async () => {
    const alice = await stack.login(ALICE.username, ALICE.password);
    const result = await stack.gql(
      `{ nodes { totalItems } pods(namespace: "alpha-web", limit: 5) { totalItems items { metadata { namespace } } } other: pods(namespace: "demo-app") { totalItems } }`,
      { token: alice },
    );
    expect(result.data?.nodes).toBeNull();
    expect(result.data?.other).toBeNull();
    expect(result.data?.pods.totalItems).toBeGreaterThan(0);
    for (const pod of result.data?.pods.items ?? []) expect(pod.metadata.namespace).toBe('alpha-web');
    expect(result.errors?.map((e) => [e.path?.[0], e.extensions?.code]).sort()).toEqual([
      ['nodes', 'FORBIDDEN'],
      ['other', 'FORBIDDEN'],
    ]);
  });

  it('answers KubeSphere 429 on repeated failed logins with RATE_LIMITED', async () => {
    let last;
    for (let i = 0; i < 12; i++) last = await stack.gql(`mutation { login(username: "bob", password: "wrong-${i}") { accessToken } }`);
    expect(codes(last!)).toEqual(['RATE_LIMITED']);
  });
});

describe('very large batches', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ flavour: '3.4', pods: 10000 });
  });
  afterAll(() => stack.close());

  it('split names= lookups so that no upstream URL grows past a few kilobytes', async () => {
    const token = stack.sim.issueToken('admin');
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ pods(limit: 500) { items { ...node } } more: pods(limit: 500, page: 2) { items { ...node } } }
       fragment node on Pod { metadata { name } nodeName node { metadata { name } } }`,
      { token },
    );
    expect(result.errors).toBeUndefined();
    const pods = [...result.data!.pods.items, ...result.data!.more.items].filter((pod: any) => pod.nodeName);
    expect(pods.length).toBeGreaterThan(900);
    for (const pod of pods) expect(pod.node.metadata.name).toBe(pod.nodeName);
    // Nodes are looked up by name (ReplicaSets, read natively, have no names= lookup any more).
    const lookups = stack.upstreamCalls().filter((call) => call.path.endsWith('/v1alpha3/nodes'));
    const names = lookups.flatMap((call) => call.query.names!.split(','));
    expect(lookups.length).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set(pods.map((p: any) => p.nodeName)));
    for (const call of stack.upstreamCalls()) expect(call.path.length + call.rawQuery.length).toBeLessThan(4096);
  });
});
