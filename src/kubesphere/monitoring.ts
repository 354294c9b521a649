/**
 * KubeSphere monitoring as the loaders and resolvers see it: "these metrics
 * of these objects, at an instant or over a range", with no URLs. It picks
 * the route for the upstream's generation (3.x in-tree `v1alpha3` under the
 * member-cluster prefix; 4.x WhizardTelemetry `v1beta1/{level}_metrics` on
 * the host with `cluster=`), puts a page's objects into one
 * `resources_filter` (chunked to keep URLs short), and reads the answer,
 * including the failed metrics a 200 carries, into one shape.
 */
import { FacadeError } from '../errors.ts';
import type { MetricLevel, MetricTiming } from '../model/metrics.ts';
import type { KubeSphereClient, KubeSphereSession } from './client.ts';
import { monitoringQuery, monitoringV1alpha3, monitoringV1beta1, withQuery, type MonitoringQuery, type MonitoringRoute, type Target } from './paths.ts';
import { UpstreamError } from './upstream-error.ts';

type Cluster = string | null | undefined;

/** An object whose metrics are wanted: its name, and its namespace (and pod, for containers) on namespaced levels. */
export interface MetricObject {
  namespace?: string | undefined;
  pod?: string | undefined;
  name: string;
}

export interface MetricsRequest {
  level: MetricLevel;
  cluster?: Cluster;
  /** Metric names, already checked against the level's named metrics. */
  metrics: readonly string[];
  timing: MetricTiming;
  /** Ignored on the cluster level, which has one object per cluster. */
  objects: readonly MetricObject[];
}

export interface MetricPointValue {
  /** Unix seconds, as Prometheus reports them (fractions possible). */
  timestamp: number;
  /** Null for NaN, infinities and missing values. */
  value: number | null;
}

export interface SeriesData {
  labels: Record<string, string>;
  points: MetricPointValue[];
}

/** One metric of an answer: its series, or the error KubeSphere reported for it inside the 200. */
export interface MetricResult {
  name: string;
  error?: string | undefined;
  series: SeriesData[];
}

/** One object of a ranking, as `sort_metric` ordered it. */
export interface RankedObject {
  cluster?: string | undefined;
  namespace?: string | undefined;
  name: string;
  value: number | null;
  timestamp: number | undefined;
}

export interface RankingRequest {
  level: 'node' | 'pod';
  cluster?: Cluster;
  metric: string;
  ascending: boolean;
  page: number;
  limit: number;
  /** Pods only: of one namespace or one node. */
  namespace?: string | undefined;
  node?: string | undefined;
}

/** The monitoring answer (`release-3.4:pkg/simple/client/monitoring/types.go`, `monitoring.Metrics`). */
interface MetricsBody {
  results?: { metric_name?: string; error?: string; data?: { resultType?: string; result?: RawSeries[] | null } }[] | null;
  total_item?: number;
}

interface RawSeries {
  metric?: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** A filter stays under this many characters, like the `names=` lists of the resource API. */
const MAX_FILTER_LENGTH = 2_000;
/** How long a cluster whose monitoring is missing is not asked again. */
const UNAVAILABLE_TTL_MS = 30_000;

/** Per upstream (client) and cluster: until when monitoring is known to be missing. */
const unavailableUntil = new WeakMap<KubeSphereClient, Map<string, number>>();

export class MonitoringApi {
  readonly #session: KubeSphereSession;

  constructor(session: KubeSphereSession) {
    this.#session = session;
  }

