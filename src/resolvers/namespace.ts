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
import { podFilterStatus } from '../model/pod.ts';
import { inNamespace, namespaceList, pageLocally, rootFields } from './list.ts';

const namespaceFields = rootFields<NamespaceResource>('namespaces');
export const namespaceQuery = {
  namespaces: namespaceFields.list,
  namespace: namespaceFields.get,
} satisfies QueryResolvers;

export const Namespace: NamespaceResolvers = {
  metadata: (ns) => ns.metadata ?? {},
  phase: (ns) => ns.status?.phase ?? null,
  aliasName: (ns) => ns.metadata?.annotations?.['kubesphere.io/alias-name'] ?? null,
  workspaceName: (ns) => ns.metadata?.labels?.[WORKSPACE_LABEL] ?? null,
  // Workspaces are global objects: always read from the host, whatever cluster the namespace is on.
  workspace: (ns, _args, { loaders }) => {
    const name = ns.metadata?.labels?.[WORKSPACE_LABEL];
    return name ? loaders.workspaceByName.load({ name }) : null;
  },
  deployments: namespaceList<DeploymentResource>('deployments'),
  pods: (ns, args, ctx) =>
    pageLocally(args, ctx.lists, async () => {
      const items = await inNamespace<PodResource>(ns, 'pods', ctx, ns.metadata?.name ?? '');
      return args.status ? items.filter((pod) => podFilterStatus(pod) === args.status) : items;
    }),
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
  events: (ns, args, ctx) => pageLocally(args, ctx.lists, () => inNamespace<EventResource>(ns, 'events', ctx, ns.metadata?.name ?? ''), latestFirst),
  raw: (ns) => ns,
};
