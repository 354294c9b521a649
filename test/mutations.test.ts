/**
 * The write mutations against the simulator, on both flavours: each one's
 * answer and the exact upstream request it made (method, path, dryRun and
 * other parameters, content type, body), dry runs that change nothing,
 * conflicts, authorization, validation before any call, and failures that
 * are not retried.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, codes, FLAVOURS, startStack, type GraphQLResponse, type Stack } from './helpers/stack.ts';
import { recordWire } from './helpers/wire.ts';

interface Upstream {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  body: unknown;
  status: number;
}

describe.each(FLAVOURS)('mutations (%s)', (flavour) => {
  let stack: Stack;
  let admin: string;
  let alice: string;
  let wire: ReturnType<typeof recordWire>;
  const v4 = flavour === '4.1';
  const tenant = `/kapis/tenant.kubesphere.io/${v4 ? 'v1beta1' : 'v1alpha2'}`;
  const templates = `tenant.kubesphere.io/${v4 ? 'v1beta1' : 'v1alpha2'}`;
  /** What each mutation sent upstream, for the table in the closing note (MUTATION_TABLE=<file>). */
  const table: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ flavour });
    admin = await stack.login(ADMIN.username, ADMIN.password);
    alice = await stack.login(ALICE.username, ALICE.password);
    wire = recordWire(stack.sim.url);
  });
  afterAll(async () => {
    wire.stop();
    await stack.close();
    if (process.env.MUTATION_TABLE) writeFileSync(`${process.env.MUTATION_TABLE}.${flavour}.md`, table.join('\n') + '\n');
  });

  /** Runs one operation and returns its response with the upstream requests it caused (bodies from the wire). */
  async function run(query: string, options: { token?: string; variables?: Record<string, unknown> } = {}) {
    stack.sim.clearRequests();
    wire.clear();
    const res = await stack.gql(query, { token: options.token ?? admin, variables: options.variables });
    const sent = [...wire.sent];
    const upstream: Upstream[] = stack.upstreamCalls().map((call, i) => {
      const body = sent[i]?.body;
      return {
        method: call.method,
        path: call.path,
        query: call.rawQuery,
        contentType: call.headers['content-type'],
        body: body === undefined ? undefined : JSON.parse(body),
        status: call.status,
      };
    });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(upstream.map((u) => `${u.method} ${u.path}${u.query ? `?${u.query}` : ''}`));
    return { res, upstream };
  }

  function note(mutation: string, upstream: Upstream[]) {
    const calls = upstream.map(
      (u) =>
        `\`${u.method} ${u.path}${u.query ? `?${u.query}` : ''}\`${u.contentType ? ` ${u.contentType}` : ''}${u.body === undefined ? '' : ` \`${JSON.stringify(u.body)}\``} → ${u.status}`,
    );
    table.push(`| ${mutation} | ${calls.join('<br>')} |`);
  }

  const ok = <T = any>(res: GraphQLResponse): T => {
    expect(res.errors).toBeUndefined();
    return res.data as T;
  };

  /** Reads an object back through the facade; null when it is not there. */
  async function read(resource: string, apiVersion: string, name: string, namespace?: string): Promise<any> {
    const res = await stack.gql(
      'query ($r: String!, $v: String, $n: String!, $ns: String) { resource(resource: $r, apiVersion: $v, name: $n, namespace: $ns) { raw } }',
      {
        token: admin,
        variables: { r: resource, v: apiVersion, n: name, ns: namespace },
      },
    );
    if (res.errors) expect(codes(res)).toEqual(['NOT_FOUND']);
    return res.data?.resource?.raw ?? null;
  }

  const replicasOf = async (namespace: string, name: string) => (await read('deployments', 'apps/v1', name, namespace)).spec.replicas as number;

  describe('workloads', () => {
    it('scaleDeployment: a merge patch of spec.replicas, answered with the Deployment', async () => {
      const { res, upstream } = await run(
        'mutation { scaleDeployment(namespace: "alpha-web", name: "web", replicas: 3) { kind cluster replicas metadata { name } } }',
      );
      expect(ok(res).scaleDeployment).toEqual({ kind: 'Deployment', cluster: 'host', replicas: 3, metadata: { name: 'web' } });
      expect(upstream).toEqual([
        {
          method: 'PATCH',
          path: '/apis/apps/v1/namespaces/alpha-web/deployments/web',
          query: '',
          contentType: 'application/merge-patch+json',
          body: { spec: { replicas: 3 } },
          status: 200,
        },
      ]);
      note('scaleDeployment', upstream);
      expect(await replicasOf('alpha-web', 'web')).toBe(3);
    });

    it('scaleStatefulSet, with a resourceVersion precondition', async () => {
      const rv = (await read('statefulsets', 'apps/v1', 'postgres', 'alpha-api')).metadata.resourceVersion;
      const { res, upstream } = await run(
        `mutation { scaleStatefulSet(namespace: "alpha-api", name: "postgres", replicas: 2, resourceVersion: "${rv}") { kind replicas } }`,
      );
      expect(ok(res).scaleStatefulSet).toEqual({ kind: 'StatefulSet', replicas: 2 });
      expect(upstream).toMatchObject([
        {
          method: 'PATCH',
          path: '/apis/apps/v1/namespaces/alpha-api/statefulsets/postgres',
          query: '',
          contentType: 'application/merge-patch+json',
          body: { metadata: { resourceVersion: rv }, spec: { replicas: 2 } },
        },
      ]);
      note('scaleStatefulSet', upstream);
    });

    it('a stale resourceVersion on scale is CONFLICT with the current resourceVersion, and nothing changes', async () => {
      const before = await read('deployments', 'apps/v1', 'api', 'alpha-api');
      await run('mutation { scaleDeployment(namespace: "alpha-api", name: "api", replicas: 2) { replicas } }');
      const current = (await read('deployments', 'apps/v1', 'api', 'alpha-api')).metadata.resourceVersion;
      const { res, upstream } = await run(
        `mutation { scaleDeployment(namespace: "alpha-api", name: "api", replicas: 7, resourceVersion: "${before.metadata.resourceVersion}") { replicas } }`,
      );
      expect(codes(res)).toEqual(['CONFLICT']);
      expect(res.errors![0]!.extensions).toMatchObject({ httpStatus: 409, reason: 'Conflict', currentResourceVersion: current });
      expect(upstream.map((u) => [u.method, u.status])).toEqual([
        ['PATCH', 409],
        ['GET', 200],
      ]);
      expect(await replicasOf('alpha-api', 'api')).toBe(2);
    });

    it('restartDeployment stamps kubesphere.io/restartedAt (RFC 3339) and the controller rolls out a new ReplicaSet', async () => {
      const replicaSets = async () =>
        (await stack.gql('{ resources(resource: "replicasets", apiVersion: "apps/v1", namespace: "alpha-api", limit: 100) { totalItems } }', { token: admin }))
          .data!.resources.totalItems as number;
      const before = await replicaSets();
      const { res, upstream } = await run('mutation { restartDeployment(namespace: "alpha-api", name: "api") { kind raw } }');
      const stamp = ok(res).restartDeployment.raw.spec.template.metadata.annotations['kubesphere.io/restartedAt'];
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Math.abs(Date.parse(stamp) - Date.now())).toBeLessThan(60_000);
      expect(upstream).toEqual([
        {
          method: 'PATCH',
          path: '/apis/apps/v1/namespaces/alpha-api/deployments/api',
          query: '',
          contentType: 'application/merge-patch+json',
          body: { spec: { template: { metadata: { annotations: { 'kubesphere.io/restartedAt': stamp } } } } },
          status: 200,
        },
      ]);
      note('restartDeployment', upstream);
      expect(await replicaSets()).toBe(before + 1);
    });

    it.each([
      ['restartStatefulSet', 'statefulsets', 'alpha-api', 'postgres', 'StatefulSet'],
      ['restartDaemonSet', 'daemonsets', 'kube-system', 'calico-node', 'DaemonSet'],
    ])('%s patches the pod template of the %s', async (mutation, plural, namespace, name, kind) => {
      const { res, upstream } = await run(`mutation { ${mutation}(namespace: "${namespace}", name: "${name}") { kind metadata { name } } }`);
      expect(ok(res)[mutation]).toEqual({ kind, metadata: { name } });
      expect(upstream).toMatchObject([
        {
          method: 'PATCH',
          path: `/apis/apps/v1/namespaces/${namespace}/${plural}/${name}`,
          query: '',
          contentType: 'application/merge-patch+json',
          body: { spec: { template: { metadata: { annotations: { 'kubesphere.io/restartedAt': expect.any(String) } } } } },
        },
      ]);
      note(mutation, upstream);
    });
  });

  describe('deletes', () => {
    it('deletePod sends gracePeriodSeconds and answers a DeleteResult; a dry run leaves the pod', async () => {
      const pods = await stack.gql('{ pods(namespace: "alpha-web", limit: 2) { items { metadata { name } } } }', { token: admin });
      const [dryName, name] = pods.data!.pods.items.map((p: any) => p.metadata.name) as [string, string];

      const dry = await run(`mutation { deletePod(namespace: "alpha-web", name: "${dryName}", dryRun: true) { kind name namespace dryRun status } }`);
      expect(ok(dry.res).deletePod).toMatchObject({ kind: 'Pod', name: dryName, namespace: 'alpha-web', dryRun: true });
      expect(dry.upstream).toMatchObject([{ method: 'DELETE', path: `/api/v1/namespaces/alpha-web/pods/${dryName}`, query: 'dryRun=All', body: undefined }]);
      note('deletePod (dryRun)', dry.upstream);
      expect(await read('pods', 'v1', dryName, 'alpha-web')).not.toBeNull();

      const { res, upstream } = await run(
        `mutation { deletePod(namespace: "alpha-web", name: "${name}", gracePeriodSeconds: 0) { kind name cluster uid dryRun status object { kind metadata { name } } } }`,
      );
      expect(ok(res).deletePod).toMatchObject({
        kind: 'Pod',
        name,
        cluster: 'host',
        dryRun: false,
        status: 'DELETED',
        object: { kind: 'Pod', metadata: { name } },
      });
      expect(ok(res).deletePod.uid).toBeTruthy();
      expect(upstream).toEqual([
        {
          method: 'DELETE',
          path: `/api/v1/namespaces/alpha-web/pods/${name}`,
          query: 'gracePeriodSeconds=0',
          contentType: undefined,
          body: undefined,
          status: 200,
        },
      ]);
      note('deletePod', upstream);
      expect(await read('pods', 'v1', name, 'alpha-web')).toBeNull();
    });

    it('deleteResource: DELETE on the native path with propagationPolicy (Background unless asked)', async () => {
      await run(
        'mutation { applyResource(manifest: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "to-delete", namespace: "alpha-web"}, data: {a: "1"}}) { kind } }',
      );
      const { res, upstream } = await run(
        'mutation { deleteResource(resource: "configmaps", namespace: "alpha-web", name: "to-delete") { kind name status object { apiVersion } } }',
      );
      expect(ok(res).deleteResource).toEqual({ kind: 'ConfigMap', name: 'to-delete', status: 'DELETED', object: { apiVersion: 'v1' } });
      expect(upstream).toEqual([
        {
          method: 'DELETE',
          path: '/api/v1/namespaces/alpha-web/configmaps/to-delete',
          query: 'propagationPolicy=Background',
          contentType: undefined,
          body: undefined,
          status: 200,
        },
      ]);
      note('deleteResource', upstream);
      expect(await read('configmaps', 'v1', 'to-delete', 'alpha-web')).toBeNull();

      const orphan = await run(
        'mutation { deleteResource(resource: "deployments", apiVersion: "apps/v1", namespace: "demo-app", name: "search", propagationPolicy: ORPHAN, dryRun: true) { kind status dryRun } }',
      );
      expect(ok(orphan.res).deleteResource).toEqual({ kind: 'Deployment', status: 'DELETED', dryRun: true });
      expect(orphan.upstream).toMatchObject([
        { method: 'DELETE', path: '/apis/apps/v1/namespaces/demo-app/deployments/search', query: 'dryRun=All&propagationPolicy=Orphan' },
      ]);
      note('deleteResource (ORPHAN, dryRun)', orphan.upstream);
      expect(await read('deployments', 'apps/v1', 'search', 'demo-app')).not.toBeNull();
    });
  });

  describe('nodes', () => {
    it('cordonNode and uncordonNode: a merge patch of spec.unschedulable (true, then null)', async () => {
      const cordon = await run('mutation { cordonNode(name: "worker-1") { kind unschedulable metadata { name } } }');
      expect(ok(cordon.res).cordonNode).toEqual({ kind: 'Node', unschedulable: true, metadata: { name: 'worker-1' } });
      expect(cordon.upstream).toEqual([
        {
          method: 'PATCH',
          path: '/api/v1/nodes/worker-1',
          query: '',
          contentType: 'application/merge-patch+json',
          body: { spec: { unschedulable: true } },
          status: 200,
        },
      ]);
      note('cordonNode', cordon.upstream);
      expect((await read('nodes', 'v1', 'worker-1')).spec.unschedulable).toBe(true);

      const uncordon = await run('mutation { uncordonNode(name: "worker-1") { unschedulable } }');
      expect(ok(uncordon.res).uncordonNode).toEqual({ unschedulable: false });
      expect(uncordon.upstream).toMatchObject([{ method: 'PATCH', path: '/api/v1/nodes/worker-1', body: { spec: { unschedulable: null } } }]);
      note('uncordonNode', uncordon.upstream);
      expect((await read('nodes', 'v1', 'worker-1')).spec.unschedulable).toBeUndefined();
    });

    it('routes a member cluster write through the cluster prefix', async () => {
      const { res, upstream } = await run('mutation { cordonNode(name: "edge-master", cluster: "member-1", dryRun: true) { cluster unschedulable } }');
      expect(ok(res).cordonNode).toEqual({ cluster: 'member-1', unschedulable: true });
      expect(upstream).toMatchObject([
        { method: 'PATCH', path: v4 ? '/clusters/member-1/api/v1/nodes/edge-master' : '/api/clusters/member-1/v1/nodes/edge-master', query: 'dryRun=All' },
      ]);
      note('cordonNode (member cluster, dryRun)', upstream);
    });

    it('setNodeTaints replaces spec.taints; an empty list removes them', async () => {
      const { res, upstream } = await run(
        'mutation { setNodeTaints(name: "worker-2", taints: [{key: "dedicated", value: "gpu", effect: NO_SCHEDULE}, {key: "example.com/drain", effect: NO_EXECUTE}]) { taints { key value effect } } }',
      );
      expect(ok(res).setNodeTaints.taints).toEqual([
        { key: 'dedicated', value: 'gpu', effect: 'NO_SCHEDULE' },
        { key: 'example.com/drain', value: null, effect: 'NO_EXECUTE' },
      ]);
      expect(upstream).toEqual([
        {
          method: 'PATCH',
          path: '/api/v1/nodes/worker-2',
          query: '',
          contentType: 'application/merge-patch+json',
          body: {
            spec: {
              taints: [
                { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
                { key: 'example.com/drain', effect: 'NoExecute' },
              ],
            },
          },
          status: 200,
        },
      ]);
      note('setNodeTaints', upstream);
      const cleared = await run('mutation { setNodeTaints(name: "worker-2", taints: []) { taints { key } } }');
      expect(ok(cleared.res).setNodeTaints.taints).toEqual([]);
      expect(cleared.upstream).toMatchObject([{ body: { spec: { taints: null } } }]);
    });

    it('drainNodePreview only reads, and sorts the pods by kubectl drain rules', async () => {
      const { res, upstream } = await run(
        'mutation { drainNodePreview(name: "worker-1") { node { metadata { name } } evictable { metadata { name ownerReferences { kind } } } refused { pod { metadata { name } } reason message } } }',
      );
      const preview = ok(res).drainNodePreview;
      expect(preview.node.metadata.name).toBe('worker-1');
      expect(upstream.every((u) => u.method === 'GET')).toBe(true);
      note('drainNodePreview', upstream);
      const reasons = new Set(preview.refused.map((r: any) => r.reason));
      expect(reasons.has('DAEMON_SET')).toBe(true);
      expect(preview.evictable.length).toBeGreaterThan(0);
      for (const pod of preview.evictable) expect(pod.metadata.ownerReferences.map((o: any) => o.kind)).not.toContain('DaemonSet');
    });
  });

  describe('labels and annotations', () => {
    it('setLabels: a merge patch of metadata.labels where null removes a key', async () => {
      await run('mutation { setLabels(resource: "deployments", namespace: "alpha-web", name: "gateway", labels: {tier: "edge", drop: "me"}) { kind } }');
      const { res, upstream } = await run(
        'mutation { setLabels(resource: "deployments", namespace: "alpha-web", name: "gateway", labels: {tier: "front", drop: null}) { kind apiVersion metadata { labels } } }',
      );
      const labels = ok(res).setLabels.metadata.labels;
      expect(ok(res).setLabels).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1' });
      expect(labels.tier).toBe('front');
      expect(labels).not.toHaveProperty('drop');
      expect(upstream).toEqual([
        {
          method: 'PATCH',
          path: '/apis/apps/v1/namespaces/alpha-web/deployments/gateway',
          query: '',
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { tier: 'front', drop: null } } },
          status: 200,
        },
      ]);
      note('setLabels', upstream);
    });

    it('setAnnotations on any kind by apiVersion', async () => {
      const { res, upstream } = await run(
        'mutation ($a: JSONObject!) { setAnnotations(resource: "namespaces", apiVersion: "v1", name: "alpha-web", annotations: $a) { metadata { annotations } } }',
        { variables: { a: { 'kubesphere.io/description': 'the web tier' } } },
      );
      expect(ok(res).setAnnotations.metadata.annotations['kubesphere.io/description']).toBe('the web tier');
      expect(upstream).toEqual([
        {
          method: 'PATCH',
          path: '/api/v1/namespaces/alpha-web',
          query: '',
          contentType: 'application/merge-patch+json',
          body: { metadata: { annotations: { 'kubesphere.io/description': 'the web tier' } } },
          status: 200,
        },
      ]);
      note('setAnnotations', upstream);
    });
  });

  describe('projects and workspaces', () => {
    it('createProject goes to the tenant API with the workspace label; its dry run goes to the native API', async () => {
      const dry = await run(
        'mutation { createProject(workspace: "team-alpha", name: "alpha-new", aliasName: "Alpha new", dryRun: true) { kind metadata { name } workspaceName } }',
      );
      expect(ok(dry.res).createProject).toEqual({ kind: 'Namespace', metadata: { name: 'alpha-new' }, workspaceName: 'team-alpha' });
      const body = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'alpha-new',
          labels: { 'kubesphere.io/workspace': 'team-alpha' },
          annotations: { 'kubesphere.io/alias-name': 'Alpha new', 'kubesphere.io/creator': 'admin' },
        },
      };
      expect(dry.upstream).toEqual([{ method: 'POST', path: '/api/v1/namespaces', query: 'dryRun=All', contentType: 'application/json', body, status: 201 }]);
      note('createProject (dryRun)', dry.upstream);
      expect(await read('namespaces', 'v1', 'alpha-new')).toBeNull();

      const { res, upstream } = await run(
        'mutation { createProject(workspace: "team-alpha", name: "alpha-new", aliasName: "Alpha new") { kind aliasName workspaceName } }',
      );
      expect(ok(res).createProject).toEqual({ kind: 'Namespace', aliasName: 'Alpha new', workspaceName: 'team-alpha' });
      expect(upstream).toEqual([
        { method: 'POST', path: `${tenant}/workspaces/team-alpha/namespaces`, query: '', contentType: 'application/json', body, status: 200 },
      ]);
      note('createProject', upstream);
      expect((await read('namespaces', 'v1', 'alpha-new')).metadata.labels['kubesphere.io/workspace']).toBe('team-alpha');
    });

    it('deleteProject goes to the tenant API; its dry run goes to the native API and checks the workspace', async () => {
      await run('mutation { createProject(workspace: "team-alpha", name: "alpha-gone") { kind } }');
      const dry = await run('mutation { deleteProject(workspace: "team-alpha", name: "alpha-gone", dryRun: true) { kind name dryRun status } }');
      expect(ok(dry.res).deleteProject).toEqual({ kind: 'Namespace', name: 'alpha-gone', dryRun: true, status: 'DELETED' });
      expect(dry.upstream).toMatchObject([{ method: 'DELETE', path: '/api/v1/namespaces/alpha-gone', query: 'dryRun=All', body: undefined }]);
      note('deleteProject (dryRun)', dry.upstream);
      expect(await read('namespaces', 'v1', 'alpha-gone')).not.toBeNull();

      const elsewhere = await run('mutation { deleteProject(workspace: "team-beta", name: "alpha-gone", dryRun: true) { status } }');
      expect(codes(elsewhere.res)).toEqual(['NOT_FOUND']);

      const { res, upstream } = await run(
        'mutation { deleteProject(workspace: "team-alpha", name: "alpha-gone") { kind name dryRun status object { kind } } }',
      );
      expect(ok(res).deleteProject).toEqual({ kind: 'Namespace', name: 'alpha-gone', dryRun: false, status: 'ACCEPTED', object: null });
      expect(upstream).toEqual([
        { method: 'DELETE', path: `${tenant}/workspaces/team-alpha/namespaces/alpha-gone`, query: '', contentType: undefined, body: undefined, status: 200 },
      ]);
      note('deleteProject', upstream);
      expect(await read('namespaces', 'v1', 'alpha-gone')).toBeNull();
    });

    it('createWorkspace posts a WorkspaceTemplate to the tenant API; its dry run goes to the CRD path', async () => {
      const body = {
        apiVersion: templates,
        kind: 'WorkspaceTemplate',
        metadata: { name: 'team-gamma', annotations: { 'kubesphere.io/alias-name': 'Gamma', 'kubesphere.io/creator': 'admin' } },
        spec: { template: { spec: { manager: 'alice' } }, placement: { clusters: [{ name: 'host' }, { name: 'member-1' }] } },
      };
      const query = (dry: boolean) =>
        `mutation { createWorkspace(name: "team-gamma", manager: "alice", clusters: ["host", "member-1"], aliasName: "Gamma", dryRun: ${dry}) { kind metadata { name } manager clusterNames aliasName } }`;
      const result = { kind: 'WorkspaceTemplate', metadata: { name: 'team-gamma' }, manager: 'alice', clusterNames: ['host', 'member-1'], aliasName: 'Gamma' };

      const dry = await run(query(true));
      expect(ok(dry.res).createWorkspace).toEqual(result);
      expect(dry.upstream).toEqual([
        { method: 'POST', path: `/apis/${templates}/workspacetemplates`, query: 'dryRun=All', contentType: 'application/json', body, status: 201 },
      ]);
      note('createWorkspace (dryRun)', dry.upstream);
      expect(await read('workspacetemplates', templates, 'team-gamma')).toBeNull();

      const { res, upstream } = await run(query(false));
      expect(ok(res).createWorkspace).toEqual(result);
      expect(upstream).toEqual([{ method: 'POST', path: `${tenant}/workspaces`, query: '', contentType: 'application/json', body, status: 200 }]);
      note('createWorkspace', upstream);
      expect(await read('workspacetemplates', templates, 'team-gamma')).not.toBeNull();
    });
  });

  describe('manifests', () => {
    it('updateResource PUTs the whole object with its resourceVersion; a stale one is CONFLICT with the current resourceVersion', async () => {
      const original = await read('configmaps', 'v1', 'kubesphere-config', 'kubesphere-system');
      const edited = { ...original, data: { ...original.data, edited: 'yes' } };
      const { res, upstream } = await run('mutation ($m: JSONObject!) { updateResource(manifest: $m) { kind apiVersion metadata { resourceVersion } raw } }', {
        variables: { m: edited },
      });
      const updated = ok(res).updateResource;
      expect(updated).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
      expect(updated.raw.data.edited).toBe('yes');
      expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(original.metadata.resourceVersion));
      const put = upstream.filter((u) => u.method !== 'GET');
      expect(put).toEqual([
        {
          method: 'PUT',
          path: '/api/v1/namespaces/kubesphere-system/configmaps/kubesphere-config',
          query: '',
          contentType: 'application/json',
          body: edited,
          status: 200,
        },
      ]);
      // Discovery (`GET /api/v1`) at most: it is cached per upstream and cluster.
      expect(upstream.filter((u) => u.method === 'GET').every((u) => u.path === '/api/v1')).toBe(true);
      note('updateResource', upstream);

      const stale = await run('mutation ($m: JSONObject!) { updateResource(manifest: $m) { kind } }', {
        variables: { m: { ...original, data: { lost: 'update' } } },
      });
      expect(codes(stale.res)).toEqual(['CONFLICT']);
      expect(stale.res.errors![0]!.extensions).toMatchObject({ httpStatus: 409, currentResourceVersion: updated.metadata.resourceVersion });
      expect(stale.upstream.map((u) => `${u.method} ${u.status}`)).toEqual(['PUT 409', 'GET 200']);
      expect((await read('configmaps', 'v1', 'kubesphere-config', 'kubesphere-system')).data.edited).toBe('yes');
    });

    it('applyResource: server-side apply with fieldManager; another manager’s field conflicts unless force', async () => {
      const manifest = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'alpha-web' }, data: { k: value } });
      const created = await run('mutation ($m: JSONObject!) { applyResource(manifest: $m, fieldManager: "ci-bot") { kind metadata { namespace } } }', {
        variables: { m: manifest('v1') },
      });
      expect(ok(created.res).applyResource).toEqual({ kind: 'ConfigMap', metadata: { namespace: 'alpha-web' } });
      expect(created.upstream.filter((u) => u.method !== 'GET')).toEqual([
        {
          method: 'PATCH',
          path: '/api/v1/namespaces/alpha-web/configmaps/applied',
          query: 'fieldManager=ci-bot',
          contentType: 'application/apply-patch+yaml',
          body: manifest('v1'),
          status: 201,
        },
      ]);

      const conflict = await run('mutation ($m: JSONObject!) { applyResource(manifest: $m) { kind } }', { variables: { m: manifest('v2') } });
      expect(codes(conflict.res)).toEqual(['CONFLICT']);
      expect(conflict.res.errors![0]!.message).toContain('ci-bot');
      expect(conflict.upstream.map((u) => `${u.method} ${u.status}`)).toEqual(['PATCH 409', 'GET 200']);

      const { res, upstream } = await run('mutation ($m: JSONObject!) { applyResource(manifest: $m, force: true, dryRun: true) { kind raw } }', {
        variables: { m: manifest('v2') },
      });
      expect(ok(res).applyResource.raw.data).toEqual({ k: 'v2' });
      expect(upstream).toEqual([
        {
          method: 'PATCH',
          path: '/api/v1/namespaces/alpha-web/configmaps/applied',
          query: 'dryRun=All&fieldManager=kubesphere-graphql&force=true',
          contentType: 'application/apply-patch+yaml',
          body: manifest('v2'),
          status: 200,
        },
      ]);
      note('applyResource (force, dryRun)', upstream);
      expect((await read('configmaps', 'v1', 'applied', 'alpha-web')).data).toEqual({ k: 'v1' });

      const forced = await run('mutation ($m: JSONObject!) { applyResource(manifest: $m, namespace: "alpha-web", force: true) { raw } }', {
        variables: { m: { ...manifest('v3'), metadata: { name: 'applied' } } },
      });
      expect(ok(forced.res).applyResource.raw.data).toEqual({ k: 'v3' });
      expect(forced.upstream).toMatchObject([
        { method: 'PATCH', path: '/api/v1/namespaces/alpha-web/configmaps/applied', query: 'fieldManager=kubesphere-graphql&force=true', status: 200 },
      ]);
      note('applyResource (force)', forced.upstream);
    });

    it('a kind the cluster does not serve is BAD_USER_INPUT after discovery, with no write', async () => {
      const { res, upstream } = await run(
        'mutation { applyResource(manifest: {apiVersion: "v1", kind: "Widget", metadata: {name: "w"}}, namespace: "alpha-web") { kind } }',
      );
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(upstream.every((u) => u.method === 'GET')).toBe(true);
      const group = await run('mutation { applyResource(manifest: {apiVersion: "widgets.example.com/v1", kind: "Widget", metadata: {name: "w"}}) { kind } }');
      expect(codes(group.res)).toEqual(['BAD_USER_INPUT']);
      expect(group.upstream.map((u) => `${u.method} ${u.path} ${u.status}`)).toEqual(['GET /apis/widgets.example.com/v1 404']);
    });
  });

  describe('dry runs', () => {
    it('change nothing: no recorded change, and reads afterwards show the old state', async () => {
      const changes = stack.sim.changes().length;
      const replicas = await replicasOf('demo-app', 'orders');
      const node = await read('nodes', 'v1', 'worker-3');
      const dry = [
        'scaleDeployment(namespace: "demo-app", name: "orders", replicas: 9, dryRun: true) { replicas }',
        'restartDeployment(namespace: "demo-app", name: "orders", dryRun: true) { kind }',
        'cordonNode(name: "worker-3", dryRun: true) { unschedulable }',
        'setNodeTaints(name: "worker-3", taints: [{key: "k", effect: NO_SCHEDULE}], dryRun: true) { kind }',
        'setLabels(resource: "deployments", namespace: "demo-app", name: "orders", labels: {dry: "run"}, dryRun: true) { kind }',
        'deleteResource(resource: "deployments", namespace: "demo-app", name: "orders", dryRun: true) { status }',
        'createProject(workspace: "demo-workspace", name: "demo-dry", dryRun: true) { kind }',
        'deleteProject(workspace: "demo-workspace", name: "demo-db", dryRun: true) { status }',
        'createWorkspace(name: "dry-workspace", dryRun: true) { kind }',
        'applyResource(manifest: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "dry-cm", namespace: "demo-app"}}, dryRun: true) { kind }',
      ];
      const { res, upstream } = await run(`mutation { ${dry.map((m, i) => `m${i}: ${m}`).join('\n')} }`);
      ok(res);
      expect(ok(res).m0.replicas).toBe(9);
      const writes = upstream.filter((u) => u.method !== 'GET');
      expect(writes).toHaveLength(dry.length);
      for (const write of writes) expect(write.query).toContain('dryRun=All');
      expect(writes.some((w) => w.path.startsWith('/kapis/tenant'))).toBe(false);
      expect(stack.sim.changes().length).toBe(changes);
      expect(await replicasOf('demo-app', 'orders')).toBe(replicas);
      expect(await read('nodes', 'v1', 'worker-3')).toEqual(node);
      expect(await read('namespaces', 'v1', 'demo-dry')).toBeNull();
      expect(await read('namespaces', 'v1', 'demo-db')).not.toBeNull();
      expect(await read('workspacetemplates', templates, 'dry-workspace')).toBeNull();
      expect(await read('configmaps', 'v1', 'dry-cm', 'demo-app')).toBeNull();
    });
  });

  describe('authorization and order', () => {
    it('alice is FORBIDDEN outside her workspace with no change, and the other mutations of the request run, in order', async () => {
      const replicas = await replicasOf('demo-app', 'backend-api');
      const changes = stack.sim.changes().length;
      const { res, upstream } = await run(
        `mutation {
          a: scaleDeployment(namespace: "alpha-web", name: "web", replicas: 2) { replicas }
          b: scaleDeployment(namespace: "demo-app", name: "backend-api", replicas: 0) { replicas }
          c: cordonNode(name: "worker-2") { unschedulable }
          d: setLabels(resource: "deployments", namespace: "alpha-web", name: "web", labels: {owner: "alice"}) { kind }
        }`,
        { token: alice },
      );
      expect(res.data).toEqual({ a: { replicas: 2 }, b: null, c: null, d: { kind: 'Deployment' } });
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['b'], 'FORBIDDEN'],
        [['c'], 'FORBIDDEN'],
      ]);
      expect(upstream.map((u) => `${u.method} ${u.path} ${u.status}`)).toEqual([
        'PATCH /apis/apps/v1/namespaces/alpha-web/deployments/web 200',
        'PATCH /apis/apps/v1/namespaces/demo-app/deployments/backend-api 403',
        'PATCH /api/v1/nodes/worker-2 403',
        'PATCH /apis/apps/v1/namespaces/alpha-web/deployments/web 200',
      ]);
      expect(stack.sim.changes().length).toBeGreaterThan(changes);
      expect(await replicasOf('demo-app', 'backend-api')).toBe(replicas);
      expect((await read('nodes', 'v1', 'worker-2')).spec.unschedulable).toBeUndefined();
    });

    it('alice may not create a project in another workspace, nor delete one', async () => {
      const create = await run('mutation { createProject(workspace: "team-beta", name: "beta-sneaky") { kind } }', { token: alice });
      expect(codes(create.res)).toEqual(['FORBIDDEN']);
      const remove = await run('mutation { deleteProject(workspace: "team-beta", name: "beta-web") { status } }', { token: alice });
      expect(codes(remove.res)).toEqual(['FORBIDDEN']);
      expect(await read('namespaces', 'v1', 'beta-sneaky')).toBeNull();
      expect(await read('namespaces', 'v1', 'beta-web')).not.toBeNull();
    });

    it('a write without a token is UNAUTHENTICATED with no upstream call', async () => {
      stack.sim.clearRequests();
      const res = await stack.gql('mutation { cordonNode(name: "worker-1") { kind } }');
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(stack.upstreamCalls()).toHaveLength(0);
    });
  });

  describe('validation', () => {
    it.each([
      ['a bad name', 'scaleDeployment(namespace: "alpha-web", name: "Web_1", replicas: 1) { kind }'],
      ['a bad namespace', 'restartDeployment(namespace: "alpha web", name: "web") { kind }'],
      ['negative replicas', 'scaleDeployment(namespace: "alpha-web", name: "web", replicas: -1) { kind }'],
      ['replicas above MAX_REPLICAS', 'scaleStatefulSet(namespace: "alpha-api", name: "postgres", replicas: 1001) { kind }'],
      ['a bad resourceVersion', 'scaleDeployment(namespace: "alpha-web", name: "web", replicas: 1, resourceVersion: "") { kind }'],
      ['a negative grace period', 'deletePod(namespace: "alpha-web", name: "p", gracePeriodSeconds: -1) { kind }'],
      ['an unmodelled plural without apiVersion', 'deleteResource(resource: "widgets", namespace: "alpha-web", name: "w") { kind }'],
      ['a bad apiVersion', 'deleteResource(resource: "widgets", apiVersion: "not a version", name: "w") { kind }'],
      ['a bad label key', 'setLabels(resource: "deployments", namespace: "alpha-web", name: "web", labels: {bad_: "x"}) { kind }'],
      ['a bad label value', 'setLabels(resource: "deployments", namespace: "alpha-web", name: "web", labels: {a: "not valid!"}) { kind }'],
      ['a non-string annotation', 'setAnnotations(resource: "deployments", namespace: "alpha-web", name: "web", annotations: {a: 5}) { kind }'],
      ['a duplicate taint', 'setNodeTaints(name: "worker-1", taints: [{key: "a", effect: NO_SCHEDULE}, {key: "a", value: "b", effect: NO_SCHEDULE}]) { kind }'],
      ['a bad project name', 'createProject(workspace: "team-alpha", name: "Alpha") { kind }'],
      ['a bad workspace cluster', 'createWorkspace(name: "ws-x", clusters: ["no such!"]) { kind }'],
      ['a long alias', `createProject(workspace: "team-alpha", name: "alpha-x", aliasName: "${'a'.repeat(64)}") { kind }`],
      ['a manifest without apiVersion', 'applyResource(manifest: {kind: "ConfigMap", metadata: {name: "x"}}) { kind }'],
      ['a manifest without kind', 'applyResource(manifest: {apiVersion: "v1", metadata: {name: "x"}}) { kind }'],
      ['a manifest without metadata.name', 'applyResource(manifest: {apiVersion: "v1", kind: "ConfigMap", metadata: {}}) { kind }'],
      [
        'a manifest namespace that disagrees',
        'applyResource(manifest: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "x", namespace: "a"}}, namespace: "b") { kind }',
      ],
      ['an update without resourceVersion', 'updateResource(manifest: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "x", namespace: "a"}}) { kind }'],
      [
        'a bad fieldManager',
        `applyResource(manifest: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "x", namespace: "a"}}, fieldManager: "${'m'.repeat(129)}") { kind }`,
      ],
    ])('%s is BAD_USER_INPUT with no upstream call', async (_what, mutation) => {
      const { res, upstream } = await run(`mutation { ${mutation} }`);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(upstream).toEqual([]);
    });
  });

  describe('failures', () => {
    it('a 503 on a write is not retried: exactly one upstream call', async () => {
      stack.sim.faults.add({ path: /\/deployments\/cms$/, method: 'PATCH', times: 1, fault: { kind: 'status', status: 503 } });
      const { res, upstream } = await run('mutation { scaleDeployment(namespace: "beta-web", name: "cms", replicas: 3) { replicas } }');
      expect(codes(res)).toEqual(['UPSTREAM_ERROR']);
      expect(res.errors![0]!.extensions).not.toHaveProperty('writeOutcome');
      expect(upstream.map((u) => `${u.method} ${u.path} ${u.status}`)).toEqual(['PATCH /apis/apps/v1/namespaces/beta-web/deployments/cms 503']);
    });

    it('a mutation over GET is refused, with no upstream call', async () => {
      stack.sim.clearRequests();
      const query = encodeURIComponent('mutation { cordonNode(name: "worker-1") { kind } }');
      const response = await fetch(`${stack.url}/graphql?query=${query}`, {
        headers: { authorization: `Bearer ${admin}`, accept: 'application/graphql-response+json' },
      });
      expect(response.status).toBe(405);
      expect(stack.upstreamCalls()).toHaveLength(0);
    });
  });

  describe('a write that times out', () => {
    let slow: Stack;
    beforeAll(async () => {
      slow = await startStack({ flavour, env: { UPSTREAM_CALL_TIMEOUT_MS: '400' } });
    });
    afterAll(() => slow.close());

    it('is UPSTREAM_TIMEOUT with writeOutcome "unknown", sent once', async () => {
      const token = await slow.login(ADMIN.username, ADMIN.password);
      slow.sim.faults.add({ path: /\/nodes\/worker-1$/, method: 'PATCH', times: 1, fault: { kind: 'stall' } });
      slow.sim.clearRequests();
      const res = await slow.gql('mutation { cordonNode(name: "worker-1") { kind } }', { token });
      expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT']);
      expect(res.errors![0]!.extensions).toMatchObject({ writeOutcome: 'unknown' });
      expect(res.errors![0]!.message).toMatch(/may or may not have happened/);
      expect(slow.upstreamCalls().map((c) => `${c.method} ${c.path}`)).toEqual(['PATCH /api/v1/nodes/worker-1']);
    });
  });
});
