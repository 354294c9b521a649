/**
 * Metrics on every monitored kind, on KubeSphere 3.4 (in-tree v1alpha3) and
 * 4.1 (the WhizardTelemetry extension's v1beta1): a page's metrics cost one
 * monitoring call, values are the simulator's series, a failing metric stays
 * in its own series, and a 4.1 without the extension keeps the rest of the
 * data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/kubesphere/upstream-error.ts';
import { expectedMetricValue, type Level } from '../simulator/index.ts';
import { ADMIN, ALICE, codes, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

/** After every seeded namespace was created. */
const T0 = 1717200000;
const AT = new Date(T0 * 1000).toISOString();
const SERIES = '{ name labels unit points { timestamp value } error }';

describe.each(FLAVOURS)('KubeSphere %s metrics', (flavour) => {
  let stack: Stack;
  let admin: string;
  const v4 = flavour === '4.1';
  const R = '/kapis/resources.kubesphere.io/v1alpha3';
  const M3 = '/kapis/monitoring.kubesphere.io/v1alpha3';
  const M4 = '/kapis/monitoring.kubesphere.io/v1beta1';

  beforeAll(async () => {
    // Enough pods for more than ten nodes.
    stack = await startStack({ flavour, pods: 400 });
    admin = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  const calls = () => stack.upstreamCalls().map((r) => `${r.method} ${r.path}${r.rawQuery ? `?${decodeURIComponent(r.rawQuery)}` : ''}`);
  const monitoringCalls = () => calls().filter((c) => c.includes('/monitoring.kubesphere.io/'));
  async function run(query: string, token = admin) {
    stack.sim.clearRequests();
    const result = await stack.gql(query, { token });
    return { result, data: result.data as any, calls: calls() };
  }
  async function ok(query: string, token = admin) {
    const answer = await run(query, token);
    expect(answer.result.errors).toBeUndefined();
    return answer;
  }

  const expected = (level: Level, object: string, metric: string, t = T0, cluster = 'host') => expectedMetricValue(cluster, level, object, metric, t);
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  it('a node page of 10 with 3 metrics: 1 list call + 1 monitoring call, values from the simulator', async () => {
    const names = ['node_cpu_utilisation', 'node_memory_usage_wo_cache', 'node_pod_running_count'];
    const { data, calls } = await ok(`{ nodes(limit: 10) { items { metadata { name } metrics(names: ${JSON.stringify(names)}, time: "${AT}") ${SERIES} } } }`);
    const nodes = data.nodes.items;
    expect(nodes).toHaveLength(10);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(`GET ${R}/nodes?limit=10&page=1`);
    const filter = `resources_filter=${nodes.map((n: any) => n.metadata.name).join('|')}$`;
    expect(calls[1]).toBe(
      v4
        ? `GET ${M4}/node_metrics?metrics_filter=${names.join('|')}$&${filter}&time=${T0}`
        : `GET ${M3}/nodes?metrics_filter=${names.join('|')}$&${filter}&time=${T0}`,
    );
    for (const node of nodes) {
      expect(node.metrics.map((s: any) => s.name)).toEqual(names);
      for (const series of node.metrics) {
        expect(series.error).toBeNull();
        expect(series.labels.node).toBe(node.metadata.name);
        expect(series.points).toEqual([{ timestamp: AT, value: expected('node', node.metadata.name, series.name) }]);
      }
      expect(node.metrics.map((s: any) => s.unit)).toEqual(['RATIO', 'BYTES', 'COUNT']);
    }
  });

  it('20 pods across namespaces with CPU and memory: 1 + 1', async () => {
    const names = ['pod_cpu_usage', 'pod_memory_usage_wo_cache'];
    const { data, calls } = await ok(
      `{ pods(limit: 20, filter: { phase: RUNNING }, sort: { field: NAME, ascending: true }) { items { metadata { name namespace } metrics(names: ${JSON.stringify(names)}, time: "${AT}") ${SERIES} } } }`,
    );
    const pods = data.pods.items;
    expect(pods).toHaveLength(20);
    expect(new Set(pods.map((p: any) => p.metadata.namespace)).size).toBeGreaterThan(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatch(
      v4
        ? `GET ${M4}/pod_metrics?namespace_resources_filter=`
        : `GET ${M3}/pods?metrics_filter=pod_cpu_usage|pod_memory_usage_wo_cache$&namespaced_resources_filter=`,
    );
    if (v4) expect(calls[1]).toContain(`&metrics_filter=pod_cpu_usage|pod_memory_usage_wo_cache$&resources_filter=${pods[0].metadata.name}|`);
    else expect(calls[1]).toContain(`namespaced_resources_filter=${pods[0].metadata.namespace}/${pods[0].metadata.name}|`);
    for (const pod of pods) {
      expect(pod.metrics.map((s: any) => s.name)).toEqual(names);
      for (const series of pod.metrics) {
        expect(series.labels).toMatchObject({ namespace: pod.metadata.namespace, pod: pod.metadata.name });
        expect(series.points).toEqual([{ timestamp: AT, value: expected('pod', `${pod.metadata.namespace}/${pod.metadata.name}`, series.name) }]);
      }
    }
  });

  it("a namespace's pods share one namespaced call; a pod that is not running has no points", async () => {
    const { data, calls } = await ok(
      `{ pods(namespace: "demo-app", limit: 50) { items { metadata { name } phase metrics(names: ["pod_cpu_usage"], time: "${AT}") ${SERIES} } } }`,
    );
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatch(
      v4 ? `GET ${M4}/pod_metrics?namespace=demo-app&metrics_filter=pod_cpu_usage$&resources_filter=` : `GET ${M3}/namespaces/demo-app/pods?`,
    );
    const idle = data.pods.items.filter((p: any) => p.phase !== 'RUNNING');
    expect(idle.length).toBeGreaterThan(0);
    for (const pod of idle) expect(pod.metrics).toEqual([{ name: 'pod_cpu_usage', labels: {}, unit: 'CORES', points: [], error: null }]);
    for (const pod of data.pods.items.filter((p: any) => p.phase === 'RUNNING')) {
      expect(pod.metrics[0].points[0].value).toBe(expected('pod', `demo-app/${pod.metadata.name}`, 'pod_cpu_usage'));
    }
  });

  it('long filters are chunked: a page of 150 pods asks in a few short calls', async () => {
    const { data, calls } = await ok(
      `{ pods(limit: 150, filter: { phase: RUNNING }) { items { metadata { name namespace } metrics(names: ["pod_cpu_usage"], time: "${AT}") { points { value } } } } }`,
    );
    const monitoring = calls.slice(1);
    expect(monitoring.length).toBeGreaterThan(1);
    expect(monitoring.length).toBeLessThan(6);
    for (const call of monitoring) expect(call.length).toBeLessThan(4_500);
    for (const pod of data.pods.items) {
      expect(pod.metrics[0].points[0].value).toBe(expected('pod', `${pod.metadata.namespace}/${pod.metadata.name}`, 'pod_cpu_usage'));
    }
  });

  it('a range query has one point per step, at the right times', async () => {
    const start = new Date((T0 - 3600) * 1000).toISOString();
    const { data, calls } = await ok(
      `{ nodes(limit: 2) { items { metadata { name } metrics(names: ["node_cpu_usage"], range: { start: "${start}", end: "${AT}", step: 600 }) ${SERIES} } } }`,
    );
    expect(calls[1]).toContain(`start=${T0 - 3600}&end=${T0}&step=600s`);
    for (const node of data.nodes.items) {
      const [series] = node.metrics;
      expect(series.points).toHaveLength(7);
      expect(series.points.map((p: any) => seconds(p.timestamp))).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => T0 - 3600 + i * 600));
      for (const point of series.points) expect(point.value).toBe(expected('node', node.metadata.name, 'node_cpu_usage', seconds(point.timestamp)));
    }
  });

  it('a metric that fails inside the 200 fails only its own series', async () => {
    stack.sim.failMetric('node_memory_utilisation');
    try {
      const names = ['node_cpu_utilisation', 'node_memory_utilisation', 'node_load1'];
      const { data } = await ok(`{ nodes(limit: 3) { items { metadata { name } metrics(names: ${JSON.stringify(names)}, time: "${AT}") ${SERIES} } } }`);
      for (const node of data.nodes.items) {
        const [cpu, memory, load] = node.metrics;
        expect(memory).toEqual({
          name: 'node_memory_utilisation',
          labels: {},
          unit: 'RATIO',
          points: [],
          error: 'internal: inconsistent body for response code',
        });
        expect(cpu.error).toBeNull();
        expect(cpu.points[0].value).toBe(expected('node', node.metadata.name, 'node_cpu_utilisation'));
        expect(load).toMatchObject({ unit: null, error: null, points: [{ value: expected('node', node.metadata.name, 'node_load1') }] });
      }
    } finally {
      stack.sim.monitoring.restoreAll();
    }
  });

  it('metrics_filter is unanchored: metrics nobody asked for are ignored', async () => {
    // `node_load1$` alone would also select nothing else, but `node_cpu_usage|node_load1$` lets `node_cpu_usage_…`-like names through in general.
    const { data, calls } = await ok(`{ node(name: "master-1") { metrics(names: ["node_load1", "node_cpu_total"], time: "${AT}") { name } } }`);
    expect(calls[1]).toContain('metrics_filter=node_load1|node_cpu_total$');
    expect(data.node.metrics.map((s: any) => s.name)).toEqual(['node_load1', 'node_cpu_total']);
  });

  it('bad metric names and bad ranges are BAD_USER_INPUT with no monitoring call', async () => {
    const bad = [
      `metrics(names: ["pod_cpu_usage"])`,
      `metrics(names: ["node_cpu_usage|.*"])`,
      `metrics(names: ["node_cpu_usage"], range: { start: "${AT}", end: "2024-05-31T00:00:00Z" })`,
      `metrics(names: ["node_cpu_usage"], range: { start: "2024-05-31T00:00:00Z", end: "${AT}", step: 0 })`,
      `metrics(names: ["node_cpu_usage"], range: { start: "2024-01-01T00:00:00Z", end: "${AT}", step: 60 })`,
      `metrics(names: ["node_cpu_usage"], range: { start: "2024-05-31T00:00:00Z", end: "${AT}" }, time: "${AT}")`,
    ];
    for (const field of bad) {
      const { result } = await run(`{ node(name: "master-1") { metadata { name } ${field} { name } } }`);
      expect(codes(result), field).toEqual(['BAD_USER_INPUT']);
      expect(result.data?.node).toMatchObject({ metadata: { name: 'master-1' }, metrics: null });
      expect(monitoringCalls(), field).toEqual([]);
    }
    const { result, calls } = await run('{ topNodes(metric: "pod_cpu_usage") { totalItems } }');
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(calls).toEqual([]);
  });

  it('a cluster overview: the cluster, its metrics and its node count in 3 calls, on the host and on a member', async () => {
    const names = ['cluster_cpu_utilisation', 'cluster_memory_utilisation', 'cluster_pod_running_count', 'cluster_node_online'];
    for (const name of ['host', 'member-1']) {
      const { data, calls } = await ok(
        `{ cluster(name: "${name}") { name nodes(limit: 1) { totalItems } metrics(names: ${JSON.stringify(names)}, time: "${AT}") ${SERIES} } }`,
      );
      expect(calls).toHaveLength(3);
      const monitoring = calls.find((c) => c.includes('monitoring'))!;
      if (v4) expect(monitoring).toBe(`GET ${M4}/cluster_metrics?${name === 'host' ? '' : `cluster=${name}&`}metrics_filter=${names.join('|')}$&time=${T0}`);
      else
        expect(monitoring).toBe(
          `GET /kapis/${name === 'host' ? '' : `clusters/${name}/`}monitoring.kubesphere.io/v1alpha3/cluster?metrics_filter=${names.join('|')}$&time=${T0}`,
        );
      expect(data.cluster.metrics.map((s: any) => [s.name, s.points[0].value])).toEqual(names.map((m) => [m, expected('cluster', '', m, T0, name)]));
    }
  });

  it('a workload detail: the object and its metrics in 2 calls, for every workload kind', async () => {
    const { data: found } = await ok(
      '{ deployments(namespace: "demo-app", limit: 1) { items { metadata { name } } } statefulSets(limit: 1) { items { metadata { name namespace } } } daemonSets(limit: 1) { items { metadata { name namespace } } } }',
    );
    const targets = [
      ['deployment', 'Deployment', 'demo-app', found.deployments.items[0].metadata.name],
      ['statefulSet', 'StatefulSet', found.statefulSets.items[0].metadata.namespace, found.statefulSets.items[0].metadata.name],
      ['daemonSet', 'DaemonSet', found.daemonSets.items[0].metadata.namespace, found.daemonSets.items[0].metadata.name],
    ];
    for (const [field, kind, namespace, name] of targets) {
      const replicas = `workload_${kind!.toLowerCase()}_replica_available`;
      const { data, calls } = await ok(
        `{ ${field}(namespace: "${namespace}", name: "${name}") { metrics(names: ["workload_cpu_usage", "${replicas}"], time: "${AT}") ${SERIES} } }`,
      );
      expect(calls).toHaveLength(2);
      expect(calls[1]).toContain(v4 ? `${M4}/workload_metrics?namespace=${namespace}&` : `${M3}/namespaces/${namespace}/workloads?`);
      for (const series of data[field!].metrics) {
        expect(series.labels.workload).toBe(`${kind}:${name}`);
        expect(series.points[0].value).toBe(expected('workload', `${namespace}/${kind}:${name}`, series.name));
      }
    }
  });

  it('a workload detail screen with its pods and their metrics: 4 calls', async () => {
    const { data, calls } = await ok(
      `{ deployment(namespace: "demo-app", name: "frontend") { metrics(names: ["workload_cpu_usage", "workload_memory_usage_wo_cache"], time: "${AT}") { points { value } }
         pods(limit: 10) { items { metadata { name } metrics(names: ["pod_cpu_usage", "pod_memory_usage_wo_cache"], time: "${AT}") { points { value } } } } } }`,
    );
    expect(data.deployment.pods.items.length).toBeGreaterThan(1);
    expect(calls).toHaveLength(4);
    expect(calls.filter((c) => c.includes('monitoring'))).toHaveLength(2);
  });

  it("a pod detail: the pod, its metrics and its containers' metrics in 3 calls", async () => {
    const { data: found } = await ok('{ pods(namespace: "demo-app", limit: 1, filter: { phase: RUNNING }) { items { metadata { name } } } }');
    const name = found.pods.items[0].metadata.name;
    const { data, calls } = await ok(
      `{ pod(namespace: "demo-app", name: "${name}") { metrics(names: ["pod_cpu_usage", "pod_memory_usage"], time: "${AT}") ${SERIES}
         containers { name metrics(names: ["container_cpu_usage"], time: "${AT}") ${SERIES} } } }`,
    );
    expect(calls).toHaveLength(3);
    expect(calls).toContain(
      v4
        ? `GET ${M4}/container_metrics?namespace=demo-app&pod=${name}&metrics_filter=container_cpu_usage$&resources_filter=${data.pod.containers.map((c: any) => c.name).join('|')}$&time=${T0}`
        : `GET ${M3}/namespaces/demo-app/pods/${name}/containers?metrics_filter=container_cpu_usage$&resources_filter=${data.pod.containers.map((c: any) => c.name).join('|')}$&time=${T0}`,
    );
    for (const series of data.pod.metrics) expect(series.points[0].value).toBe(expected('pod', `demo-app/${name}`, series.name));
    for (const container of data.pod.containers) {
      expect(container.metrics[0].points[0].value).toBe(expected('container', `demo-app/${name}/${container.name}`, 'container_cpu_usage'));
    }
  });

  it('namespaces, workspaces and claims: one call per page', async () => {
    const { data, calls } = await ok(
      `{ namespaces(limit: 5) { items { metadata { name } metrics(names: ["namespace_pod_count"], time: "${AT}") ${SERIES} } }
         workspaces(limit: 5) { items { metadata { name } metrics(names: ["workspace_cpu_usage"], time: "${AT}") ${SERIES} } }
         persistentVolumeClaims(limit: 5, filter: { phase: BOUND }) { items { metadata { name namespace } metrics(names: ["pvc_bytes_used"], time: "${AT}") ${SERIES} } } }`,
    );
    expect(calls.filter((c) => c.includes('monitoring'))).toHaveLength(
      v4 ? 3 : 2 + new Set(data.persistentVolumeClaims.items.map((c: any) => c.metadata.namespace)).size,
    );
    for (const ns of data.namespaces.items) expect(ns.metrics[0].points[0].value).toBe(expected('namespace', ns.metadata.name, 'namespace_pod_count'));
    const withSeries = data.workspaces.items.filter((w: any) => w.metrics[0].points.length > 0);
    expect(withSeries.length).toBeGreaterThan(0);
    for (const ws of withSeries) expect(ws.metrics[0].points[0].value).toBe(expected('workspace', ws.metadata.name, 'workspace_cpu_usage'));
    expect(data.persistentVolumeClaims.items.length).toBeGreaterThan(0);
    for (const claim of data.persistentVolumeClaims.items) {
      expect(claim.metrics[0]).toMatchObject({
        unit: 'BYTES',
        points: [{ value: expected('pvc', `${claim.metadata.namespace}/${claim.metadata.name}`, 'pvc_bytes_used') }],
      });
    }
  });

  it('topNodes ranks by KubeSphere sort_metric: one monitoring call and one node lookup', async () => {
    const { data, calls } = await ok(
      '{ topNodes(metric: "node_cpu_utilisation", limit: 5) { totalItems items { name value timestamp node { metadata { name } status } } } }',
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(
      new RegExp(
        `^GET ${v4 ? `${M4}/node_metrics` : `${M3}/nodes`}\\?metrics_filter=node_cpu_utilisation\\$&sort_metric=node_cpu_utilisation&sort_type=desc&page=1&limit=5$`,
      ),
    );
    expect(calls[1]).toMatch(new RegExp(`^GET ${R}/nodes\\?limit=\\d+&names=`));
    const { items, totalItems } = data.topNodes;
    expect(items).toHaveLength(5);
    expect(totalItems).toBeGreaterThan(10);
    const values = items.map((i: any) => i.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const item of items) {
      expect(item.node.metadata.name).toBe(item.name);
      expect(item.value).toBe(expected('node', item.name, 'node_cpu_utilisation', seconds(item.timestamp)));
    }
  });

  it('topPods ranks the pods of a namespace, lowest first when asked', async () => {
    const { data, calls } = await ok(
      '{ topPods(metric: "pod_memory_usage", namespace: "demo-app", ascending: true, limit: 3) { totalItems items { name namespace value pod { metadata { name namespace } } } } }',
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain('sort_type=asc');
    const values = data.topPods.items.map((i: any) => i.value);
    expect(values).toHaveLength(3);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    for (const item of data.topPods.items) expect(item.pod.metadata).toEqual({ name: item.name, namespace: 'demo-app' });
  });

  it("a workspace member reads their namespace's metrics but not the nodes'", async () => {
    const alice = await stack.login(ALICE.username, ALICE.password);
    const { data } = await ok(
      `{ pods(namespace: "alpha-web", limit: 5) { items { metadata { name } metrics(names: ["pod_cpu_usage"], time: "${AT}") { error } } } }`,
      alice,
    );
    expect(data.pods.items.length).toBeGreaterThan(0);
    // Pods of two namespaces: the cluster-wide monitoring call is forbidden, so one call per namespace.
    const { data: ws, calls } = await ok(
      `{ workspace(name: "team-alpha") { namespaces { items { metadata { name } pods(filter: { phase: RUNNING }) { items { metadata { name } metrics(names: ["pod_cpu_usage"], time: "${AT}") { points { value } } } } } } } }`,
      alice,
    );
    const namespaces = ws.workspace.namespaces.items.filter((ns: any) => ns.pods.items.length > 0);
    expect(namespaces.length).toBeGreaterThan(1);
    for (const ns of namespaces) {
      for (const pod of ns.pods.items)
        expect(pod.metrics[0].points[0].value).toBe(expected('pod', `${ns.metadata.name}/${pod.metadata.name}`, 'pod_cpu_usage'));
    }
    const monitoring = calls.filter((c) => c.includes('monitoring'));
    expect(monitoring).toHaveLength(1 + namespaces.length);
    const { result } = await run(`{ topNodes(metric: "node_cpu_usage") { totalItems } }`, alice);
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });
});

describe.each(['absent', 'unavailable'] as const)('KubeSphere 4.1 with the monitoring extension %s', (state) => {
  let stack: Stack;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack({ flavour: '4.1', monitoringExtension: state });
    admin = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  it('metrics are null with MONITORING_UNAVAILABLE, the rest of the query keeps its data, and the finding is cached', async () => {
    const query = `{ nodes(limit: 3) { totalItems items { metadata { name } status metrics(names: ["node_cpu_usage"]) { name } } } }`;
    stack.sim.clearRequests();
    const first = await stack.gql(query, { token: admin });
    expect(first.data?.nodes.items).toHaveLength(3);
    for (const node of first.data?.nodes.items ?? [])
      expect(node).toMatchObject({ metadata: { name: expect.any(String) }, status: expect.any(String), metrics: null });
    expect(codes(first)).toEqual(['MONITORING_UNAVAILABLE', 'MONITORING_UNAVAILABLE', 'MONITORING_UNAVAILABLE']);
    expect(first.errors!.map((e) => e.path)).toEqual([0, 1, 2].map((i) => ['nodes', 'items', i, 'metrics']));
    // The 503 body is `{"ErrStatus": {…}}`, read like a Status.
    expect(first.errors![0]!.message).toMatch(state === 'absent' ? /not installed or not enabled/ : /API service is down/);
    expect(first.errors![0]!.extensions).toMatchObject({ httpStatus: state === 'absent' ? 404 : 503 });
    expect(stack.upstreamCalls().filter((r) => r.path.includes('monitoring')).length).toBeGreaterThan(0);

    stack.sim.clearRequests();
    const second = await stack.gql(`{ cluster(name: "host") { name metrics(names: ["cluster_cpu_usage"]) { name } } }`, { token: admin });
    expect(second.data?.cluster).toEqual({ name: 'host', metrics: null });
    expect(codes(second)).toEqual(['MONITORING_UNAVAILABLE']);
    expect(stack.upstreamCalls().filter((r) => r.path.includes('monitoring'))).toEqual([]);
  });
});

it("4.x's raw StatusError body is read like a Status", () => {
  const body = JSON.stringify({
    ErrStatus: {
      metadata: {},
      status: 'Failure',
      message: 'apiService v1beta1.monitoring.kubesphere.io is not available',
      reason: 'ServiceUnavailable',
      code: 503,
    },
  });
  const error = UpstreamError.fromResponse(503, 'application/json', body);
  expect([error.upstreamMessage, error.reason]).toEqual(['apiService v1beta1.monitoring.kubesphere.io is not available', 'ServiceUnavailable']);
  // A server-side failure's text is for the facade's decisions only, never for the client.
  expect(error.message).toBe('KubeSphere failed with HTTP 503.');
});
