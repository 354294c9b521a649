/** KubeSphere's workload status filter (v1alpha3 `status=` on deployments). */
import type { DeploymentResource } from '../kubesphere/types.ts';

export function deploymentStatus(deployment: DeploymentResource): 'running' | 'updating' | 'stopped' {
  const desired = deployment.spec?.replicas ?? 1;
  const ready = deployment.status?.readyReplicas ?? 0;
  if (desired === 0 && (deployment.status?.replicas ?? 0) === 0) return 'stopped';
  return ready === desired ? 'running' : 'updating';
}
