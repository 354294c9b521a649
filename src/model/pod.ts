/** Derived pod fields, computed as `kubectl get pods` and KubeSphere do. */
import type { PodResource } from '../kubesphere/types.ts';

/**
 * The STATUS column of `kubectl get pods` (printPod in kubectl's printers):
 * the pod's reason, else the first failing init container, else the last
 * container reason, with `Terminating` for deleted pods.
 */
export function podDisplayStatus(pod: PodResource): string {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || 'Unknown';

  const initStatuses = status.initContainerStatuses ?? [];
  let initializing = false;
  for (const [i, container] of initStatuses.entries()) {
    const { terminated, waiting } = container.state ?? {};
    if (terminated && terminated.exitCode === 0) continue;
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${pod.spec?.initContainers?.length ?? initStatuses.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing) {
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const { waiting, terminated, running } = containers[i]!.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (running && containers[i]!.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/**
 * KubeSphere's coarse pod status (v1alpha3 `status=`), from the same reason
 * as the STATUS column (release-4.1:pkg/models/resources/v1alpha3/pod/pods.go
 * getPodStatus; the same in 3.4). Crash loops and image pull back-offs count
 * as Waiting there, not Error.
 */
export function podFilterStatus(pod: PodResource): 'Running' | 'Waiting' | 'Error' | 'Completed' {
  const reason = podDisplayStatus(pod);
  switch (reason) {
    case 'Running':
      return 'Running';
    case 'Failed':
    case 'Error':
      return 'Error';
    case 'Completed':
      return 'Completed';
    case 'Succeeded':
      // Every Ready condition must carry the PodCompleted reason (vacuously true without one).
      return (pod.status?.conditions ?? []).every((c) => c.type !== 'Ready' || c.reason === 'PodCompleted') ? 'Completed' : 'Waiting';
    default:
      return reason.startsWith('OutOf') ? 'Error' : 'Waiting';
  }
}

export const podRestarts = (pod: PodResource) => (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);

export function podReadyContainers(pod: PodResource): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}