  /**
   * The metrics of a page of objects of one level. One call per route and
   * chunk: nodes, workspaces and namespaces of a cluster share one call;
   * namespaced levels share one per namespace, or one for the whole batch
   * where the generation has a cluster-wide route (3.x pods, 4.x all
   * namespaced levels), falling back to one per namespace when that is
   * forbidden. Containers are asked per pod, which is how both generations
   * route them.
   */
  async metrics(request: MetricsRequest): Promise<Map<string, MetricResult>> {
    const target = await this.#session.target(request.cluster);
    const v4 = target.family === 'v4';
    const { level, objects } = request;
    // An empty filter would select every object of the level.
    if (objects.length === 0 && level !== 'cluster') return mergeAnswers([], request.metrics);
    const answers: MetricsBody[] = [];
    const ask = async (route: MonitoringRoute, part: Partial<MonitoringQuery>, chunked: readonly MetricObject[]) => {
      for (const chunk of chunkObjects(chunked)) {
        const names = [...new Set(chunk.map((o) => o.name))];
        const filter = part.namespacedResources ? { namespacedResources: chunk.map((o) => ({ namespace: o.namespace!, name: o.name })) } : { resources: names };
        const namespaces = part.namespaces ? { namespaces: [...new Set(chunk.map((o) => o.namespace!))] } : {};
        for (const metrics of chunkStrings(request.metrics)) {
          answers.push(await this.#call(target, route, { ...part, ...filter, ...namespaces, metrics, ...timingQuery(request.timing) }));
        }
      }
    };
    const byNamespace = groupBy(objects, (o) => o.namespace ?? '');
    const perNamespace = () => Promise.all([...byNamespace].map(([namespace, group]) => ask({ level, namespace }, {}, group))).then(() => undefined);
    switch (level) {
      case 'cluster':
        for (const metrics of chunkStrings(request.metrics)) answers.push(await this.#call(target, { level }, { metrics, ...timingQuery(request.timing) }));
        break;
      case 'node':
      case 'workspace':
      case 'namespace':
        await ask({ level }, {}, objects);
        break;
      case 'container':
        await Promise.all(
          [...groupBy(objects, (o) => `${o.namespace}/${o.pod}`).values()].map((group) =>
            ask({ level, namespace: group[0]!.namespace, pod: group[0]!.pod }, {}, group),
          ),
        );
        break;
      default: {
        // 3.x has a cluster-wide route for pods only; 4.x narrows any namespaced level by `namespace_resources_filter`.
        const wide = byNamespace.size > 1 && (v4 || level === 'pod');
        if (!wide) {
          await perNamespace();
          break;
        }
        try {
          await ask({ level }, v4 ? { namespaces: [] } : { namespacedResources: [] }, objects);
        } catch (error) {
          if (!(error instanceof UpstreamError && error.status === 403)) throw error;
          answers.length = 0;
          await perNamespace();
        }
      }
    }
    return mergeAnswers(answers, request.metrics);
  }

  /** Objects of a level ordered by one metric, paged by KubeSphere (`sort_metric`, `sort_type`, `page`, `limit`). */
  async ranking(request: RankingRequest): Promise<{ items: RankedObject[]; totalItems: number }> {
    const target = await this.#session.target(request.cluster);
    const route: MonitoringRoute = { level: request.level, namespace: request.namespace, node: request.node };
    const body = await this.#call(target, route, {
      metrics: [request.metric],
      sort: { metric: request.metric, ascending: request.ascending, page: request.page, limit: request.limit },
    });
    const result = body.results?.find((r) => r.metric_name === request.metric);
    if (result?.error !== undefined) throw new FacadeError(`KubeSphere could not rank by ${request.metric}: ${result.error}`, { code: 'UPSTREAM_ERROR' });
    const label = request.level === 'node' ? 'node' : 'pod';
    const items = (result?.data?.result ?? []).flatMap((raw): RankedObject[] => {
      const name = raw.metric?.[label];
      if (!name) return [];
      const point = raw.value ? toPoint(raw.value) : undefined;
      return [{ cluster: request.cluster ?? undefined, namespace: raw.metric?.namespace, name, value: point?.value ?? null, timestamp: point?.timestamp }];
    });
    return { items, totalItems: body.total_item ?? items.length };
  }

