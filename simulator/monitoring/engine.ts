/**
 * The monitoring back end shared by the 3.x and 4.x routes: the series each
 * level has in a cluster (from the object store, labelled as the PromQL in
 * `release-3.4:pkg/simple/client/monitoring/prometheus/promql.go` labels
 * them), evaluation at an instant or over a range, and the sort/page step of
 * `release-3.4:pkg/models/monitoring/sort_page.go`. Bodies are built in the
 * field order and with the zero values Go's encoding/json writes for
 * `monitoring.Metric` (`release-3.4:pkg/simple/client/monitoring/types.go`).
 */
import { T } from '../resources.ts';
import type { ClusterStore } from '../store.ts';
import type { KObject } from '../types.ts';
import { IDENTIFIER, METER_PREFIX, NAMED_METRICS, type Level } from './catalog.ts';
import { expectedMetricValue, formatGoFloat, objectKey } from './values.ts';

const WORKSPACE_LABEL = 'kubesphere.io/workspace';

/** One time series a level has: its labels and, for workloads, the kind that limits the per-kind metrics. */
export interface Series {
  labels: Record<string, string>;
  kind?: string;
}

/** Namespace-level metrics whose recording rule keeps the `workspace` label (the others are `sum by (namespace)`). */
const NAMESPACE_WITH_WORKSPACE = new Set([
  'namespace_cpu_usage',
  'namespace_memory_usage',
  'namespace_memory_usage_wo_cache',
  'namespace_pod_abnormal_count',
  'namespace_pod_abnormal_ratio',
]);

