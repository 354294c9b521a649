import type { NamespaceResolvers, QueryResolvers } from '../generated/graphql.ts';
import { WORKSPACE_LABEL, latestFirst } from '../loaders/index.ts';
import type {
  ConfigMapResource,
  CronJobResource,
  DaemonSetResource,
  DeploymentResource,
  EventResource,
  HorizontalPodAutoscalerResource,
  IngressResource,
  JobResource,
  NamespaceResource,
  PersistentVolumeClaimResource,
  PodResource,
  ReplicaSetResource,
  SecretResource,
  ServiceResource,
  StatefulSetResource,
} from '../kubesphere/types.ts';
import { enumValue } from '../model/enums.ts';
import { eventRule } from '../model/filters.ts';
import { inNamespace, namespaceList, pageLocally, rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { metricsField, objectKey } from './metrics.ts';

const namespaceFields = rootFields<NamespaceResource>('namespaces');
export const namespaceQuery = {
  namespaces: namespaceFields.list,
  namespace: namespaceFields.get,
} satisfies QueryResolvers;

export const Namespace: NamespaceResolvers = {
  ...kubeObjectFields<NamespaceResource>('Namespace'),
  metrics: metricsField('namespace', objectKey),
  phase: (ns) => enumValue('NamespacePhase', ns.status?.phase),
  aliasName: (ns) => ns.metadata?.annotations?.['kubesphere.io/alias-name'] ?? null,
  workspaceName: (ns) => ns.metadata?.labels?.[WORKSPACE_LABEL] ?? null,
  // Workspaces are global objects: always read from the host, whatever cluster the namespace is on.
  workspace: (ns, _args, { loaders }) => {
    const name = ns.metadata?.labels?.[WORKSPACE_LABEL];
    return name ? loaders.workspaceByName.load({ name }) : null;
  },
  deployments: namespaceList<DeploymentResource>('deployments'),
  pods: namespaceList<PodResource>('pods'),
  statefulSets: namespaceList<StatefulSetResource>('statefulsets'),
  daemonSets: namespaceList<DaemonSetResource>('daemonsets'),
  replicaSets: namespaceList<ReplicaSetResource>('replicasets'),
  jobs: namespaceList<JobResource>('jobs'),
  cronJobs: namespaceList<CronJobResource>('cronjobs'),
  horizontalPodAutoscalers: namespaceList<HorizontalPodAutoscalerResource>('horizontalpodautoscalers'),
  services: namespaceList<ServiceResource>('services'),
  ingresses: namespaceList<IngressResource>('ingresses'),
  configMaps: namespaceList<ConfigMapResource>('configmaps'),
  secrets: namespaceList<SecretResource>('secrets'),
  persistentVolumeClaims: namespaceList<PersistentVolumeClaimResource>('persistentvolumeclaims'),
  events: (ns, args, ctx) =>
    pageLocally(
      args,
      ctx.lists,
      async () => (await inNamespace<EventResource>(ns, 'events', ctx, ns.metadata?.name ?? '')).filter(eventRule(args.filter)),
      latestFirst,
    ),
};
