import type { NodeResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { NodeResource, PodResource } from '../kubesphere/types.ts';
import { clusterOf } from '../kubesphere/types.ts';
import { nodeAllocated, nodeReady, nodeRoles, nodeStatus } from '../model/node.ts';
import { podFilterStatus } from '../model/pod.ts';
import { eventsAbout } from './edges.ts';
import { pageLocally, rootFields } from './list.ts';
import { conditions, quantities } from './meta.ts';

const nodeFields = rootFields<NodeResource>('nodes');
export const nodeQuery = {
  nodes: nodeFields.list,
  node: nodeFields.get,
} satisfies QueryResolvers;

export const Node: NodeResolvers = {
  metadata: (node) => node.metadata ?? {},
  roles: (node) => nodeRoles(node),
  ready: (node) => nodeReady(node),
  unschedulable: (node) => node.spec?.unschedulable ?? false,
  status: (node) => nodeStatus(node),
  conditions: (node) => conditions(node.status?.conditions),
  capacity: (node) => quantities(node.status?.capacity),
  allocatable: (node) => quantities(node.status?.allocatable),
  requests: (node) => quantities(nodeAllocated(node, 'requests')),
  limits: (node) => quantities(nodeAllocated(node, 'limits')),
  addresses: (node) => node.status?.addresses ?? [],
  internalIP: (node) => node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null,
  kubeletVersion: (node) => node.status?.nodeInfo?.kubeletVersion ?? null,
  osImage: (node) => node.status?.nodeInfo?.osImage ?? null,
  containerRuntimeVersion: (node) => node.status?.nodeInfo?.containerRuntimeVersion ?? null,
  architecture: (node) => node.status?.nodeInfo?.architecture ?? null,
  taints: (node) => (node.spec?.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? null, effect: t.effect })),
  pods: (node, args, ctx) =>
    pageLocally(args, ctx.lists, async () => {
      const items = (await ctx.loaders.itemsByScope.load({ cluster: clusterOf(node), resource: 'pods', nodeName: node.metadata?.name ?? '' })) as PodResource[];
      return items.filter((pod) => (!args.status || podFilterStatus(pod) === args.status) && (!args.name || pod.metadata?.name?.includes(args.name)));
    }),
  events: (node, _args, ctx) => eventsAbout(node, ctx),
  raw: (node) => node,
};
