/** Derived node fields, as the KubeSphere console shows them. */
import type { NodeResource } from '../kubesphere/types.ts';

const ROLE_LABEL = 'node-role.kubernetes.io/';

export function nodeRoles(node: NodeResource): string[] {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((key) => key.startsWith(ROLE_LABEL))
    .map((key) => key.slice(ROLE_LABEL.length))
    .filter(Boolean);
  return roles.length > 0 ? roles.sort() : ['worker'];
}

export const nodeReady = (node: NodeResource) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** The condition statuses KubeSphere expects of a healthy node; any other status of these types is a warning. */
const EXPECTED_CONDITIONS: Record<string, string> = {
  MemoryPressure: 'False',
  DiskPressure: 'False',
  PIDPressure: 'False',
  NetworkUnavailable: 'False',
  ConfigOK: 'True',
  KubeletReady: 'True',
  Ready: 'True',
};

/**
 * KubeSphere's node status filter: `unschedulable` when cordoned, `warning`
 * when a known condition is not as expected, else `running`
 * (release-4.1:pkg/models/resources/v1alpha3/node/nodes.go getNodeStatus; the same in 3.4).
 */
export function nodeStatus(node: NodeResource): 'running' | 'warning' | 'unschedulable' {
  if (node.spec?.unschedulable) return 'unschedulable';
  const unhealthy = node.status?.conditions?.some((c) => EXPECTED_CONDITIONS[c.type] !== undefined && c.status !== EXPECTED_CONDITIONS[c.type]) ?? false;
  return unhealthy ? 'warning' : 'running';
}

/** Requests and limits that ks-apiserver sums into `node.kubesphere.io/*` annotations. */
export function nodeAllocated(node: NodeResource, kind: 'requests' | 'limits') {
  const annotations = node.metadata?.annotations ?? {};
  return { cpu: annotations[`node.kubesphere.io/cpu-${kind}`], memory: annotations[`node.kubesphere.io/memory-${kind}`] };
}
