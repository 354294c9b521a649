import type { DeploymentResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { DeploymentResource, PodResource, ReplicaSetResource } from '../kubesphere/types.ts';
import { matchesSelector, selectorString } from '../model/selector.ts';
import { deploymentStatus } from '../model/workload.ts';
import { controlled, eventsAbout, images } from './edges.ts';
import { inNamespace, pageEdge, rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { conditions } from './meta.ts';
import { metricsField, objectKey } from './metrics.ts';

const deploymentFields = rootFields<DeploymentResource>('deployments');
export const deploymentQuery = {
  deployments: deploymentFields.list,
  deployment: deploymentFields.get,
} satisfies QueryResolvers;

export const Deployment: DeploymentResolvers = {
  ...kubeObjectFields<DeploymentResource>('Deployment'),
  metrics: metricsField('workload', (d: DeploymentResource) => ({ ...objectKey(d), kind: 'Deployment' })),
  replicas: (d) => d.spec?.replicas ?? 1,
  readyReplicas: (d) => d.status?.readyReplicas ?? 0,
  availableReplicas: (d) => d.status?.availableReplicas ?? 0,
  updatedReplicas: (d) => d.status?.updatedReplicas ?? 0,
  unavailableReplicas: (d) => d.status?.unavailableReplicas ?? 0,
  status: (d) => deploymentStatus(d),
  selector: (d) => d.spec?.selector?.matchLabels ?? {},
  images: (d) => images(d.spec?.template),
  conditions: (d) => conditions(d.status?.conditions),
  // The console's rule: pods that the selector matches (asked upstream) and a ReplicaSet controls.
  pods: (d, args, ctx) =>
    pageEdge('pods', d, args, ctx, async () => {
      const labelSelector = selectorString(d.spec?.selector);
      if (labelSelector === undefined) return [];
      return (await inNamespace<PodResource>(d, 'pods', ctx, undefined, { labelSelector })).filter(
        (pod) => matchesSelector(d.spec?.selector, pod.metadata?.labels) && pod.metadata?.ownerReferences?.some((o) => o.controller && o.kind === 'ReplicaSet'),
      );
    }),
  replicaSets: (d, args, ctx) => pageEdge('replicasets', d, args, ctx, () => controlled<ReplicaSetResource>(d, 'replicasets', ctx)),
  events: (d, args, ctx) => eventsAbout(d, args, ctx),
};
