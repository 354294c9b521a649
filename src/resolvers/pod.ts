import type { ContainerResolvers, PodResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { NodeResource, PodResource } from '../kubesphere/types.ts';
import { clusterOf } from '../kubesphere/types.ts';
import { podDisplayStatus, podReadyContainers, podRestarts } from '../model/pod.ts';
import { eventsAbout, ownerWorkload } from './edges.ts';
import { rootFields } from './list.ts';
import { quantities } from './meta.ts';

const podFields = rootFields<PodResource>('pods');
export const podQuery = {
  pods: podFields.list,
  pod: podFields.get,
} satisfies QueryResolvers;

export const Pod: PodResolvers = {
  metadata: (pod) => pod.metadata ?? {},
  phase: (pod) => pod.status?.phase ?? null,
  status: (pod) => podDisplayStatus(pod),
  restarts: (pod) => podRestarts(pod),
  readyContainers: (pod) => podReadyContainers(pod),
  nodeName: (pod) => pod.spec?.nodeName ?? null,
  podIP: (pod) => pod.status?.podIP ?? null,
  hostIP: (pod) => pod.status?.hostIP ?? null,
  startTime: (pod) => pod.status?.startTime ?? null,
  qosClass: (pod) => pod.status?.qosClass ?? null,
  containers: (pod) => (pod.spec?.containers ?? []).map((spec) => ({ spec, status: pod.status?.containerStatuses?.find((s) => s.name === spec.name) })),
  node: (pod, _args, { loaders }) =>
    pod.spec?.nodeName ? (loaders.objectByName.load({ cluster: clusterOf(pod), resource: 'nodes', name: pod.spec.nodeName }) as Promise<NodeResource>) : null,
  owner: (pod, _args, ctx) => ownerWorkload(pod, ctx),
  events: (pod, _args, ctx) => eventsAbout(pod, ctx),
  raw: (pod) => pod,
};

export const Container: ContainerResolvers = {
  name: ({ spec }) => spec.name,
  image: ({ spec, status }) => status?.image ?? spec.image ?? '',
  ready: ({ status }) => status?.ready ?? false,
  restartCount: ({ status }) => status?.restartCount ?? 0,
  state: ({ status }) => (status?.state ? ((['running', 'waiting', 'terminated'] as const).find((s) => status.state?.[s]) ?? null) : null),
  reason: ({ status }) => status?.state?.waiting?.reason ?? status?.state?.terminated?.reason ?? null,
  ports: ({ spec }) => (spec.ports ?? []).map((p) => ({ name: p.name ?? null, containerPort: p.containerPort, protocol: p.protocol ?? null })),
  requests: ({ spec }) => quantities(spec.resources?.requests),
  limits: ({ spec }) => quantities(spec.resources?.limits),
};
