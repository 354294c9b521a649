import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMetricValue, startSimulator, type Simulator } from '../../simulator/index.ts';
import { violations } from '../helpers/conformance.ts';

const FIXTURES = new URL('../../../shared/specs/fixtures/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as any;

function client(sim: Simulator, user: string) {
  const token = sim.issueToken(user);
  return async (path: string) => {
    const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, text, type: response.headers.get('content-type'), json: () => JSON.parse(text) as any };
  };
}

/** After every seeded namespace was created. */
const T0 = 1717200000;
const V3 = '/kapis/monitoring.kubesphere.io/v1alpha3';
const V4 = '/kapis/monitoring.kubesphere.io/v1beta1';
const byName = (body: any, name: string) => body.results.find((r: any) => r.metric_name === name);
const labelsOf = (metric: any, key: string) => metric.data.result.map((s: any) => s.metric[key]);

describe('monitoring v1alpha3 on flavour 3.4', () => {
  let sim: Simulator;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = await startSimulator({ flavour: '3.4' });
    [admin, alice] = [client(sim, 'admin'), client(sim, 'alice')];
  });
  afterAll(() => sim.close());

  it('serves instant node metrics in the fixture shape, with values from expectedMetricValue', async () => {
    const r = await admin(`${V3}/nodes?metrics_filter=node_cpu_utilisation|node_memory_total$&time=${T0}`);
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body.results.map((m: any) => m.metric_name)).toEqual(['node_cpu_utilisation', 'node_memory_total']);
    const shape = fixture('ks-3.4-monitoring-node-metrics-vector.json').results[0];
    const cpu = byName(body, 'node_cpu_utilisation');
    expect(Object.keys(cpu)).toEqual(Object.keys(shape));
    expect(cpu.data.resultType).toBe('vector');
    expect(labelsOf(cpu, 'node')).toEqual(['master-1', 'worker-1', 'worker-2', 'worker-3']);
    for (const s of cpu.data.result) {
      expect(Object.keys(s.metric)).toEqual(['node']);
      expect(s.value).toEqual([T0, String(expectedMetricValue('host', 'node', s.metric.node, 'node_cpu_utilisation', T0))]);
      expect(Number(s.value[1])).toBeGreaterThan(0);
      expect(Number(s.value[1])).toBeLessThan(1);
      // Go's MetricValue has no omitempty on its metering fields.
      expect(s.min_value).toBe('');
    }
    const memory = Number(byName(body, 'node_memory_total').data.result[0].value[1]);
    expect(memory).toBeGreaterThan(2 ** 30);
  });

  it('metrics_filter is an unanchored regexp; unknown names are simply absent', async () => {
    const body = (await admin(`${V3}/nodes/worker-1?metrics_filter=node_cpu|node_mem|node_nonsense&time=${T0}`)).json();
    const names = body.results.map((m: any) => m.metric_name);
    expect(names).toEqual(expect.arrayContaining(['node_cpu_utilisation', 'node_cpu_usage', 'node_cpu_total', 'node_memory_usage_wo_cache']));
    expect(names.every((n: string) => n.startsWith('node_cpu') || n.startsWith('node_mem'))).toBe(true);
    expect(names.some((n: string) => n.startsWith('meter_'))).toBe(false);
    expect(labelsOf(body.results[0], 'node')).toEqual(['worker-1']);
    // Nothing matches: Go writes the nil slice.
    const none = await admin(`${V3}/nodes?metrics_filter=nothing_here&time=${T0}`);
    expect(none.text).toBe('{"results":null}');
  });

  it('resources_filter is anchored as in a PromQL =~ matcher', async () => {
    const sel = async (filter: string) =>
      labelsOf(
        byName((await admin(`${V3}/nodes?metrics_filter=node_load1$&resources_filter=${encodeURIComponent(filter)}&time=${T0}`)).json(), 'node_load1'),
        'node',
      );
    expect(await sel('worker-1|worker-2$')).toEqual(['worker-1', 'worker-2']);
    expect(await sel('worker-.*')).toEqual(['worker-1', 'worker-2', 'worker-3']);
    const none = (await admin(`${V3}/nodes?metrics_filter=node_load1$&resources_filter=worker&time=${T0}`)).json();
    expect(none.results[0].data).toEqual({ resultType: 'vector' });
  });

  it('range queries answer matrices with step spacing', async () => {
    const body = (await admin(`${V3}/cluster?metrics_filter=cluster_cpu_usage$&start=${T0}&end=${T0 + 3600}&step=20m`)).json();
    const [series] = body.results[0].data.result;
    expect(body.results[0].data.resultType).toBe('matrix');
    expect(series.metric).toBeUndefined(); // cluster series carry no labels
    expect(series.values.map((p: any) => p[0])).toEqual([T0, T0 + 1200, T0 + 2400, T0 + 3600]);
    for (const [t, v] of series.values) expect(v).toBe(String(expectedMetricValue('host', 'cluster', '', 'cluster_cpu_usage', t)));
    const shape = fixture('ks-3.4-monitoring-cluster-metrics-matrix.json')[0];
    expect(Object.keys(body.results[0])).toEqual(Object.keys(shape));
    // Default step is 10m.
    const d = (await admin(`${V3}/cluster?metrics_filter=cluster_cpu_usage$&start=${T0}&end=${T0 + 1200}`)).json();
    expect(d.results[0].data.result[0].values).toHaveLength(3);
  });

  it('sorts and pages objects by sort_metric like sort_page.go', async () => {
    const expected = ['master-1', 'worker-1', 'worker-2', 'worker-3']
      .map((n) => [n, expectedMetricValue('host', 'node', n, 'node_cpu_usage', T0)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([n]) => n);
    const page = async (p: number, extra = '') =>
      (await admin(`${V3}/nodes?metrics_filter=node_cpu_usage$|node_load1$&sort_metric=node_cpu_usage&limit=3&page=${p}&time=${T0}${extra}`)).json();
    const p1 = await page(1);
    expect([p1.page, p1.total_page, p1.total_item]).toEqual([1, 2, 4]);
    expect(labelsOf(byName(p1, 'node_cpu_usage'), 'node')).toEqual(expected.slice(0, 3));
    // Every metric follows the order of the sort metric.
    expect(labelsOf(byName(p1, 'node_load1'), 'node')).toEqual(expected.slice(0, 3));
    const p2 = await page(2);
    expect(labelsOf(byName(p2, 'node_cpu_usage'), 'node')).toEqual(expected.slice(3));
    const asc = await page(1, '&sort_type=asc');
    expect(labelsOf(byName(asc, 'node_cpu_usage'), 'node')).toEqual([...expected].reverse().slice(0, 3));
    const beyond = await page(3);
    expect(byName(beyond, 'node_cpu_usage').data).toEqual({ resultType: 'vector' });
    expect(beyond.page).toBe(3);
    // Without sort_metric: no paging fields. Default limit is 5.
    const unsorted = (await admin(`${V3}/nodes?metrics_filter=node_cpu_usage$&limit=1&time=${T0}`)).json();
    expect(unsorted.page).toBeUndefined();
    expect(unsorted.results[0].data.result).toHaveLength(4);
    expect((await admin(`${V3}/nodes?metrics_filter=node_cpu_usage$&sort_metric=node_cpu_usage&page=0`)).text).toBe("Invalid parameter 'page'.\n");
    expect((await admin(`${V3}/nodes?metrics_filter=node_cpu_usage$&sort_metric=node_cpu_usage&limit=x`)).text).toBe("Invalid parameter 'limit'.\n");
  });

  it('labels workload series `Kind:name` with owner_kind, and filters by kind', async () => {
    const body = (await admin(`${V3}/namespaces/alpha-api/workloads?metrics_filter=workload_cpu_usage$&time=${T0}`)).json();
    const result = body.results[0].data.result;
    expect(result.map((s: any) => s.metric.workload).sort()).toEqual(['Deployment:api', 'Deployment:worker', 'StatefulSet:postgres']);
    expect(result.find((s: any) => s.metric.workload === 'StatefulSet:postgres').metric).toEqual({
      namespace: 'alpha-api',
      owner_kind: 'StatefulSet',
      workload: 'StatefulSet:postgres',
    });
    for (const s of result)
      expect(s.value[1]).toBe(String(expectedMetricValue('host', 'workload', `alpha-api/${s.metric.workload}`, 'workload_cpu_usage', T0)));
    const deployments = (
      await admin(`${V3}/namespaces/alpha-api/workloads/deployment?metrics_filter=workload_cpu_usage$&resources_filter=api&time=${T0}`)
    ).json();
    expect(labelsOf(deployments.results[0], 'workload')).toEqual(['Deployment:api']);
    // The replica metrics only have series of their own kind.
    const replicas = (await admin(`${V3}/namespaces/alpha-api/workloads?metrics_filter=workload_statefulset_replica$&time=${T0}`)).json();
    expect(labelsOf(replicas.results[0], 'workload')).toEqual(['StatefulSet:postgres']);
  });

  it('serves pods, pods of a workload, pods of a node, containers and PVCs', async () => {
    const pods = (await admin(`${V3}/namespaces/alpha-web/pods?metrics_filter=pod_cpu_usage$&time=${T0}`)).json().results[0].data.result;
    expect(pods.length).toBeGreaterThan(0);
    const pod = pods[0].metric;
    expect(Object.keys(pod).sort()).toEqual(['namespace', 'node', 'owner_kind', 'owner_name', 'pod']);
    expect(pods[0].value[1]).toBe(String(expectedMetricValue('host', 'pod', `alpha-web/${pod.pod}`, 'pod_cpu_usage', T0)));

    const webPods = (await admin(`${V3}/namespaces/alpha-web/workloads/deployment/web/pods?metrics_filter=pod_cpu_usage$&time=${T0}`)).json();
    const webNames: string[] = labelsOf(webPods.results[0], 'pod');
    expect(webNames.length).toBeGreaterThan(0);
    expect(webNames.every((n) => /^web-[^-]+-[^-]+$/.test(n))).toBe(true); // not web-canary-…

    const onNode = (await admin(`${V3}/nodes/${pod.node}/pods?metrics_filter=pod_cpu_usage$&time=${T0}`)).json();
    expect(labelsOf(onNode.results[0], 'node').every((n: string) => n === pod.node)).toBe(true);
    const pair = (await admin(`${V3}/pods?metrics_filter=pod_cpu_usage$&namespaced_resources_filter=alpha-web/${pod.pod}$&time=${T0}`)).json();
    expect(labelsOf(pair.results[0], 'pod')).toEqual([pod.pod]);

    const containers = (await admin(`${V3}/namespaces/alpha-web/pods/${pod.pod}/containers?metrics_filter=container_memory_usage$&time=${T0}`)).json();
    const c = containers.results[0].data.result[0];
    expect(Object.keys(c.metric).sort()).toEqual(['container', 'namespace', 'pod']);
    expect(c.value[1]).toBe(String(expectedMetricValue('host', 'container', `alpha-web/${pod.pod}/${c.metric.container}`, 'container_memory_usage', T0)));

    const pvcs = (await admin(`${V3}/namespaces/demo-db/persistentvolumeclaims?metrics_filter=pvc_bytes_utilisation$&time=${T0}`)).json();
    const claim = pvcs.results[0].data.result[0];
    expect(Object.keys(claim.metric).sort()).toEqual(['namespace', 'persistentvolumeclaim', 'storageclass']);
    expect(Number(claim.value[1])).toBeLessThan(1);
  });

  it('workspace and namespace levels', async () => {
    const ws = (await admin(`${V3}/workspaces?metrics_filter=workspace_pod_count$&time=${T0}`)).json();
    expect(labelsOf(ws.results[0], 'workspace')).toEqual(['demo-workspace', 'system-workspace', 'team-alpha', 'team-beta']);
    const nss = (await admin(`${V3}/workspaces/team-alpha/namespaces?metrics_filter=namespace_cpu_usage$|namespace_pod_count$&time=${T0}`)).json();
    expect(labelsOf(byName(nss, 'namespace_cpu_usage'), 'namespace').sort()).toEqual(['alpha-api', 'alpha-web']);
    expect(byName(nss, 'namespace_cpu_usage').data.result[0].metric.workspace).toBe('team-alpha');
    expect(byName(nss, 'namespace_pod_count').data.result[0].metric.workspace).toBeUndefined(); // `sum by (namespace)`
  });

  it('partial per-metric errors inside a 200 (sim.failMetric)', async () => {
    sim.failMetric('node_memory_utilisation');
    try {
      const r = await admin(`${V3}/nodes?metrics_filter=node_cpu_utilisation|node_memory_utilisation$&time=${T0}`);
      expect(r.status).toBe(200);
      const failed = byName(r.json(), 'node_memory_utilisation');
      const shape = fixture('ks-3.4-monitoring-node-metrics-partial-error.json').results[0];
      expect(failed.error).toBe(fixture('ks-3.4-monitoring-metric-error.json')[0].error);
      for (const key of Object.keys(shape)) expect(failed).toHaveProperty(key);
      expect(failed.data).toEqual({}); // encoding/json keeps the zero MetricData
      expect(byName(r.json(), 'node_cpu_utilisation').data.result).toHaveLength(4);
    } finally {
      sim.monitoring.restoreAll();
    }
  });

  it('bad parameters are 400 text; a time before the namespace existed is a 200 "no hit"', async () => {
    const bad = async (q: string) => {
      const r = await admin(`${V3}/nodes?${q}`);
      return [r.status, r.type, r.text];
    };
    expect(await bad('start=1')).toEqual([400, 'text/plain; charset=utf-8', "'time' and the combination of 'start' and 'end' are mutually exclusive.\n"]);
    expect((await bad('start=20&end=10'))[2]).toBe("'start' must be before 'end'.\n");
    expect((await bad('time=soon'))[2]).toBe('strconv.ParseInt: parsing "soon": invalid syntax\n');
    expect((await bad(`start=${T0}&end=${T0 + 10}&step=1d`))[2]).toBe('time: unknown unit "d" in duration "1d"\n');
    expect((await admin(`${V3}/namespaces/nope/pods`)).text).toBe('namespaces "nope" not found\n');
    const early = (await admin(`${V3}/namespaces/alpha-web/pods?metrics_filter=pod_cpu_usage$&time=1000`)).json();
    expect(early.results.map((m: any) => m.metric_name)).toContain('meter_pod_cpu_usage');
    expect(early.results.every((m: any) => JSON.stringify(m.data) === '{}')).toBe(true);
  });

  it('authorizes like reads: alice sees her workspace namespaces only, cluster levels need cluster rights', async () => {
    expect((await alice(`${V3}/namespaces/alpha-web/pods?metrics_filter=pod_cpu_usage$&time=${T0}`)).status).toBe(200);
    expect((await alice(`${V3}/workspaces/team-alpha/namespaces?metrics_filter=namespace_cpu_usage$&time=${T0}`)).status).toBe(200);
    for (const path of [`${V3}/namespaces/demo-app/pods`, `${V3}/nodes`, `${V3}/cluster`, `${V3}/namespaces`, `${V3}/workspaces/team-beta`]) {
      const r = await alice(path);
      expect(r.status, path).toBe(403);
      expect(r.json().reason).toBe('Forbidden');
    }
  });

  it('member clusters through the 3.x prefix; requests recorded and in the 3.4 Swagger', async () => {
    sim.clearRequests();
    const r = await admin(`/kapis/clusters/member-1${V3.slice(6)}/nodes?metrics_filter=node_load1$&time=${T0}`);
    const result = r.json().results[0].data.result;
    expect(result.map((s: any) => s.metric.node)).toEqual(['edge-master', 'edge-worker-1']);
    expect(result[0].value[1]).toBe(String(expectedMetricValue('member-1', 'node', 'edge-master', 'node_load1', T0)));
    await admin(`${V3}/namespaces/alpha-web/workloads/deployment?metrics_filter=workload_cpu_usage$&sort_metric=workload_cpu_usage&page=1&limit=2&time=${T0}`);
    expect(sim.requests.map((q) => q.status)).toEqual([200, 200]);
    expect(violations('3.4', sim.requests)).toEqual([]);
  });
});

