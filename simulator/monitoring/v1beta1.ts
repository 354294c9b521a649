/**
 * 4.x `monitoring.kubesphere.io/v1beta1/{level}_metrics` (api doc §8.2),
 * served by the WhizardTelemetry extension through an APIService, host only,
 * with the cluster as `?cluster=`.
 *
 * INFERRED: the extension's source is not available here and the 4.1
 * Swagger (`kubesphere-4.1-ks-openapi.json`) lists no monitoring route. The
 * route names and the parameter list follow api doc §8.2 (from the
 * extension's CHANGELOG and swagger.json); the rest is assumed to behave as
 * the 3.4 handler it grew from: same parameter parsing and 400 texts, same
 * `monitoring.Metrics` body, sorting and paging. Also assumed:
 * - every series carries a `cluster` label (Whizard keeps all clusters in
 *   one store and tells them apart by that label);
 * - level filters: `node`, `workspace`, `namespace`, `pod`, `container`,
 *   `persistentvolumeclaim`, `storageclass` select one object, `kind`
 *   (deployment|statefulset|daemonset) and `workload_name` narrow workloads
 *   and pods, `namespace_resources_filter` and `cluster_resources_filter` are
 *   anchored regexps like `resources_filter`;
 * - an unknown `cluster` has no series (200 with empty results);
 * - authorization: ks-apiserver authorizes the path before proxying; a
 *   `namespace=` (or `workspace=`) parameter is taken as the scope, so
 *   workspace members may read their namespaces' metrics, and everything
 *   else needs cluster rights.
 */
import type { RequestContext } from '../context.ts';
import { jsonReply, routerMethodNotAllowed, routerNotFound, statusReply, textReply } from '../errors.ts';
import { T } from '../resources.ts';
import type { Reply } from '../types.ts';
import type { Level } from './catalog.ts';
import { monitoringOf } from './control.ts';
import { evaluate, filterMetrics, noHit, promRegexp, serialise, sortAndPage, type Series, type Timing } from './engine.ts';
import { ERR_NO_HIT, ParamError, nowSeconds, parsePaging, parseTiming } from './params.ts';

const GROUP = 'monitoring.kubesphere.io';
/** The APIService the extension registers (name inferred from Kubernetes' `{version}.{group}` convention). */
export const APISERVICE_NAME = 'v1beta1.monitoring.kubesphere.io';

const LEVELS: Record<string, Level> = {
  cluster_metrics: 'cluster',
  node_metrics: 'node',
  workspace_metrics: 'workspace',
  namespace_metrics: 'namespace',
  workload_metrics: 'workload',
  pod_metrics: 'pod',
  container_metrics: 'container',
  persistentvolumeclaim_metrics: 'pvc',
};

const KINDS: Record<string, string> = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet' };

