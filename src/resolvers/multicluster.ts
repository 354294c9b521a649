import type { ClusterResolvers, QueryResolvers } from '../generated/graphql.ts';
import { clusterName } from '../kubesphere/paths.ts';
import type { ClusterResource, NodeResource } from '../kubesphere/types.ts';
import { listAt, listResources } from './list.ts';
import { conditions } from './meta.ts';
import { kubeObjectFields } from './object.ts';
import { metricsField } from './metrics.ts';

const HOST_LABEL = 'cluster-role.kubesphere.io/host';
const isHost = (c: ClusterResource) => c.metadata?.labels?.[HOST_LABEL] !== undefined;

export const clusterQuery = {
  clusters: (_parent, args, ctx) => listAt('clusters', (cluster, query) => ctx.api.clusters(cluster, query), args, ctx),
  cluster: (_parent, { name }, { loaders }) => loaders.clusterByName.load({ name: clusterName(name) }),
} satisfies QueryResolvers;

export const Cluster: ClusterResolvers = {
  ...kubeObjectFields<ClusterResource>('Cluster'),
  // Like `nodes`: the host's own metrics go through the host routes.
  metrics: metricsField('cluster', (c: ClusterResource) => ({ cluster: isHost(c) ? undefined : c.metadata?.name, name: '' })),
  name: (c) => c.metadata?.name ?? '',
  role: (c) => (isHost(c) ? 'host' : 'member'),
  ready: (c) => c.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false,
  provider: (c) => c.spec?.provider ?? null,
  kubernetesVersion: (c) => c.status?.kubernetesVersion ?? null,
  kubesphereVersion: (c) => c.status?.kubeSphereVersion ?? null,
  nodeCount: (c) => c.status?.nodeCount ?? null,
  region: (c) => c.status?.region ?? c.metadata?.labels?.['cluster.kubesphere.io/region'] ?? null,
  group: (c) => c.metadata?.labels?.['cluster.kubesphere.io/group'] ?? null,
  connectionType: (c) => c.spec?.connection?.type ?? null,
  configz: (c) => c.status?.configz ?? {},
  conditions: (c) => conditions(c.status?.conditions),
  // The host cluster is addressed without a cluster prefix, so its calls are shared with the rest of the query.
  nodes: (c, args, ctx) => listResources<NodeResource>('nodes', { ...args, cluster: isHost(c) ? undefined : c.metadata?.name }, ctx),
};
