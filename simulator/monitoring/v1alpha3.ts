/**
 * 3.x `monitoring.kubesphere.io/v1alpha3` (api doc §8.1): the routes of
 * `release-3.4:pkg/kapis/monitoring/v1alpha3/register.go` for clusters,
 * nodes, workspaces, namespaces, workloads, pods, containers and PVCs, with
 * the handler logic of `handler.go` and `helper.go`: the selectors the
 * PromQL gets (`release-3.4:pkg/simple/client/monitoring/prometheus/promql.go`),
 * the namespace creation-time check, sorting and paging.
 */
import type { RequestContext } from '../context.ts';
import { routerMethodNotAllowed, routerNotFound, statusReply, textReply } from '../errors.ts';
import { T } from '../resources.ts';
import type { Reply } from '../types.ts';
import type { Level } from './catalog.ts';
import { monitoringOf } from './control.ts';
import { evaluate, filterMetrics, noHit, promRegexp, serialise, sortAndPage, type Series, type Timing } from './engine.ts';
import { ERR_NO_HIT, ParamError, parsePaging, parseTiming, nowSeconds } from './params.ts';

const GROUP = 'monitoring.kubesphere.io';

/** What one route asks for: the level, how it selects series, and the authorization attributes of its path. */
interface Route {
  level: Level;
  select: (s: Series, metric: string) => boolean;
  /** Path parameter `namespace`, which triggers the creation-time check. */
  namespace?: string;
  authz: { verb: 'get' | 'list'; resource: string; name?: string; subresource?: string; namespace?: string; workspace?: string };
}

/** A `resources_filter` matcher (PromQL `=~`, anchored) that also keeps its text, which the workload selector embeds. */
type Matcher = ((value: string | undefined) => boolean) & { text: string };

const KINDS: Record<string, string> = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet' };

/** Go's `regexp.QuoteMeta`-free string match of an exact `label="value"` matcher. */
const eq = (a: string | undefined, b: string) => a === b;

export function handleMonitoringV1alpha3(ctx: RequestContext, segs: string[]): Reply {
  const q = ctx.query;
  const filter = q.get('resources_filter') || '.*';
  let re: RegExp | undefined;
  // Compiled when first used, so a bad filter fails inside the metrics (as a Prometheus parse error), not the request.
  const matches: Matcher = Object.assign((value: string | undefined) => (re ??= promRegexp(filter)).test(value ?? ''), { text: filter });
  const route = resolve(segs, matches, q);
  if (route === undefined) return routerNotFound();
  if (route === 'unsimulated') {
    ctx.authorize({ verb: 'get', apiGroup: GROUP });
    return statusReply(501, `${ctx.path} is not simulated`, {}, 'NotImplemented');
  }
  if (ctx.method !== 'GET') return routerMethodNotAllowed();
  ctx.authorize({ apiGroup: GROUP, ...route.authz });
  return answer(ctx, route);
}

function answer(ctx: RequestContext, route: Route): Reply {
  let timing: Timing;
  let paging;
  try {
    timing = parseTiming(ctx.query, nowSeconds);
    if (route.namespace !== undefined) {
      const ns = ctx.store.get(T.namespace, undefined, route.namespace);
      if (!ns) throw new ParamError(`namespaces "${route.namespace}" not found`);
      const created = Date.parse(ns.metadata.creationTimestamp ?? '') / 1000;
      if (timing.kind === 'instant') {
        if (timing.time < created) throw new ParamError(ERR_NO_HIT);
      } else {
        if (timing.end < created) throw new ParamError(ERR_NO_HIT);
        if (timing.start < created) {
          // helper.go moves `start` to the first step after the creation, counting back from `end`.
          let start = timing.end;
          while (start - timing.step > created) start -= timing.step;
          timing = { ...timing, start };
        }
      }
    }
    paging = parsePaging(ctx.query);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    // Every level with a namespace path parameter answers a "no hit" with empty data (200).
    if (error.message === ERR_NO_HIT) return json(serialise(noHit(route.level)));
    return textReply(400, error.message);
  }
  const metrics = filterMetrics(route.level, ctx.query.get('metrics_filter') || '.*');
  if (metrics.length === 0) return json(serialise({ results: null }));
  const results = evaluate(ctx.store, {
    cluster: ctx.cluster,
    level: route.level,
    metrics,
    select: route.select,
    timing,
    failures: monitoringOf(ctx.sim).failures,
  });
  const body = paging && timing.kind === 'instant' ? sortAndPage(results, route.level, paging.target, paging.order, paging.page, paging.limit) : { results };
  return json(serialise(body));
}

