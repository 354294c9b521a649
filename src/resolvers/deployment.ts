import type { DeploymentResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { DeploymentResource, PodResource } from '../kubesphere/types.ts';
import { clusterOf } from '../kubesphere/types.ts';
import { matchesSelector } from '../model/selector.ts';
import { deploymentStatus } from '../model/workload.ts';
import { getResource, listResources } from './list.ts';
import { conditions } from './meta.ts';

export const deploymentQuery = {
  deployments: (_parent, args, ctx) => listResources<DeploymentResource>('deployments', args, ctx),
  deployment: (_parent, args, ctx) => getResource<DeploymentResource>('deployments', args, ctx),
} satisfies QueryResolvers;

export const Deployment: DeploymentResolvers = {
  metadata: (d) => d.metadata ?? {},
  replicas: (d) => d.spec?.replicas ?? 1,
  readyReplicas: (d) => d.status?.readyReplicas ?? 0,
  availableReplicas: (d) => d.status?.availableReplicas ?? 0,
  updatedReplicas: (d) => d.status?.updatedReplicas ?? 0,
  unavailableReplicas: (d) => d.status?.unavailableReplicas ?? 0,
  status: (d) => deploymentStatus(d),
  selector: (d) => d.spec?.selector?.matchLabels ?? {},
  images: (d) => (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
  conditions: (d) => conditions(d.status?.conditions),
  // The console's rule: pods that the selector matches and a ReplicaSet controls.
  pods: async (d, _args, { loaders }) => {
    const namespace = d.metadata?.namespace ?? '';
    const pods = (await loaders.itemsByScope.load({ cluster: clusterOf(d), resource: 'pods', namespace })) as PodResource[];
    return pods.filter(
      (pod) => matchesSelector(d.spec?.selector, pod.metadata?.labels) && pod.metadata?.ownerReferences?.some((o) => o.controller && o.kind === 'ReplicaSet'),
    );
  },
  raw: (d) => d,
};
