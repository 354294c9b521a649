/**
 * KubeSphere's workload status filters (v1alpha3 `status=`), computed as its
 * getters do on 3.4 and 4.1 alike (release-4.1:pkg/models/resources/v1alpha3/
 * {deployment/deployments.go, statefulset/statefulsets.go, daemonset/daemonset.go, job/jobs.go}).
 */
import type { DaemonSetResource, DeploymentResource, JobResource, StatefulSetResource } from '../kubesphere/types.ts';

type Status = 'running' | 'updating' | 'stopped';

/** From the status alone: `status.replicas` against `status.readyReplicas`. */
export function deploymentStatus(deployment: DeploymentResource): Status {
  const replicas = deployment.status?.replicas ?? 0;
  const ready = deployment.status?.readyReplicas ?? 0;
  if (ready === 0 && replicas === 0) return 'stopped';
  return ready === replicas ? 'running' : 'updating';
}

/** Desired replicas from the spec; a StatefulSet without `spec.replicas` counts as stopped. */
export function statefulSetStatus(set: StatefulSetResource): Status {
  const desired = set.spec?.replicas;
  if (desired === undefined || desired === null) return 'stopped';
  const ready = set.status?.readyReplicas ?? 0;
  if (ready === 0 && desired === 0) return 'stopped';
  return ready === desired ? 'running' : 'updating';
}

export function daemonSetStatus(set: DaemonSetResource): Status {
  const desired = set.status?.desiredNumberScheduled ?? 0;
  const ready = set.status?.numberReady ?? 0;
  if (desired === 0 && ready === 0) return 'stopped';
  return desired === ready ? 'running' : 'updating';
}

/** The first true `Complete` or `Failed` condition decides; none means running. */
export function jobStatus(job: JobResource): 'running' | 'completed' | 'failed' {
  for (const c of job.status?.conditions ?? []) {
    if (c.type === 'Complete' && c.status === 'True') return 'completed';
    if (c.type === 'Failed' && c.status === 'True') return 'failed';
  }
  return 'running';
}
