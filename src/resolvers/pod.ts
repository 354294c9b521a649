import type { ContainerResolvers, PodResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { ContainerView, NodeResource, PodResource } from '../kubesphere/types.ts';
import { clusterOf } from '../kubesphere/types.ts';
import { enumValue } from '../model/enums.ts';
import { podDisplayStatus, podFilterStatus, podReadyContainers, podRestarts } from '../model/pod.ts';
import { eventsAbout, ownerWorkload } from './edges.ts';
import { rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { quantities } from './meta.ts';
import { metricsField, objectKey } from './metrics.ts';

const podFields = rootFields<PodResource>('pods');
export const podQuery = {
  pods: podFields.list,
  pod: podFields.get,
} satisfies QueryResolvers;

export const Pod: PodResolvers = {
  ...kubeObjectFields<PodResource>('Pod'),
  metrics: metricsField('pod', objectKey),
  phase: (pod) => enumValue('PodPhase', pod.status?.phase),
  status: (pod) => podFilterStatus(pod),
  statusReason: (pod) => podDisplayStatus(pod),
  restarts: (pod) => podRestarts(pod),
  readyContainers: (pod) => podReadyContainers(pod),
  nodeName: (pod) => pod.spec?.nodeName ?? null,
  podIP: (pod) => pod.status?.podIP ?? null,
  hostIP: (pod) => pod.status?.hostIP ?? null,
  startTime: (pod) => pod.status?.startTime ?? null,
  qosClass: (pod) => enumValue('QosClass', pod.status?.qosClass),
  containers: (pod) => (pod.spec?.containers ?? []).map((spec) => ({ spec, status: pod.status?.containerStatuses?.find((s) => s.name === spec.name), pod })),
  node: (pod, _args, { loaders }) =>
    pod.spec?.nodeName ? (loaders.objectByName.load({ cluster: clusterOf(pod), resource: 'nodes', name: pod.spec.nodeName }) as Promise<NodeResource>) : null,
  owner: (pod, _args, ctx) => ownerWorkload(pod, ctx),
  events: (pod, args, ctx) => eventsAbout(pod, args, ctx),
};

export const Container: ContainerResolvers = {
  name: ({ spec }) => spec.name,
  image: ({ spec, status }) => status?.image ?? spec.image ?? '',
  ready: ({ status }) => status?.ready ?? false,
  restartCount: ({ status }) => status?.restartCount ?? 0,
  state: ({ status }) => (status?.state ? ((['running', 'waiting', 'terminated'] as const).find((s) => status.state?.[s]) ?? null) : null),
  reason: ({ status }) => status?.state?.waiting?.reason ?? status?.state?.terminated?.reason ?? null,
  ports: ({ spec }) => (spec.ports ?? []).map((p) => ({ name: p.name ?? null, containerPort: p.containerPort, protocol: enumValue('Protocol', p.protocol) })),
  requests: ({ spec }) => quantities(spec.resources?.requests),
  limits: ({ spec }) => quantities(spec.resources?.limits),
  metrics: metricsField('container', ({ spec, pod }: ContainerView) => ({ ...objectKey(pod), pod: pod.metadata?.name, name: spec.name })),
};