describe('monitoring v1beta1 (WhizardTelemetry) on flavour 4.1', () => {
  let sim: Simulator;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = await startSimulator({ flavour: '4.1' });
    [admin, alice] = [client(sim, 'admin'), client(sim, 'alice')];
  });
  afterAll(() => sim.close());

  it('serves {level}_metrics on the host with ?cluster=', async () => {
    sim.clearRequests();
    const body = (await admin(`${V4}/node_metrics?cluster=member-1&metrics_filter=node_cpu_usage$&time=${T0}`)).json();
    const result = body.results[0].data.result;
    expect(result.map((s: any) => s.metric)).toEqual([
      { cluster: 'member-1', node: 'edge-master' },
      { cluster: 'member-1', node: 'edge-worker-1' },
    ]);
    expect(result[1].value[1]).toBe(String(expectedMetricValue('member-1', 'node', 'edge-worker-1', 'node_cpu_usage', T0)));
    const pods = (
      await admin(`${V4}/pod_metrics?cluster=host&namespace=alpha-web&metrics_filter=pod_memory_usage$&sort_metric=pod_memory_usage&limit=2&time=${T0}`)
    ).json();
    expect(pods.results[0].data.result).toHaveLength(2);
    expect(pods.page).toBe(1);
    const pvc = (await admin(`${V4}/persistentvolumeclaim_metrics?namespace=demo-db&metrics_filter=pvc_bytes_used$&time=${T0}`)).json();
    expect(pvc.results[0].data.result.length).toBeGreaterThan(0);
    expect(violations('4.1', sim.requests)).toEqual([]);
  });

  it('is host only and has no v1alpha3', async () => {
    expect((await admin(`/clusters/member-1${V4}/node_metrics`)).status).toBe(404);
    expect((await admin(`${V3}/nodes`)).text).toBe('404: Page Not Found');
  });

  it('authorizes namespace-scoped queries by their namespace', async () => {
    expect((await alice(`${V4}/namespace_metrics?namespace=alpha-web&metrics_filter=namespace_cpu_usage$&time=${T0}`)).status).toBe(200);
    expect((await alice(`${V4}/namespace_metrics?namespace=demo-app`)).status).toBe(403);
    expect((await alice(`${V4}/node_metrics`)).status).toBe(403);
  });

  it('an absent extension is a router 404, an unavailable one a raw ErrStatus 503', async () => {
    try {
      sim.monitoring.setExtension('absent');
      expect((await admin(`${V4}/node_metrics`)).text).toBe('404: Page Not Found');
      sim.monitoring.setExtension('unavailable');
      const r = await admin(`${V4}/node_metrics`);
      expect(r.status).toBe(503);
      expect(r.json()).toEqual({
        ErrStatus: {
          metadata: {},
          status: 'Failure',
          message: 'apiService v1beta1.monitoring.kubesphere.io is not available',
          reason: 'ServiceUnavailable',
          code: 503,
        },
      });
    } finally {
      sim.monitoring.setExtension('installed');
    }
    const off = await startSimulator({ flavour: '4.1', monitoringExtension: 'unavailable' });
    try {
      const r = await fetch(`${off.url}${V4}/cluster_metrics`, { headers: { authorization: `Bearer ${off.issueToken('admin')}` } });
      expect(r.status).toBe(503);
    } finally {
      await off.close();
    }
  });
});
