/** Derived node fields, as the KubeSphere console shows them. */
import type { NodeResource } from '../kubesphere/types.ts';

const ROLE_LABEL = 'node-role.kubernetes.io/';
const PRESSURE = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);

export function nodeRoles(node: NodeResource): string[] {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((key) => key.startsWith(ROLE_LABEL))
    .map((key) => key.slice(ROLE_LABEL.length))
    .filter(Boolean);
  return roles.length > 0 ? roles.sort() : ['worker'];
}

export const nodeReady = (node: NodeResource) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** KubeSphere's node status filter: `running`, `warning` or `unschedulable`. */
export function nodeStatus(node: NodeResource): 'running' | 'warning' | 'unschedulable' {
  if (node.spec?.unschedulable) return 'unschedulable';
  const pressured = node.status?.conditions?.some((c) => PRESSURE.has(c.type) && c.status === 'True') ?? false;
  return nodeReady(node) && !pressured ? 'running' : 'warning';
}

/** Requests and limits that ks-apiserver sums into `node.kubesphere.io/*` annotations. */
export function nodeAllocated(node: NodeResource, kind: 'requests' | 'limits') {
  const annotations = node.metadata?.annotations ?? {};
  return { cpu: annotations[`node.kubesphere.io/cpu-${kind}`], memory: annotations[`node.kubesphere.io/memory-${kind}`] };
}