function json(body: string): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

type Resolved = Route | 'unsimulated' | undefined;

function resolve(segs: string[], matches: Matcher, q: URLSearchParams): Resolved {
  const [a, b, c, d, e, f, ...more] = segs;
  if (more.length) return undefined;
  switch (a) {
    case 'cluster':
      return b === undefined ? { level: 'cluster', select: () => true, authz: { verb: 'list', resource: 'cluster' } } : undefined;
    case 'nodes':
      if (b === undefined) return { level: 'node', select: (s) => matches(s.labels.node), authz: { verb: 'list', resource: 'nodes' } };
      if (c === undefined) return { level: 'node', select: (s) => eq(s.labels.node, b), authz: { verb: 'get', resource: 'nodes', name: b } };
      if (c === 'pods' && e === undefined)
        return { level: 'pod', select: nodePods(b, d, matches, q), authz: { verb: 'get', resource: 'nodes', name: b, subresource: 'pods' } };
      return undefined;
    case 'workspaces':
      if (b === undefined) return { level: 'workspace', select: (s) => matches(s.labels.workspace), authz: { verb: 'list', resource: 'workspaces' } };
      if (c === undefined)
        return { level: 'workspace', select: (s) => eq(s.labels.workspace, b), authz: { verb: 'get', resource: 'workspaces', name: b, workspace: b } };
      if (c === 'namespaces' && d === undefined)
        return {
          level: 'namespace',
          select: (s) => eq(s.labels.workspace, b) && matches(s.labels.namespace),
          authz: { verb: 'list', resource: 'namespaces', workspace: b },
        };
      return undefined;
    case 'namespaces':
      if (b === undefined) return { level: 'namespace', select: (s) => matches(s.labels.namespace), authz: { verb: 'list', resource: 'namespaces' } };
      return namespaced(b, c, d, e, f, matches);
    case 'pods':
      return b === undefined ? { level: 'pod', select: clusterPods(q), authz: { verb: 'list', resource: 'pods' } } : undefined;
    case 'storageclasses':
      if (b !== undefined && c === 'persistentvolumeclaims' && d === undefined)
        return {
          level: 'pvc',
          select: (s) => eq(s.labels.storageclass, b) && matches(s.labels.persistentvolumeclaim),
          authz: { verb: 'get', resource: 'storageclasses', name: b, subresource: 'persistentvolumeclaims' },
        };
      return undefined;
    case 'kubesphere':
    case 'components':
    case 'targets':
    case 'clusterdashboards':
      return 'unsimulated';
    default:
      return undefined;
  }
}

function namespaced(ns: string, c: string | undefined, d: string | undefined, e: string | undefined, f: string | undefined, matches: Matcher): Resolved {
  const inNs = (s: Series) => s.labels.namespace === ns;
  const authz = (verb: 'get' | 'list', resource: string, name?: string, subresource?: string) => ({ verb, resource, name, subresource, namespace: ns });
  switch (c) {
    case undefined:
      return { level: 'namespace', namespace: ns, select: inNs, authz: authz('get', 'namespaces', ns) };
    case 'workloads': {
      if (e !== undefined) {
        if (f !== 'pods') return undefined;
        return { level: 'pod', namespace: ns, select: workloadPods(ns, d!, e, matches), authz: authz('get', 'workloads', d, e) };
      }
      // makeWorkloadMetricExpr: `workload=~"Kind:(filter)"`; the replica metrics select `<kind>=~"filter"` by name whatever the path's kind.
      const kind = (d !== undefined && KINDS[d]) || '.*';
      let kindRe: RegExp | undefined;
      return {
        level: 'workload',
        namespace: ns,
        select: (s, metric) => {
          if (!inNs(s)) return false;
          if (/_replica(_available)?$/.test(metric)) return matches(s.labels.workload!.slice(s.labels.workload!.indexOf(':') + 1));
          kindRe ??= promRegexp(`${kind}:(${matches.text})`);
          return kindRe.test(s.labels.workload!);
        },
        authz: d === undefined ? authz('list', 'workloads') : authz('get', 'workloads', d),
      };
    }
    case 'pods':
      if (d === undefined) return { level: 'pod', namespace: ns, select: (s) => inNs(s) && matches(s.labels.pod), authz: authz('list', 'pods') };
      if (e === undefined) return { level: 'pod', namespace: ns, select: (s) => inNs(s) && eq(s.labels.pod, d), authz: authz('get', 'pods', d) };
      if (e === 'containers')
        return {
          level: 'container',
          namespace: ns,
          select: (s) => inNs(s) && eq(s.labels.pod, d) && (f === undefined ? matches(s.labels.container) : eq(s.labels.container, f)),
          authz: authz('get', 'pods', d, 'containers'),
        };
      return undefined;
    case 'persistentvolumeclaims':
      if (e !== undefined) return undefined;
      return {
        level: 'pvc',
        namespace: ns,
        select: (s) => inNs(s) && (d === undefined ? matches(s.labels.persistentvolumeclaim) : eq(s.labels.persistentvolumeclaim, d)),
        authz: d === undefined ? authz('list', 'persistentvolumeclaims') : authz('get', 'persistentvolumeclaims', d),
      };
    case 'ingresses':
    case 'targets':
    case 'dashboards':
      return 'unsimulated';
    default:
      return undefined;
  }
}