  async #call(target: Target, route: MonitoringRoute, query: MonitoringQuery): Promise<MetricsBody> {
    const v4 = target.family === 'v4';
    const key = target.cluster ?? '';
    const known = this.#unavailable();
    if ((known.get(key) ?? 0) > Date.now()) throw monitoringUnavailable(target.cluster);
    const path = v4
      ? withQuery(
          monitoringV1beta1(route.level),
          monitoringQuery({ ...query, cluster: target.cluster ?? undefined, namespace: route.namespace, pod: route.pod, node: route.node }),
        )
      : withQuery(monitoringV1alpha3(target, route), monitoringQuery(query));
    try {
      // 4.x asks the host, whatever cluster the metrics are about.
      return (await this.#session.get(path, v4 ? undefined : target.cluster)) as MetricsBody;
    } catch (error) {
      if (!isMonitoringMissing(error)) throw error;
      known.set(key, Date.now() + UNAVAILABLE_TTL_MS);
      throw monitoringUnavailable(target.cluster, error);
    }
  }

  #unavailable(): Map<string, number> {
    const client = this.#session.client;
    let map = unavailableUntil.get(client);
    if (!map) unavailableUntil.set(client, (map = new Map()));
    return map;
  }
}

/**
 * Monitoring is not there: its routes are not registered (a router 404: 3.x
 * with monitoring disabled, 4.x without the extension), or 4.x has the
 * extension's APIService but not its backend (503 `apiService … is not
 * available`, `release-4.1:pkg/apiserver/filters/apiservice.go`).
 */
function isMonitoringMissing(error: unknown): error is UpstreamError {
  if (!(error instanceof UpstreamError)) return false;
  return error.status === 404 || (error.status === 503 && /apiService .* is not available/i.test(error.upstreamMessage ?? ''));
}

function monitoringUnavailable(cluster: Cluster, cause?: UpstreamError): FacadeError {
  const where = cluster ? `cluster "${cluster}"` : 'the host cluster';
  return new FacadeError(
    `Monitoring is not available on ${where}: ${cause?.status === 503 ? 'its API service is down' : 'it is not installed or not enabled'}.`,
    {
      code: 'MONITORING_UNAVAILABLE',
      ...(cause?.status !== undefined && { httpStatus: cause.status }),
    },
  );
}

function timingQuery(timing: MetricTiming): Pick<MonitoringQuery, 'time' | 'range'> {
  return timing.kind === 'range' ? { range: { start: timing.start, end: timing.end, step: timing.step } } : { time: timing.time };
}

/** The answers of every call, by metric name; metrics the unanchored `metrics_filter` let through but nobody asked for are dropped. */
function mergeAnswers(answers: MetricsBody[], asked: readonly string[]): Map<string, MetricResult> {
  const merged = new Map<string, MetricResult>(asked.map((name) => [name, { name, series: [] }]));
  for (const body of answers) {
    for (const raw of body.results ?? []) {
      const metric = merged.get(raw.metric_name ?? '');
      if (!metric) continue;
      // A metric that failed in any call fails for the batch: its other series would be a partial answer.
      if (raw.error !== undefined) metric.error ??= raw.error || 'The metric failed.';
      for (const series of raw.data?.result ?? []) {
        if (!series.metric && !series.value && !series.values) continue;
        const points = series.values ? series.values.map(toPoint) : series.value ? [toPoint(series.value)] : [];
        metric.series.push({ labels: series.metric ?? {}, points });
      }
    }
  }
  for (const metric of merged.values()) if (metric.error !== undefined) metric.series = [];
  return merged;
}

/** `[unixSeconds, "value"]`; Prometheus writes NaN and infinities as strings, which JSON numbers cannot carry. */
function toPoint([timestamp, text]: [number, string]): MetricPointValue {
  const value = Number(text);
  return { timestamp, value: text === '' || !Number.isFinite(value) ? null : value };
}

function groupBy<T>(items: readonly T[], by: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = by(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Splits objects so that each chunk's filter (`name|…$`, or `namespace/name|…$`) stays under the budget. */
function chunkObjects(objects: readonly MetricObject[]): MetricObject[][] {
  if (objects.length === 0) return [[]];
  return chunk(objects, (o) => (o.namespace?.length ?? 0) + o.name.length + 3);
}

function chunkStrings(values: readonly string[]): string[][] {
  return chunk(values, (v) => v.length + 1);
}

function chunk<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let length = 0;
  for (const item of items) {
    if (current.length > 0 && length + size(item) > MAX_FILTER_LENGTH) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(item);
    length += size(item);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
