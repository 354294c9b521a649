/** KubeSphere's workload status filters (v1alpha3 `status=`), computed as its getters do. */
import type { DaemonSetResource, DeploymentResource, JobResource, StatefulSetResource } from '../kubesphere/types.ts';

type Status = 'running' | 'updating' | 'stopped';

export function deploymentStatus(deployment: DeploymentResource): Status {
  const desired = deployment.spec?.replicas ?? 1;
  const ready = deployment.status?.readyReplicas ?? 0;
  if (desired === 0 && (deployment.status?.replicas ?? 0) === 0) return 'stopped';
  return ready === desired ? 'running' : 'updating';
}

export function statefulSetStatus(set: StatefulSetResource): Status {
  const desired = set.spec?.replicas ?? 1;
  const ready = set.status?.readyReplicas ?? 0;
  if (desired === 0 && ready === 0) return 'stopped';
  return ready === desired ? 'running' : 'updating';
}

export function daemonSetStatus(set: DaemonSetResource): Status {
  const desired = set.status?.desiredNumberScheduled ?? 0;
  const ready = set.status?.numberReady ?? 0;
  if (desired === 0 && ready === 0) return 'stopped';
  return desired === ready ? 'running' : 'updating';
}

export function jobStatus(job: JobResource): 'running' | 'completed' | 'failed' {
  for (const c of job.status?.conditions ?? []) {
    if (c.type === 'Complete' && c.status === 'True') return 'completed';
    if (c.type === 'Failed' && c.status === 'True') return 'failed';
  }
  return 'running';
}
