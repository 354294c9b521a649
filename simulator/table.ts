/**
 * Server-side printing (`meta.k8s.io/v1` Table), which kubectl asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns follow
 * kube-apiserver's printers for the common kinds; others get Name and Age.
 */
import { T } from './resources.ts';
import { podReadyCount, podReason, podRestarts } from './kinds.ts';
import type { KObject } from './types.ts';

type Any = Record<string, any>;

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (o: KObject, now: number) => string | number;
}

const spec = (o: KObject): Any => (o.spec as Any | undefined) ?? {};
const status = (o: KObject): Any => (o.status as Any | undefined) ?? {};

/** kubectl's `duration.HumanDuration`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  cell: (o) => o.metadata.name,
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o, now) => humanDuration(now - Date.parse(o.metadata.creationTimestamp ?? '')),
};

const col = (name: string, type: string, cell: Column['cell'], priority = 0, description = ''): Column => ({ name, type, description, priority, cell });

function nodeReady(o: KObject): string {
  const ready = ((status(o).conditions ?? []) as Any[]).find((c) => c.type === 'Ready');
  let s = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  if (spec(o).unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(o: KObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

const address = (o: KObject, type: string) => ((status(o).addresses ?? []) as Any[]).find((a) => a.type === type)?.address ?? '<none>';
const images = (o: KObject) => ((spec(o).template?.spec?.containers ?? []) as Any[]).map((c) => c.image).join(',');
const containers = (o: KObject) => ((spec(o).template?.spec?.containers ?? []) as Any[]).map((c) => c.name).join(',');
const selector = (o: KObject) =>
  Object.entries((spec(o).selector?.matchLabels ?? spec(o).selector ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '<none>';

const COLUMNS: Record<string, Column[]> = {
  [T.node]: [
    NAME,
    col('Status', 'string', nodeReady, 0, 'The status of the node'),
    col('Roles', 'string', nodeRoles, 0, 'The roles of the node'),
    AGE,
    col('Version', 'string', (o) => status(o).nodeInfo?.kubeletVersion ?? '', 0, 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', (o) => address(o, 'InternalIP'), 1, 'List of internal IPs.'),
    col('External-IP', 'string', (o) => address(o, 'ExternalIP'), 1, 'List of external IPs.'),
    col('OS-Image', 'string', (o) => status(o).nodeInfo?.osImage ?? '', 1, 'OS Image reported by the node.'),
    col('Kernel-Version', 'string', (o) => status(o).nodeInfo?.kernelVersion ?? '', 1, 'Kernel Version reported by the node.'),
    col('Container-Runtime', 'string', (o) => status(o).nodeInfo?.containerRuntimeVersion ?? '', 1, 'Container Runtime Version reported by the node.'),
  ],
  [T.pod]: [
    NAME,
    col('Ready', 'string', podReadyCount, 0, 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', podReason, 0, 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', (o) => String(podRestarts(o)), 0, 'The number of times the containers in this pod have been restarted.'),
    AGE,
    col('IP', 'string', (o) => status(o).podIP ?? '<none>', 1, 'IP address allocated to the pod.'),
    col('Node', 'string', (o) => spec(o).nodeName ?? '<none>', 1, 'Name of the node the pod is assigned to.'),
    col('Nominated Node', 'string', () => '<none>', 1, 'Name of the node nominated by the scheduler.'),
    col('Readiness Gates', 'string', () => '<none>', 1, 'Pod readiness gates.'),
  ],
  [T.deployment]: [
    NAME,
    col('Ready', 'string', (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 0}`, 0, 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'integer',
      (o) => status(o).updatedReplicas ?? 0,
      0,
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    col(
      'Available',
      'integer',
      (o) => status(o).availableReplicas ?? 0,
      0,
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    AGE,
    col('Containers', 'string', containers, 1, 'Names of each container in the template.'),
    col('Images', 'string', images, 1, 'Images referenced by each container in the template.'),
    col('Selector', 'string', selector, 1, 'Label selector for pods.'),
  ],
  [T.replicaset]: [
    NAME,
    col('Desired', 'integer', (o) => spec(o).replicas ?? 0),
    col('Current', 'integer', (o) => status(o).replicas ?? 0),
    col('Ready', 'integer', (o) => status(o).readyReplicas ?? 0),
    AGE,
  ],
  [T.statefulset]: [NAME, col('Ready', 'string', (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 0}`), AGE],
  [T.daemonset]: [
    NAME,
    col('Desired', 'integer', (o) => status(o).desiredNumberScheduled ?? 0),
    col('Current', 'integer', (o) => status(o).currentNumberScheduled ?? 0),
    col('Ready', 'integer', (o) => status(o).numberReady ?? 0),
    col('Up-to-date', 'integer', (o) => status(o).updatedNumberScheduled ?? 0),
    col('Available', 'integer', (o) => status(o).numberAvailable ?? 0),
    col(
      'Node Selector',
      'string',
      (o) =>
        Object.entries((spec(o).template?.spec?.nodeSelector ?? {}) as Record<string, string>)
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    ),
    AGE,
  ],
  [T.namespace]: [NAME, col('Status', 'string', (o) => status(o).phase ?? ''), AGE],
  [T.service]: [
    NAME,
    col('Type', 'string', (o) => spec(o).type ?? ''),
    col('Cluster-IP', 'string', (o) => spec(o).clusterIP ?? ''),
    col('External-IP', 'string', (o) => ((status(o).loadBalancer?.ingress ?? []) as Any[]).map((i) => i.ip).join(',') || '<none>'),
    col('Port(s)', 'string', (o) => ((spec(o).ports ?? []) as Any[]).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',')),
    AGE,
  ],
  [T.job]: [
    NAME,
    col('Completions', 'string', (o) => `${status(o).succeeded ?? 0}/${spec(o).completions ?? 1}`),
    col('Duration', 'string', (o) => (status(o).completionTime ? humanDuration(Date.parse(status(o).completionTime) - Date.parse(status(o).startTime)) : '')),
    AGE,
  ],
  [T.event]: [
    col('Last Seen', 'string', (o, now) => humanDuration(now - Date.parse(String(o.lastTimestamp ?? '')))),
    col('Type', 'string', (o) => String(o.type ?? '')),
    col('Reason', 'string', (o) => String(o.reason ?? '')),
    col('Object', 'string', (o) => `${String((o.involvedObject as Any)?.kind ?? '').toLowerCase()}/${(o.involvedObject as Any)?.name ?? ''}`),
    col('Message', 'string', (o) => String(o.message ?? '')),
    { ...NAME, priority: 1 },
  ],
};

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /(^|[;,\s])as=Table([;,\s]|$)/.test(accept);
}

export function toTable(
  type: string,
  objects: readonly KObject[],
  listMeta: Record<string, unknown>,
  includeObject: string | null,
  now: number,
): Record<string, unknown> {
  const columns = COLUMNS[type] ?? [NAME, AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map(({ name, type: t, format, description, priority }) => ({ name, type: t, format: format ?? '', description, priority })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? undefined
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
