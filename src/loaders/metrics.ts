/**
 * Metrics of objects, batched per page: every `metrics` field of one level,
 * cluster and timing in a request becomes one monitoring query for all
 * their objects and the union of their metric names, and the answer is
 * split back by the level's labels (`metric.node`, `metric.pod`, …), as the
 * console joins its rows.
 */
import type { KubeSphereApi } from '../kubesphere/api.ts';
import type { MetricResult, SeriesData } from '../kubesphere/monitoring.ts';
import type { MetricLevel, MetricTiming } from '../model/metrics.ts';
import { groupBy, json, ObservedLoader, toError, type Cluster } from './batch.ts';

export interface MetricKey {
  level: MetricLevel;
  /** The member cluster the object is on (for the cluster level: the cluster itself); host when omitted. */
  cluster?: Cluster;
  /** Namespaced levels: the object's namespace. */
  namespace?: string | undefined;
  /** Containers: their pod. */
  pod?: string | undefined;
  /** Workloads: `Deployment`, `StatefulSet` or `DaemonSet` (their series are labelled `workload: "Kind:name"`). */
  kind?: string | undefined;
  /** The object's name; empty on the cluster level. */
  name: string;
  /** Checked metric names of the object's level. */
  names: readonly string[];
  timing: MetricTiming;
}

/** One series of one object's metric, or the metric's error. */
export interface ObjectSeries {
  name: string;
  labels: Record<string, string>;
  points: SeriesData['points'];
  error?: string | undefined;
}

/** Whether a series is about the key's object. */
function belongsTo(key: MetricKey, labels: Record<string, string>): boolean {
  switch (key.level) {
    case 'cluster':
      return true;
    case 'node':
      return labels.node === key.name;
    case 'workspace':
      return labels.workspace === key.name;
    case 'namespace':
      return labels.namespace === key.name;
    case 'workload':
      return labels.namespace === key.namespace && labels.workload === `${key.kind}:${key.name}`;
    case 'pod':
      return labels.namespace === key.namespace && labels.pod === key.name;
    case 'container':
      return labels.namespace === key.namespace && labels.pod === key.pod && labels.container === key.name;
    case 'pvc':
      return labels.namespace === key.namespace && labels.persistentvolumeclaim === key.name;
  }
}

/** The key's metrics, in the order asked: every series of the object, an empty series where it has none, or the metric's error. */
function seriesOf(key: MetricKey, metrics: Map<string, MetricResult>): ObjectSeries[] {
  return key.names.flatMap((name): ObjectSeries[] => {
    const metric = metrics.get(name);
    if (metric?.error !== undefined) return [{ name, labels: {}, points: [], error: metric.error }];
    const own = (metric?.series ?? []).filter((s) => belongsTo(key, s.labels));
    return own.length > 0 ? own.map((s) => ({ name, labels: s.labels, points: s.points })) : [{ name, labels: {}, points: [] }];
  });
}

export function createMetricLoaders(api: KubeSphereApi) {
  const metrics = new ObservedLoader<MetricKey, ObjectSeries[], string>(
    'metrics',
    async (keys) => {
      const results: (ObjectSeries[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.level, key.cluster, key.timing)).map(async ({ first, indexes }) => {
          const batch = indexes.map((index) => keys[index]!);
          try {
            const answer = await api.monitoring.metrics({
              level: first.level,
              cluster: first.cluster,
              timing: first.timing,
              metrics: [...new Set(batch.flatMap((key) => key.names))],
              objects: uniqueObjects(batch),
            });
            for (const index of indexes) results[index] = seriesOf(keys[index]!, answer);
          } catch (error) {
            for (const index of indexes) results[index] = toError(error);
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.level, key.cluster, key.namespace, key.pod, key.kind, key.name, key.names, key.timing) },
  );
  return { metrics };
}

function uniqueObjects(keys: readonly MetricKey[]) {
  const seen = new Map<string, { namespace?: string | undefined; pod?: string | undefined; name: string }>();
  for (const key of keys) seen.set(json(key.namespace, key.pod, key.name), { namespace: key.namespace, pod: key.pod, name: key.name });
  return [...seen.values()];
}
