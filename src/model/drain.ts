/**
 * Which pods `kubectl drain` would evict from a node, and which it would
 * refuse without extra flags: its pod filters, in its order
 * (kubectl/pkg/drain/filters.go: daemonSetFilter, mirrorPodFilter,
 * localStorageFilter, unreplicatedFilter). Finished pods pass the last two.
 */
import type { PodResource } from '../kubesphere/types.ts';
import type { EnumValue } from './enums.ts';

export interface DrainRefusal {
  pod: PodResource;
  reason: EnumValue<'DrainRefusalReason'>;
  message: string;
}

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export function drainPlan(pods: readonly PodResource[]): { evictable: PodResource[]; refused: DrainRefusal[] } {
  const evictable: PodResource[] = [];
  const refused: DrainRefusal[] = [];
  for (const pod of pods) {
    const refusal = refusalOf(pod);
    if (refusal) refused.push({ pod, ...refusal });
    else evictable.push(pod);
  }
  return { evictable, refused };
}

function refusalOf(pod: PodResource): Omit<DrainRefusal, 'pod'> | undefined {
  const controller = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (controller?.kind === 'DaemonSet')
    return { reason: 'daemonset', message: `Managed by DaemonSet ${controller.name}, which would recreate it on this node.` };
  if (pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined) return { reason: 'mirror', message: 'A static pod of the kubelet: it cannot be evicted.' };
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (finished) return undefined;
  if (pod.spec?.volumes?.some((v) => v.emptyDir !== undefined)) return { reason: 'local-storage', message: 'Uses emptyDir storage, which eviction deletes.' };
  if (!controller) return { reason: 'unmanaged', message: 'No controller manages it, so nothing would recreate it.' };
  return undefined;
}