/** makePodMetricExpr for `/namespaces/{ns}/workloads/{kind}/{workload}/pods`. */
function workloadPods(ns: string, kind: string, workload: string, matches: Matcher) {
  const owner =
    kind === 'deployment'
      ? (s: Series) => s.labels.owner_kind === 'ReplicaSet' && promRegexp(`^${workload}-[^-]{1,10}$`).test(s.labels.owner_name ?? '')
      : kind === 'statefulset'
        ? (s: Series) => s.labels.owner_kind === 'StatefulSet' && s.labels.owner_name === workload
        : kind === 'daemonset'
          ? (s: Series) => s.labels.owner_kind === 'DaemonSet' && s.labels.owner_name === workload
          : () => true;
  return (s: Series) => s.labels.namespace === ns && matches(s.labels.pod) && owner(s);
}

/** `namespaced_resources_filter`: `ns/pod|ns/pod`, trailing `$` removed; selects namespace=~ and pod=~, then keeps exact pairs (genMetricFilter). */
function namespacedPairs(q: URLSearchParams): { namespaces: string[]; pods: string[]; pairs: Set<string> } | undefined {
  const raw = (q.get('namespaced_resources_filter') ?? '').replace(/\$+$/, '');
  if (raw === '') return undefined;
  const namespaces: string[] = [];
  const pods: string[] = [];
  for (const np of raw.split('|')) {
    const i = np.indexOf('/');
    if (i >= 0) {
      namespaces.push(np.slice(0, i));
      pods.push(np.slice(i + 1));
    } else pods.push(np);
  }
  return { namespaces, pods, pairs: new Set(raw.split('|')) };
}

function pairSelect(p: ReturnType<typeof namespacedPairs>): (s: Series) => boolean {
  if (!p) return () => true;
  let nsRe: RegExp | undefined;
  let podRe: RegExp | undefined;
  return (s) =>
    (p.namespaces.length === 0 || (nsRe ??= promRegexp(p.namespaces.join('|'))).test(s.labels.namespace!)) &&
    (p.pods.length === 0 || (podRe ??= promRegexp(p.pods.join('|'))).test(s.labels.pod!)) &&
    p.pairs.has(`${s.labels.namespace}/${s.labels.pod}`);
}

/** `/pods` (cluster-wide). */
function clusterPods(q: URLSearchParams) {
  return pairSelect(namespacedPairs(q));
}

/** `/nodes/{node}/pods[/{pod}]`; `{pod}` may be `ns/pod`. */
function nodePods(node: string, pod: string | undefined, matches: Matcher, q: URLSearchParams) {
  if (pod !== undefined) {
    const i = pod.indexOf('/');
    return i >= 0
      ? (s: Series) => s.labels.node === node && s.labels.namespace === pod.slice(0, i) && s.labels.pod === pod.slice(i + 1)
      : (s: Series) => s.labels.node === node && s.labels.pod === pod;
  }
  const pairs = pairSelect(namespacedPairs(q));
  return (s: Series) => s.labels.node === node && matches(s.labels.pod) && pairs(s);
}
