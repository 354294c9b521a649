import type { DeploymentResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { DeploymentResource, PodResource, ReplicaSetResource } from '../kubesphere/types.ts';
import { comparator } from '../model/paging.ts';
import { matchesSelector } from '../model/selector.ts';
import { deploymentStatus } from '../model/workload.ts';
import { controlled, eventsAbout, images } from './edges.ts';
import { inNamespace, rootFields } from './list.ts';
import { conditions } from './meta.ts';

const deploymentFields = rootFields<DeploymentResource>('deployments');
export const deploymentQuery = {
  deployments: deploymentFields.list,
  deployment: deploymentFields.get,
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
  images: (d) => images(d.spec?.template),
  conditions: (d) => conditions(d.status?.conditions),
  // The console's rule: pods that the selector matches and a ReplicaSet controls.
  pods: async (d, _args, ctx) => {
    const pods = await inNamespace<PodResource>(d, 'pods', ctx);
    return pods.filter(
      (pod) => matchesSelector(d.spec?.selector, pod.metadata?.labels) && pod.metadata?.ownerReferences?.some((o) => o.controller && o.kind === 'ReplicaSet'),
    );
  },
  replicaSets: async (d, _args, ctx) => (await controlled<ReplicaSetResource>(d, 'replicasets', ctx)).sort(comparator()),
  events: (d, _args, ctx) => eventsAbout(d, ctx),
  raw: (d) => d,
};
