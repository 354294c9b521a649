/**
 * The read model as a console page would use it: one query per page, on both
 * simulator flavours, asserting the data and every upstream call it costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../simulator/index.ts';
import { ADMIN, ALICE, codes, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

describe.each(FLAVOURS)('KubeSphere %s read model', (flavour) => {
  let stack: Stack;
  let admin: string;
  let alice: string;
  const v4 = flavour === '4.1';
  const tenantV = v4 ? 'v1beta1' : 'v1alpha2';
  const iamV = v4 ? 'v1beta1' : 'v1alpha2';
  const member = (path: string) => (v4 ? `/clusters/member-1${path}` : path.replace(/^\/kapis\//, '/kapis/clusters/member-1/'));
  const R = '/kapis/resources.kubesphere.io/v1alpha3';

  beforeAll(async () => {
    stack = await startStack({ flavour });
    admin = await stack.login(ADMIN.username, ADMIN.password);
    alice = await stack.login(ALICE.username, ALICE.password);
  });
  afterAll(() => stack.close());

  const calls = () => stack.upstreamCalls().map((r) => `${r.method} ${r.path}${r.rawQuery ? `?${decodeURIComponent(r.rawQuery.replace(/\+/g, ' '))}` : ''}`);
  async function run(query: string, token: string) {
    stack.sim.clearRequests();
    return stack.gql(query, { token });
  }

  it('cluster overview: clusters with their nodes, one call per cluster', async () => {
    const result = await run(
      `{ clusters { totalItems items { name role ready provider kubernetesVersion kubesphereVersion nodeCount configz
          nodes(limit: 20, sort: { field: NAME, ascending: true }) { totalItems items { metadata { name } status roles ready } } } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    const clusters = result.data!.clusters.items;
    expect(clusters.map((c: any) => [c.name, c.role, c.ready]).sort()).toEqual([
      ['host', 'HOST', true],
      ['member-1', 'MEMBER', true],
    ]);
    const host = clusters.find((c: any) => c.name === 'host');
    const edge = clusters.find((c: any) => c.name === 'member-1');
    expect(host.kubesphereVersion).toBe(v4 ? 'v4.1.3' : 'v3.4.1');
    expect(edge.provider).toBe('Aliyun ACK');
    expect(host.configz.monitoring).toBe(true);
    expect(host.nodes.items.map((n: any) => n.metadata.name)).toEqual([...DEMO.nodes.host].sort());
    expect(edge.nodes.items.map((n: any) => n.metadata.name)).toEqual([...DEMO.nodes.member].sort());
    expect(edge.nodes.items.find((n: any) => n.metadata.name === DEMO.nodes.cordoned).status).toBe('UNSCHEDULABLE');
    expect(host.nodes.items.find((n: any) => n.metadata.name === DEMO.nodes.warning).status).toBe('WARNING');
    const nodes = 'nodes?limit=20&page=1&sortBy=name&ascending=true';
    expect(calls().sort()).toEqual(
      [`GET /kapis/tenant.kubesphere.io/${tenantV}/clusters?limit=10&page=1`, `GET ${R}/${nodes}`, `GET ${member(`${R}/${nodes}`)}`].sort(),
    );
  });

  it('workspace page: projects with their workloads and the members, one call per list and project (plus 4.x member users)', async () => {
    const result = await run(
      `{ workspace(name: "demo-workspace") { metadata { name } aliasName manager clusterNames
          namespaces(limit: 20) { totalItems items { metadata { name } aliasName workspaceName
            deployments(limit: 20) { totalItems items { metadata { name } status replicas readyReplicas } }
            statefulSets { totalItems items { metadata { name } status replicas } }
            pods(limit: 1) { totalItems } } }
          members { totalItems items { user { username email } roleName } } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    const ws = result.data!.workspace;
    expect(ws).toMatchObject({ metadata: { name: 'demo-workspace' }, aliasName: 'Demo Workspace', manager: 'admin', clusterNames: ['host'] });
    expect(ws.namespaces.items.map((n: any) => n.metadata.name).sort()).toEqual([...DEMO.namespaces['demo-workspace']].sort());
    const app = ws.namespaces.items.find((n: any) => n.metadata.name === 'demo-app');
    expect(app.aliasName).toBe(DEMO.aliases['demo-app']);
    expect(app.deployments.totalItems).toBe(DEMO.deployments['demo-app'].length);
    expect(app.deployments.items.find((d: any) => d.metadata.name === 'legacy-worker').status).toBe('STOPPED');
    expect(app.pods.totalItems).toBeGreaterThan(20);
    const db = ws.namespaces.items.find((n: any) => n.metadata.name === 'demo-db');
    expect(db.statefulSets.items.map((s: any) => s.metadata.name).sort()).toEqual([...DEMO.statefulsets['demo-db']].sort());
    expect(ws.members.items).toContainEqual({ user: { username: 'admin', email: 'admin@kubesphere.io' }, roleName: 'demo-workspace-admin' });
    expect(calls().sort()).toEqual(
      [
        // 4.x: the template (with placement), and the members' users by name (4.1 members are stubs).
        `GET /kapis/tenant.kubesphere.io/${tenantV}/${v4 ? 'workspacetemplates' : 'workspaces'}/demo-workspace`,
        `GET /kapis/tenant.kubesphere.io/${tenantV}/workspaces/demo-workspace/namespaces?limit=-1`,
        `GET /kapis/iam.kubesphere.io/${iamV}/workspaces/demo-workspace/workspacemembers?limit=-1`,
        ...(v4 ? [`GET /kapis/iam.kubesphere.io/${iamV}/users?limit=1&names=admin`] : []),
        // Each project's lists are its own page, counted upstream: never the cluster's whole lists.
        ...DEMO.namespaces['demo-workspace'].flatMap((ns) => [
          `GET ${R}/namespaces/${ns}/deployments?limit=20&page=1`,
          `GET ${R}/namespaces/${ns}/statefulsets?limit=10&page=1`,
          `GET ${R}/namespaces/${ns}/pods?limit=1&page=1`,
        ]),
      ].sort(),
    );
  });

  it('workload detail page: pods with nodes, owners and events, replica sets, in 6 calls', async () => {
    const { namespace, deployment, restarts } = DEMO.cases.crashLoop;
    const result = await run(
      `{ deployment(namespace: "${namespace}", name: "${deployment}") { metadata { name } status images
          replicaSets { items { metadata { name } revision replicas } }
          events { items { reason } }
          pods { items { metadata { name } status statusReason restarts nodeName
            node { metadata { name } ready roles }
            owner { __typename ... on ReplicaSet { metadata { name } owner { __typename ... on Deployment { metadata { name } } } } }
            events { items { type reason count source } } } } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    const d = result.data!.deployment;
    expect(d.status).toBe('UPDATING');
    expect(d.replicaSets.items).toHaveLength(1);
    const crashing = d.pods.items.find((p: any) => p.statusReason === 'CrashLoopBackOff');
    // KubeSphere counts a CrashLoopBackOff pod as waiting, not as an error.
    expect(crashing.status).toBe('WAITING');
    expect(crashing.restarts).toBe(restarts);
    expect(crashing.events.items.map((e: any) => e.reason)).toEqual(['BackOff', 'Pulled']);
    expect(crashing.events.items[0]).toMatchObject({ type: 'WARNING', source: 'kubelet' });
    for (const pod of d.pods.items) {
      expect(pod.node.metadata.name).toBe(pod.nodeName);
      expect(pod.owner).toEqual({
        __typename: 'ReplicaSet',
        metadata: { name: d.replicaSets.items[0].metadata.name },
        owner: { __typename: 'Deployment', metadata: { name: deployment } },
      });
    }
    const rsName = d.replicaSets.items[0].metadata.name;
    // ReplicaSets are native on both generations (3.x's v1alpha3 has no replicasets either).
    const replicaSets = `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=`;
    const rsGet = `/apis/apps/v1/namespaces/${namespace}/replicasets/${rsName}`;
    expect(calls()).toHaveLength(6);
    expect(calls()).toEqual(
      expect.arrayContaining([
        `GET ${R}/namespaces/${namespace}/deployments/${deployment}`,
        // The deployment's objects, selected upstream by its selector.
        expect.stringMatching(new RegExp(`^GET ${replicaSets.replace(/[?]/g, '\\?')}\\S+`)),
        expect.stringMatching(new RegExp(`^GET ${R}/namespaces/${namespace}/pods\\?limit=-1&labelSelector=\\S+`)),
        `GET /api/v1/namespaces/${namespace}/events`,
        `GET ${rsGet}`,
        expect.stringMatching(new RegExp(`^GET ${R}/nodes\\?limit=\\d&names=`)),
      ]),
    );
  });

  it("a user's own workspaces with their roles: admin through role bindings, alice through what she may see", async () => {
    const query = `{ me { username email globalRoleName workspaces { items { workspaceName roleName workspace { aliasName manager } } } } }`;
    const asAdmin = await run(query, admin);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.me).toMatchObject({ username: 'admin', globalRoleName: 'platform-admin' });
    expect(asAdmin.data!.me.workspaces.items.map((w: any) => [w.workspaceName, w.roleName]).sort()).toEqual([
      ['demo-workspace', 'demo-workspace-admin'],
      ['system-workspace', 'system-workspace-admin'],
    ]);
    expect(calls()).toEqual([
      `GET /kapis/iam.kubesphere.io/${iamV}/users/admin`,
      `GET ${R}/workspacerolebindings?limit=-1&labelSelector=iam.kubesphere.io/user-ref in (admin)`,
      `GET /kapis/tenant.kubesphere.io/${tenantV}/${v4 ? 'workspacetemplates' : 'workspaces'}?limit=2&names=demo-workspace,system-workspace`,
    ]);

    const asAlice = await run(query, alice);
    expect(asAlice.errors).toBeUndefined();
    expect(asAlice.data!.me).toEqual({
      username: 'alice',
      email: DEMO.users.alice.email,
      globalRoleName: 'platform-regular',
      workspaces: { items: [{ workspaceName: 'team-alpha', roleName: 'team-alpha-admin', workspace: { aliasName: 'Team Alpha', manager: 'alice' } }] },
    });
    expect(calls()).toEqual([
      `GET /kapis/iam.kubesphere.io/${iamV}/users/alice`,
      `GET ${R}/workspacerolebindings?limit=-1&labelSelector=iam.kubesphere.io/user-ref in (alice)`,
      `GET /kapis/tenant.kubesphere.io/${tenantV}/${v4 ? 'workspacetemplates' : 'workspaces'}?limit=-1`,
      `GET /kapis/iam.kubesphere.io/${iamV}/workspaces/team-alpha/workspacemembers?limit=-1`,
      ...(v4 ? [`GET /kapis/iam.kubesphere.io/${iamV}/users?limit=1&names=alice`] : []),
    ]);
    expect(stack.upstreamCalls()[1]!.status).toBe(403);
  });

  it('alice gets her workspace and FORBIDDEN for another, without losing the rest', async () => {
    const result = await run(
      `{ mine: workspace(name: "team-alpha") { metadata { name } namespaces { items { metadata { name } deployments { totalItems } services { totalItems } } } }
         other: workspace(name: "team-beta") { metadata { name } }
         project: namespace(name: "alpha-web") { workspace { metadata { name } } }
         foreign: namespace(name: "demo-app") { metadata { name } } }`,
      alice,
    );
    expect(result.data!.mine.metadata.name).toBe('team-alpha');
    expect(result.data!.mine.namespaces.items.map((n: any) => [n.metadata.name, n.deployments.totalItems]).sort()).toEqual([
      ['alpha-api', DEMO.deployments['alpha-api'].length],
      ['alpha-web', DEMO.deployments['alpha-web'].length],
    ]);
    expect(result.data!.project.workspace.metadata.name).toBe('team-alpha');
    expect(result.data!.other).toBeNull();
    expect(result.data!.foreign).toBeNull();
    expect(result.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort()).toEqual([
      ['foreign', 'FORBIDDEN'],
      ['other', 'FORBIDDEN'],
    ]);
  });

  it('routes every root field to a member cluster with the right prefix', async () => {
    const result = await run(
      `{ deployments(cluster: "member-1", namespace: "beta-edge") { items { metadata { name } pods { items { node { metadata { name } } } } } }
         namespace(cluster: "member-1", name: "beta-edge") { workspaceName services { items { metadata { name } } } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.deployments.items.map((d: any) => d.metadata.name).sort()).toEqual([...DEMO.deployments['beta-edge']].sort());
    for (const d of result.data!.deployments.items) for (const pod of d.pods.items) expect(DEMO.nodes.member).toContain(pod.node.metadata.name);
    expect(result.data!.namespace).toEqual({ workspaceName: 'team-beta', services: { items: [{ metadata: { name: 'edge-gateway' } }] } });
    for (const call of calls()) expect(call).toContain(v4 ? 'GET /clusters/member-1/kapis/' : 'GET /kapis/clusters/member-1/');
  });

  it('serves every modelled kind with typed fields', async () => {
    const result = await run(
      `{ statefulSets(namespace: "demo-db") { totalItems items { metadata { name } serviceName pods { items { metadata { name } } } } }
         daemonSets(namespace: "kube-system") { totalItems items { metadata { name } status desiredNumberScheduled pods(limit: 50) { items { nodeName } } } }
         replicaSets(namespace: "demo-app", filter: { name: "frontend" }) { totalItems items { owner { __typename } } }
         jobs(namespace: "demo-app", filter: { status: FAILED }) { items { metadata { name } status failed owner { __typename } events { items { reason } } } }
         cronJobs(namespace: "demo-app") { items { metadata { name } schedule lastScheduleTime jobs { items { metadata { name } status } } } }
         horizontalPodAutoscalers(namespace: "demo-app") { items { targetKind targetName minReplicas maxReplicas currentCPUUtilization target { __typename ... on Deployment { replicas } } } }
         services(namespace: "alpha-web") { items { metadata { name } type ports { port targetPort nodePort } pods { items { metadata { name } } } } }
         ingresses(namespace: "demo-app") { items { rules { host paths { path serviceName } } tls { secretName } services { metadata { name } } } }
         configMaps(namespace: "demo-app", filter: { name: "backend" }) { items { keys data } }
         persistentVolumeClaims(namespace: "demo-app") { items { metadata { name } phase storageClassName volume { phase claim { metadata { name } } } pods { items { metadata { name } } } } }
         persistentVolumes(limit: 1) { totalItems items { phase claimName } }
         storageClasses(sort: { field: NAME, ascending: true }) { totalItems items { metadata { name } isDefault provisioner } }
         events(namespace: "demo-app", filter: { involvedObjectKind: "Job" }, limit: 5) { items { reason involvedObject { kind name } } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    const d = result.data!;
    expect(d.statefulSets.totalItems).toBe(2);
    expect(d.statefulSets.items.find((s: any) => s.metadata.name === 'redis').pods.items).toHaveLength(3);
    expect(d.daemonSets.totalItems).toBe(DEMO.daemonsets['kube-system'].length);
    for (const ds of d.daemonSets.items) expect(ds.pods.items.length).toBe(ds.desiredNumberScheduled);
    expect(d.replicaSets.totalItems).toBe(2);
    expect(d.replicaSets.items[0].owner.__typename).toBe('Deployment');
    expect(d.jobs.items).toEqual([
      {
        metadata: { name: DEMO.cases.failedJob.job },
        status: 'FAILED',
        failed: expect.any(Number),
        owner: null,
        events: { items: [{ reason: 'BackoffLimitExceeded' }] },
      },
    ]);
    const cron = d.cronJobs.items.find((c: any) => c.metadata.name === DEMO.cases.cronJob.cronJob);
    expect(cron.schedule).toBe('0 2 * * *');
    expect(cron.jobs.items.map((j: any) => j.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(d.horizontalPodAutoscalers.items.map((h: any) => [h.targetName, h.target.__typename]).sort()).toEqual([
      ['backend-api', 'Deployment'],
      ['frontend', 'Deployment'],
    ]);
    expect(d.services.items.find((s: any) => s.metadata.name === 'gateway')).toMatchObject({
      type: 'NODE_PORT',
      ports: [{ port: 8080, targetPort: '8080', nodePort: 30080 }],
    });
    expect(d.ingresses.items[0].services.map((s: any) => s.metadata.name).sort()).toEqual(['backend-api', 'frontend']);
    expect(d.ingresses.items[0].tls).toEqual([{ secretName: 'frontend-tls' }]);
    expect(d.configMaps.items[0].keys).toEqual(['LOG_LEVEL', 'application.yaml']);
    const claims = d.persistentVolumeClaims.items;
    expect(claims.find((c: any) => c.metadata.name === DEMO.cases.pendingClaim.pvc)).toMatchObject({ phase: 'PENDING', volume: null, pods: { items: [] } });
    const uploads = claims.find((c: any) => c.metadata.name === 'uploads');
    expect(uploads.volume).toEqual({ phase: 'BOUND', claim: { metadata: { name: 'uploads' } } });
    expect(uploads.pods.items.length).toBe(5);
    expect(d.storageClasses.items.map((s: any) => [s.metadata.name, s.isDefault])).toEqual([
      ['csi-standard', false],
      ['local', true],
    ]);
    expect(d.events.items).toEqual([{ reason: 'BackoffLimitExceeded', involvedObject: { kind: 'Job', name: DEMO.cases.failedJob.job } }]);
  });

  it('never shows secret values unless asked, and never in raw or metadata', async () => {
    const result = await run(
      `{ secrets(namespace: "demo-app") { items { metadata { name annotations } type keys raw } }
         secret(namespace: "demo-app", name: "backend-db-credentials") { keys data(keys: ["password", "nope"]) { key value base64 } }
         generic: resource(resource: "secrets", namespace: "demo-app", name: "backend-db-credentials") { kind raw }
         native: resources(resource: "secrets", apiVersion: "v1", namespace: "demo-app") { items { kind raw } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    const text = JSON.stringify({ ...result.data, secret: undefined });
    for (const value of ['S3cr3t-Sh0p', Buffer.from('S3cr3t-Sh0p').toString('base64'), 'not-a-real-password']) expect(text).not.toContain(value);
    expect(text).not.toContain('"data"');
    const tls = result.data!.secrets.items.find((s: any) => s.metadata.name === 'frontend-tls');
    expect(tls).toMatchObject({ type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] });
    expect(result.data!.secret).toEqual({
      keys: ['password', 'username'],
      data: [{ key: 'password', value: 'S3cr3t-Sh0p', base64: Buffer.from('S3cr3t-Sh0p').toString('base64') }],
    });
    expect(result.data!.generic.kind).toBe('Secret');
    expect(result.data!.native.items.every((s: any) => s.kind === 'Secret')).toBe(true);
  });

  it('drops secret values of other secret-holding kinds (3.x FederatedSecret) in the escape hatch', async () => {
    const federated = {
      metadata: {
        name: 'shared-creds',
        namespace: 'demo-app',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"template":{"data":{"k":"czNjcjN0"}}}}' },
      },
      spec: { template: { type: 'Opaque', data: { k: 'czNjcjN0' }, stringData: { s: 's3cr3t' } }, placement: { clusters: [{ name: 'host' }] } },
    };
    stack.sim.faults.add({
      path: /\/federatedsecrets(\/shared-creds)?$/,
      fault: { kind: 'body', body: JSON.stringify({ items: [federated], totalItems: 1 }) },
    });
    try {
      const result = await run(
        `{ resources(resource: "federatedsecrets", namespace: "demo-app") { totalItems items { metadata { name annotations } raw } } }`,
        admin,
      );
      expect(result.errors).toBeUndefined();
      const [item] = result.data!.resources.items;
      expect(item.raw.spec.template).toEqual({ type: 'Opaque' });
      expect(item.raw.spec.placement).toEqual(federated.spec.placement);
      expect(JSON.stringify(result.data)).not.toMatch(/czNjcjN0|s3cr3t/);
    } finally {
      stack.sim.faults.clear();
    }
  });

  it('reads any other kind through the escape hatch, and validates kind and group names', async () => {
    const result = await run(
      `{ accounts: resources(resource: "serviceaccounts", namespace: "demo-app") { totalItems items { metadata { name } } }
         roles: resources(resource: "workspaceroles", filter: { labelSelector: "kubesphere.io/workspace=team-alpha" }, limit: 50) { totalItems }
         crd: resources(resource: "clusters", apiVersion: "cluster.kubesphere.io/v1alpha1") { totalItems items { kind metadata { name } } }
         one: resource(resource: "deployments", apiVersion: "apps/v1", namespace: "demo-app", name: "cart") { kind apiVersion metadata { name } } }`,
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.roles.totalItems).toBe(4);
    expect(result.data!.crd.items.map((c: any) => c.metadata.name).sort()).toEqual(['host', 'member-1']);
    expect(result.data!.one).toEqual({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'cart' } });

    const bad = await run(
      `{ a: resources(resource: "../secrets") { totalItems } b: resources(resource: "pods", apiVersion: "evil.com/../v1") { totalItems }
         c: resources(resource: "pods", apiVersion: "x/v1") { totalItems } d: resource(resource: "Pods", name: "x") { raw } }`,
      admin,
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });
});