export function handleMonitoringV1beta1(ctx: RequestContext, segs: string[]): Reply {
  const control = monitoringOf(ctx.sim);
  const q = ctx.query;
  const [resource, ...more] = segs;
  const namespace = q.get('namespace') || undefined;
  const workspace = q.get('workspace') || undefined;
  // The authorization filter runs before the APIService filter, whatever the extension's state.
  ctx.authorize({
    verb: 'list',
    apiGroup: GROUP,
    ...(resource !== undefined ? { resource } : {}),
    ...(namespace ? { namespace } : workspace ? { workspace } : {}),
  });
  if (control.extension === 'absent') return routerNotFound();
  if (control.extension === 'unavailable') {
    // responsewriters.WriteRawJSON(503, errors.NewServiceUnavailable(reason)): the StatusError itself, not its Status.
    return jsonReply(503, {
      ErrStatus: { metadata: {}, status: 'Failure', message: `apiService ${APISERVICE_NAME} is not available`, reason: 'ServiceUnavailable', code: 503 },
    });
  }
  // HostOnly: a member cluster has no such APIService.
  if (ctx.cluster !== ctx.sim.world.hostName) return routerNotFound();
  if (resource === 'component_metrics' || resource === 'targets') return statusReply(501, `${ctx.path} is not simulated`, {}, 'NotImplemented');
  const level = resource !== undefined ? LEVELS[resource] : undefined;
  if (!level || more.length) return routerNotFound();
  if (ctx.method !== 'GET') return routerMethodNotAllowed();

  const clusterName = q.get('cluster') || ctx.sim.world.hostName;
  const clusterFilter = q.get('cluster_resources_filter');
  const clusters =
    level === 'cluster' && clusterFilter
      ? [...ctx.sim.world.clusters.keys()].filter((c) => safeTest(clusterFilter, c))
      : [clusterName].filter((c) => ctx.sim.world.clusters.has(c));

  let timing: Timing;
  let paging;
  try {
    timing = parseTiming(q, nowSeconds);
    const store = ctx.sim.world.clusters.get(clusterName);
    if (namespace && level !== 'cluster' && level !== 'node' && level !== 'workspace' && store) {
      const ns = store.get(T.namespace, undefined, namespace);
      if (!ns) throw new ParamError(`namespaces "${namespace}" not found`);
      const created = Date.parse(ns.metadata.creationTimestamp ?? '') / 1000;
      if ((timing.kind === 'instant' ? timing.time : timing.end) < created) throw new ParamError(ERR_NO_HIT);
    }
    paging = parsePaging(q);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    if (error.message === ERR_NO_HIT) return json(serialise(noHit(level)));
    return textReply(400, error.message);
  }

  const metrics = filterMetrics(level, q.get('metrics_filter') || '.*');
  if (metrics.length === 0) return json(serialise({ results: null }));
  const select = selector(level, q);
  const failures = control.failures;
  const perCluster = clusters.map((c) =>
    evaluate(ctx.sim.world.clusters.get(c)!, { cluster: c, level, metrics, select, timing, failures, extraLabels: { cluster: c } }),
  );
  const results = metrics.map((metric_name, i) => {
    const parts = perCluster.map((r) => r[i]!);
    const failed = parts.find((p) => p.error !== undefined);
    if (failed) return failed;
    const series = parts.flatMap((p) => p.data.result ?? []);
    const data: (typeof parts)[number]['data'] = { resultType: timing.kind === 'instant' ? 'vector' : 'matrix' };
    if (series.length) data.result = series;
    return { metric_name, data };
  });
  const body = paging && timing.kind === 'instant' ? sortAndPage(results, level, paging.target, paging.order, paging.page, paging.limit) : { results };
  return json(serialise(body));
}

function json(body: string): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

function safeTest(re: string, value: string): boolean {
  try {
    return promRegexp(re).test(value);
  } catch {
    return false;
  }
}

/** The parameters that pick one object by an exact label match, per level. */
const EXACT: Partial<Record<Level, string[]>> = {
  node: ['node'],
  workspace: ['workspace'],
  namespace: ['namespace'],
  workload: ['namespace'],
  pod: ['namespace', 'pod', 'node'],
  container: ['namespace', 'pod', 'container'],
  pvc: ['namespace', 'persistentvolumeclaim', 'storageclass'],
};

/** The level's selectors from its query parameters (see the INFERRED note above). */
function selector(level: Level, q: URLSearchParams): (s: Series, metric: string) => boolean {
  const exact = (EXACT[level] ?? []).map((label) => [label, q.get(label)] as const).filter(([, v]) => v);
  const own: Record<Level, string> = {
    cluster: '',
    node: 'node',
    workspace: 'workspace',
    namespace: 'namespace',
    workload: 'workload',
    pod: 'pod',
    container: 'container',
    pvc: 'persistentvolumeclaim',
  };
  const filter = q.get('resources_filter') || '.*';
  const nsFilter = q.get('namespace_resources_filter');
  const kind = KINDS[q.get('kind') ?? ''];
  const workloadName = q.get('workload_name');
  let re: RegExp | undefined;
  let nsRe: RegExp | undefined;
  return (s, metric) => {
    for (const [label, value] of exact) if (s.labels[label] !== value) return false;
    if (level === 'namespace' && q.get('workspace') && s.labels.workspace !== q.get('workspace')) return false;
    if (nsFilter && s.labels.namespace !== undefined && !(nsRe ??= promRegexp(nsFilter)).test(s.labels.namespace)) return false;
    const ownLabel = own[level];
    if (!ownLabel) return true;
    let value = s.labels[ownLabel] ?? '';
    if (level === 'workload') {
      if (kind && s.kind !== kind && !/_replica(_available)?$/.test(metric)) return false;
      value = value.slice(value.indexOf(':') + 1);
    }
    if (level === 'pod' && workloadName) {
      const owner = s.labels.owner_name ?? '';
      const ownerMatches = kind === 'Deployment' ? promRegexp(`${workloadName}-[^-]{1,10}`).test(owner) : owner === workloadName;
      if (!ownerMatches) return false;
    }
    return (re ??= promRegexp(filter)).test(value);
  };
}