/** Every series of the level in the cluster, before any selector. */
export function seriesOf(store: ClusterStore, level: Level): Series[] {
  switch (level) {
    case 'cluster':
      return [{ labels: {} }];
    case 'node':
      return store.list(T.node).map((n) => ({ labels: { node: n.metadata.name } }));
    case 'workspace': {
      const names = new Set<string>();
      for (const ns of store.list(T.namespace)) {
        const ws = ns.metadata.labels?.[WORKSPACE_LABEL];
        if (ws) names.add(ws);
      }
      return [...names].sort().map((workspace) => ({ labels: { workspace } }));
    }
    case 'namespace':
      return store.list(T.namespace).map((ns) => {
        const ws = ns.metadata.labels?.[WORKSPACE_LABEL];
        return { labels: { namespace: ns.metadata.name, ...(ws ? { workspace: ws } : {}) } };
      });
    case 'workload': {
      const out: Series[] = [];
      for (const [type, kind] of [
        [T.deployment, 'Deployment'],
        [T.statefulset, 'StatefulSet'],
        [T.daemonset, 'DaemonSet'],
      ] as const) {
        for (const w of store.list(type)) {
          out.push({ kind, labels: { namespace: w.metadata.namespace!, workload: `${kind}:${w.metadata.name}`, owner_kind: kind } });
        }
      }
      return out;
    }
    case 'pod':
      // cAdvisor has container series only for running pods.
      return store
        .list(T.pod)
        .filter(running)
        .map((p) => {
          const owner = p.metadata.ownerReferences?.find((o) => o.controller) ?? p.metadata.ownerReferences?.[0];
          const node = (p.spec as { nodeName?: string } | undefined)?.nodeName;
          return {
            labels: {
              namespace: p.metadata.namespace!,
              pod: p.metadata.name,
              ...(owner ? { owner_kind: owner.kind, owner_name: owner.name } : { owner_kind: '<none>', owner_name: '<none>' }),
              ...(node ? { node } : {}),
            },
          };
        });
    case 'container':
      return store
        .list(T.pod)
        .filter(running)
        .flatMap((p) =>
          ((p.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => ({
            labels: { namespace: p.metadata.namespace!, pod: p.metadata.name, container: c.name },
          })),
        );
    case 'pvc':
      // kubelet volume stats exist only for mounted (bound) claims.
      return store
        .list(T.pvc)
        .filter((c) => (c.status as { phase?: string } | undefined)?.phase === 'Bound')
        .map((c) => {
          const sc = (c.spec as { storageClassName?: string } | undefined)?.storageClassName;
          return { labels: { namespace: c.metadata.namespace!, persistentvolumeclaim: c.metadata.name, ...(sc ? { storageclass: sc } : {}) } };
        });
  }
}

function running(p: KObject): boolean {
  return (p.status as { phase?: string } | undefined)?.phase === 'Running';
}

/** The labels one metric's series carry (promql.go's `by (…)` / `group_left(…)` clauses). */
function labelsFor(level: Level, metric: string, s: Series): Record<string, string> {
  if (level === 'namespace' && !NAMESPACE_WITH_WORKSPACE.has(metric)) return { namespace: s.labels.namespace! };
  return s.labels;
}

/** The per-kind workload metrics (`workload_deployment_replica`…) only have series of their kind. */
export function metricHasSeries(level: Level, metric: string, s: Series): boolean {
  if (level !== 'workload') return true;
  for (const k of ['deployment', 'statefulset', 'daemonset']) if (metric.includes(k)) return s.kind?.toLowerCase() === k;
  return true;
}

/** A PromQL `=~` matcher: fully anchored (`^(?:re)$`). Throws Prometheus's parse error text on a bad regexp. */
export function promRegexp(re: string): RegExp {
  try {
    return new RegExp(`^(?:${re})$`, 'su');
  } catch (error) {
    throw new MetricQueryError(`bad_data: invalid parameter "query": 1:1: parse error: error parsing regexp: ${(error as Error).message}`);
  }
}

/** Fails every metric of the query with the same text, as a Prometheus error does. */
export class MetricQueryError extends Error {}

export type Timing = { kind: 'instant'; time: number } | { kind: 'range'; start: number; end: number; step: number };

export interface MetricsQuery {
  cluster: string;
  level: Level;
  /** Metric names, already filtered by `metrics_filter`. */
  metrics: string[];
  /** Which series the PromQL selectors keep; may depend on the metric (per-kind workload selectors). */
  select: (s: Series, metric: string) => boolean;
  timing: Timing;
  /** Labels added to every series (4.x: `cluster`). */
  extraLabels?: Record<string, string>;
  /** Failing metrics and their error text (test hook). */
  failures: ReadonlyMap<string, string>;
}

interface SeriesOut {
  metric?: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

interface MetricOut {
  metric_name: string;
  data: { resultType?: 'vector' | 'matrix'; result?: SeriesOut[] };
  error?: string;
}

export interface MetricsBody {
  results: MetricOut[] | null;
  page?: number;
  total_page?: number;
  total_item?: number;
}

/** Prometheus's resolution limit on range queries. */
const MAX_POINTS = 11_000;

export function evaluate(store: ClusterStore, q: MetricsQuery): MetricOut[] {
  const all = seriesOf(store, q.level);
  return q.metrics.map((metric): MetricOut => {
    const failure = q.failures.get(metric);
    if (failure !== undefined) return { metric_name: metric, data: {}, error: failure };
    if (q.timing.kind === 'range') {
      const { start, end, step } = q.timing;
      if (step <= 0)
        return { metric_name: metric, data: {}, error: 'bad_data: zero or negative query resolution step widths are not accepted. Try a positive integer' };
      if ((end - start) / step > MAX_POINTS)
        return {
          metric_name: metric,
          data: {},
          error: 'bad_data: exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        };
    }
    let selected: Series[];
    try {
      selected = all.filter((s) => metricHasSeries(q.level, metric, s) && q.select(s, metric));
    } catch (error) {
      if (error instanceof MetricQueryError) return { metric_name: metric, data: {}, error: error.message };
      throw error;
    }
    const result = selected.map((s) => {
      const labels = { ...labelsFor(q.level, metric, s), ...q.extraLabels };
      const key = objectKey(q.level, s.labels);
      const point = (t: number): [number, string] => [t, formatGoFloat(expectedMetricValue(q.cluster, q.level, key, metric, t))];
      const out: SeriesOut = {};
      // encoding/json writes map keys sorted; an empty map is left out (omitempty).
      if (Object.keys(labels).length) out.metric = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      if (q.timing.kind === 'instant') out.value = point(q.timing.time);
      else {
        const points: [number, string][] = [];
        for (let t = q.timing.start; t <= q.timing.end; t += q.timing.step) points.push(point(t));
        out.values = points;
      }
      return out;
    });
    const data: MetricOut['data'] = { resultType: q.timing.kind === 'instant' ? 'vector' : 'matrix' };
    if (result.length) data.result = result;
    return { metric_name: metric, data };
  });
}

/** Named metrics of the level that `metrics_filter` (Go `regexp.MatchString`: not anchored) selects; meter_ metrics are skipped. */
export function filterMetrics(level: Level, metricsFilter: string): string[] {
  let re: RegExp;
  try {
    re = new RegExp(metricsFilter, 'su');
  } catch {
    return []; // MatchString's error is ignored: nothing matches.
  }
  return NAMED_METRICS[level].filter((m) => !m.startsWith(METER_PREFIX) && re.test(m));
}

/** `Metrics.Sort(target, order, identifier).Page(page, limit)` from sort_page.go, on instant (vector) results. */
export function sortAndPage(results: MetricOut[], level: Level, target: string, order: string, page: number, limit: number): MetricsBody {
  const identifier = IDENTIFIER[level];
  const body: MetricsBody = { results };
  if (!identifier || results.length === 0) return body;
  const usable = (m: MetricOut) => m.data.resultType === 'vector' && m.error === undefined;
  const ordinal = new Map<string, number>();
  const seen = new Set<string>();
  let next = 0;
  for (const m of results) {
    if (!usable(m)) continue;
    if (m.metric_name === target && m.data.result) {
      m.data.result.sort((p, q) => {
        const pv = Number(p.value?.[1]);
        const qv = Number(q.value?.[1]);
        if (pv === qv) return cmp(p.metric?.[identifier] ?? '', q.metric?.[identifier] ?? '');
        return order === 'asc' ? pv - qv : qv - pv;
      });
      for (const s of m.data.result) {
        const id = s.metric?.[identifier];
        if (id && !ordinal.has(id)) ordinal.set(id, next++);
      }
    }
    for (const s of m.data.result ?? []) {
      const id = s.metric?.[identifier];
      if (id) seen.add(id);
    }
  }
  const resources = [...seen].sort(cmp);
  for (const r of resources) if (!ordinal.has(r)) ordinal.set(r, next++);
  for (const m of results) {
    if (!usable(m)) continue;
    // Go fills a slice of len(resources); objects this metric has no series for stay zero MetricValues.
    const sorted: SeriesOut[] = resources.map(() => ({}));
    for (const s of m.data.result ?? []) {
      const id = s.metric?.[identifier];
      if (id) sorted[ordinal.get(id)!] = s;
    }
    if (sorted.length) m.data.result = sorted;
    else delete m.data.result;
  }
  const totalItems = resources.length;
  const start = (page - 1) * limit;
  let end = page * limit;
  for (const m of results) {
    if (!usable(m)) continue;
    const total = m.data.result?.length ?? 0;
    if (start >= total) {
      delete m.data.result;
      continue;
    }
    if (end >= total) end = total; // sort_page.go narrows `end` for the following metrics too
    m.data.result = m.data.result!.slice(start, end);
  }
  body.page = page;
  const totalPages = Math.ceil(totalItems / limit);
  if (totalPages) body.total_page = totalPages;
  if (totalItems) body.total_item = totalItems;
  return body;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** encoding/json of one series: MetricValue's metering fields have no omitempty, so they are always there. */
const METERING_FIELDS = { min_value: '', max_value: '', avg_value: '', sum_value: '', fee: '', resource_unit: '', currency_unit: '' };

export function serialise(body: MetricsBody): string {
  return JSON.stringify(body, (key, value: unknown) => {
    if (key === 'result' && Array.isArray(value)) return (value as SeriesOut[]).map((s) => ({ ...s, ...METERING_FIELDS }));
    return value;
  });
}

/** The "no hit" answer (handleNoHit): every named metric of the level, meter_ ones too, with empty data. */
export function noHit(level: Level): MetricsBody {
  return { results: NAMED_METRICS[level].map((m) => ({ metric_name: m, data: {} })) };
}
