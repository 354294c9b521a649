import type { NodeResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { NodeResource, PodResource } from '../kubesphere/types.ts';
import { nodeAllocated, nodeReady, nodeRoles, nodeStatus } from '../model/node.ts';
import { enumValue } from '../model/enums.ts';
import { eventsAbout } from './edges.ts';
import { rootFields, scopedList } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { conditions, quantities } from './meta.ts';
import { metricsField, objectKey } from './metrics.ts';

const nodeFields = rootFields<NodeResource>('nodes');
export const nodeQuery = {
  nodes: nodeFields.list,
  node: nodeFields.get,
} satisfies QueryResolvers;

export const Node: NodeResolvers = {
  ...kubeObjectFields<NodeResource>('Node'),
  metrics: metricsField('node', objectKey),
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
  taints: (node) =>
    (node.spec?.taints ?? []).flatMap((t) => {
      const effect = enumValue('TaintEffect', t.effect);
      return effect ? [{ key: t.key, value: t.value ?? null, effect }] : [];
    }),
  pods: (node, args, ctx) => scopedList<PodResource>('pods', node, { nodeName: node.metadata?.name ?? '' }, args, ctx),
  events: (node, args, ctx) => eventsAbout(node, args, ctx),
};
