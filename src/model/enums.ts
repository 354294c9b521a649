/**
 * The schema's enums and the Kubernetes or KubeSphere value behind each
 * GraphQL value. Resolvers return and receive the inner values (`Running`,
 * `warning`, `NoSchedule`), so nothing else converts; codegen types them from
 * the same table.
 */
export const ENUMS = {
  ConditionStatus: { TRUE: 'True', FALSE: 'False', UNKNOWN: 'Unknown' },
  SortField: { NAME: 'name', CREATION_TIME: 'creationTimestamp' },
  UpdateSortField: { NAME: 'name', CREATION_TIME: 'creationTimestamp', UPDATE_TIME: 'updateTime' },
  NodeStatus: { RUNNING: 'running', WARNING: 'warning', UNSCHEDULABLE: 'unschedulable' },
  TaintEffect: { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' },
  NamespacePhase: { ACTIVE: 'Active', TERMINATING: 'Terminating' },
  PodPhase: { PENDING: 'Pending', RUNNING: 'Running', SUCCEEDED: 'Succeeded', FAILED: 'Failed', UNKNOWN: 'Unknown' },
  PodStatus: { RUNNING: 'Running', WAITING: 'Waiting', ERROR: 'Error', COMPLETED: 'Completed' },
  ContainerState: { RUNNING: 'running', WAITING: 'waiting', TERMINATED: 'terminated' },
  QosClass: { GUARANTEED: 'Guaranteed', BURSTABLE: 'Burstable', BEST_EFFORT: 'BestEffort' },
  Protocol: { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP' },
  WorkloadStatus: { RUNNING: 'running', UPDATING: 'updating', STOPPED: 'stopped' },
  JobStatus: { RUNNING: 'running', COMPLETED: 'completed', FAILED: 'failed' },
  ConcurrencyPolicy: { ALLOW: 'Allow', FORBID: 'Forbid', REPLACE: 'Replace' },
  ServiceType: { CLUSTER_IP: 'ClusterIP', NODE_PORT: 'NodePort', LOAD_BALANCER: 'LoadBalancer', EXTERNAL_NAME: 'ExternalName' },
  PersistentVolumeClaimPhase: { PENDING: 'Pending', BOUND: 'Bound', LOST: 'Lost' },
  PersistentVolumePhase: { PENDING: 'Pending', AVAILABLE: 'Available', BOUND: 'Bound', RELEASED: 'Released', FAILED: 'Failed' },
  EventType: { NORMAL: 'Normal', WARNING: 'Warning' },
  UserState: { ACTIVE: 'Active', DISABLED: 'Disabled', AUTH_LIMIT_EXCEEDED: 'AuthLimitExceeded' },
  ClusterRole: { HOST: 'host', MEMBER: 'member' },
  PropagationPolicy: { BACKGROUND: 'Background', FOREGROUND: 'Foreground', ORPHAN: 'Orphan' },
  DeleteStatus: { DELETED: 'deleted', TERMINATING: 'terminating', ACCEPTED: 'accepted' },
  DrainRefusalReason: { DAEMON_SET: 'daemonset', LOCAL_STORAGE: 'local-storage', UNMANAGED: 'unmanaged', MIRROR_POD: 'mirror' },
  MetricUnit: {
    RATIO: 'ratio',
    CORES: 'cores',
    BYTES: 'bytes',
    BYTES_PER_SECOND: 'bytes/s',
    OPERATIONS_PER_SECOND: 'ops/s',
    COUNT: 'count',
    SECONDS: 'seconds',
  },
} as const;

/** The inner values of one enum, for example `'Pending' | 'Running' | …` for PodPhase. */
export type EnumValue<E extends keyof typeof ENUMS> = (typeof ENUMS)[E][keyof (typeof ENUMS)[E]];

const INNER = Object.fromEntries(Object.entries(ENUMS).map(([name, values]) => [name, new Set<string>(Object.values(values))])) as Record<
  keyof typeof ENUMS,
  Set<string>
>;

/**
 * An upstream value as the enum's inner value, or null when the upstream
 * sent one the schema does not know (a newer Kubernetes, a typo in a CRD):
 * the field is then null instead of failing the whole object.
 */
export function enumValue<E extends keyof typeof ENUMS>(name: E, value: string | null | undefined): EnumValue<E> | null {
  return value !== null && value !== undefined && INNER[name].has(value) ? (value as EnumValue<E>) : null;
}
