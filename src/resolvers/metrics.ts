/**
 * The `metrics` field of every monitored kind, the series and point types,
 * and the rankings (`topNodes`, `topPods`). Arguments are checked here,
 * before any upstream call; the metrics loader batches a page's fields into
 * one monitoring query.
 */
import type { GraphQLContext } from '../context.ts';
import { badUserInput, FacadeError } from '../errors.ts';
import type { MetricPointResolvers, MetricSeriesResolvers, NodeMetricValueResolvers, PodMetricValueResolvers, QueryResolvers } from '../generated/graphql.ts';
import { clusterName, namespaceName, objectName } from '../kubesphere/paths.ts';
import { clusterOf, type KubeObject, type NodeResource, type PodResource } from '../kubesphere/types.ts';
import { UpstreamError } from '../kubesphere/upstream-error.ts';
import type { MetricKey, ObjectSeries } from '../loaders/index.ts';
import { metricName, metricsQuery, metricUnit, type MetricLevel, type MetricsArgs } from '../model/metrics.ts';

type ObjectKey = Omit<MetricKey, 'level' | 'names' | 'timing'>;

/**
 * A `metrics` resolver for objects of one level. `keyOf` says which object
 * the series must be labelled with; an object read from a member cluster
 * asks that cluster's monitoring.
 */
export function metricsField<T>(level: MetricLevel, keyOf: (object: T, args: { cluster?: string | null | undefined }) => ObjectKey) {
  return async (object: T, args: MetricsArgs & { cluster?: string | null | undefined }, ctx: GraphQLContext): Promise<ObjectSeries[]> => {
    const { names, timing } = metricsQuery(level, args);
    if (names.length === 0) return [];
    return ctx.loaders.metrics.load({ level, ...keyOf(object, args), names, timing });
  };
}

/** The key of a namespaced or cluster-scoped object: its cluster, namespace and name. */
export const objectKey = (object: KubeObject): ObjectKey => ({
  cluster: clusterOf(object),
  namespace: object.metadata?.namespace,
  name: object.metadata?.name ?? '',
});

export const MetricSeries: MetricSeriesResolvers = {
  name: (series) => series.name,
  labels: (series) => series.labels,
  unit: (series) => metricUnit(series.name),
  points: (series) => series.points,
  error: (series) => series.error ?? null,
};

export const MetricPoint: MetricPointResolvers = {
  // Prometheus reports fractional unix seconds; a Date keeps milliseconds.
  timestamp: (point) => new Date(Math.round(point.timestamp * 1000)).toISOString(),
  value: (point) => point.value,
};

const timestamp = (seconds: number | undefined) => (seconds === undefined ? null : new Date(Math.round(seconds * 1000)).toISOString());

export const NodeMetricValue: NodeMetricValueResolvers = {
  name: (item) => item.name,
  value: (item) => item.value,
  timestamp: (item) => timestamp(item.timestamp),
  node: async (item, _args, { loaders }) => {
    const node = await loaders.objectByName.load({ cluster: item.cluster, resource: 'nodes', name: item.name }).catch(nullIfNotFound);
    return node as NodeResource | null;
  },
};

export const PodMetricValue: PodMetricValueResolvers = {
  name: (item) => item.name,
  namespace: (item) => item.namespace ?? null,
  value: (item) => item.value,
  timestamp: (item) => timestamp(item.timestamp),
  pod: async (item, _args, { loaders }) => {
    if (!item.namespace) return null;
    const pod = await loaders.objectByName.load({ cluster: item.cluster, resource: 'pods', namespace: item.namespace, name: item.name }).catch(nullIfNotFound);
    return pod as PodResource | null;
  },
};

/** A ranked object that is gone since Prometheus sampled it is shown without its object. */
function nullIfNotFound(error: unknown): null {
  if (error instanceof FacadeError ? error.code === 'NOT_FOUND' : error instanceof UpstreamError && error.notFound) return null;
  throw error;
}

function rankingPage(args: { page?: number | null; limit?: number | null }, ctx: GraphQLContext) {
  const page = args.page ?? 1;
  const limit = args.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > ctx.lists.maxLimit) throw badUserInput(`limit must be between 1 and ${ctx.lists.maxLimit}.`);
  if (!Number.isInteger(page) || page < 1) throw badUserInput('page must be 1 or more.');
  return { page, limit };
}

export const metricsRankingQuery = {
  topNodes: (_parent, args, ctx) =>
    ctx.api.monitoring.ranking({
      level: 'node',
      cluster: args.cluster ? clusterName(args.cluster) : undefined,
      metric: metricName('node', args.metric),
      ascending: args.ascending ?? false,
      ...rankingPage(args, ctx),
    }),
  topPods: (_parent, args, ctx) => {
    if (args.namespace && args.node) throw badUserInput('Rank the pods of a namespace or of a node, not both.');
    return ctx.api.monitoring.ranking({
      level: 'pod',
      cluster: args.cluster ? clusterName(args.cluster) : undefined,
      metric: metricName('pod', args.metric),
      ascending: args.ascending ?? false,
      namespace: args.namespace ? namespaceName(args.namespace) : undefined,
      node: args.node ? objectName(args.node, 'node') : undefined,
      ...rankingPage(args, ctx),
    });
  },
} satisfies QueryResolvers;
