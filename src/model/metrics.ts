/**
 * KubeSphere's named metrics per monitoring level, the unit each name
 * implies, and the checks a `metrics` argument passes before any upstream
 * call. The names are those of
 * `release-3.4:pkg/models/monitoring/named_metrics.go` without the `meter_`
 * metering metrics (the query handler skips those); the 4.x WhizardTelemetry
 * extension serves the same names.
 */
import { badUserInput } from '../errors.ts';
import type { EnumValue } from './enums.ts';

/** A monitoring level: what one `…/{level}` route or `{level}_metrics` route reports on. */
export type MetricLevel = 'cluster' | 'node' | 'workspace' | 'namespace' | 'workload' | 'pod' | 'container' | 'pvc';

const counts = (prefix: string) =>
  ['cronjob', 'pvc', 'daemonset', 'deployment', 'endpoint', 'hpa', 'job', 'statefulset', 'replicaset', 'service', 'secret'].map((k) => `${prefix}_${k}_count`);

export const METRIC_NAMES: Record<MetricLevel, readonly string[]> = {
  cluster: [
    'cluster_cpu_utilisation',
    'cluster_cpu_usage',
    'cluster_cpu_total',
    'cluster_memory_utilisation',
    'cluster_memory_available',
    'cluster_memory_total',
    'cluster_memory_usage_wo_cache',
    'cluster_net_utilisation',
    'cluster_net_bytes_transmitted',
    'cluster_net_bytes_received',
    'cluster_disk_read_iops',
    'cluster_disk_write_iops',
    'cluster_disk_read_throughput',
    'cluster_disk_write_throughput',
    'cluster_disk_size_usage',
    'cluster_disk_size_utilisation',
    'cluster_disk_size_capacity',
    'cluster_disk_size_available',
    'cluster_disk_inode_total',
    'cluster_disk_inode_usage',
    'cluster_disk_inode_utilisation',
    'cluster_namespace_count',
    'cluster_pod_count',
    'cluster_pod_quota',
    'cluster_pod_utilisation',
    'cluster_pod_running_count',
    'cluster_pod_succeeded_count',
    'cluster_pod_abnormal_count',
    'cluster_node_online',
    'cluster_node_offline',
    'cluster_node_total',
    ...counts('cluster'),
    'cluster_pv_count',
    'cluster_ingresses_extensions_count',
    'cluster_load1',
    'cluster_load5',
    'cluster_load15',
    'cluster_pod_abnormal_ratio',
    'cluster_node_offline_ratio',
  ],
  node: [
    'node_cpu_utilisation',
    'node_cpu_total',
    'node_cpu_usage',
    'node_memory_utilisation',
    'node_memory_usage_wo_cache',
    'node_memory_available',
    'node_memory_total',
    'node_net_utilisation',
    'node_net_bytes_transmitted',
    'node_net_bytes_received',
    'node_disk_read_iops',
    'node_disk_write_iops',
    'node_disk_read_throughput',
    'node_disk_write_throughput',
    'node_disk_size_capacity',
    'node_disk_size_available',
    'node_disk_size_usage',
    'node_disk_size_utilisation',
    'node_disk_inode_total',
    'node_disk_inode_usage',
    'node_disk_inode_utilisation',
    'node_pod_count',
    'node_pod_quota',
    'node_pod_utilisation',
    'node_pod_running_count',
    'node_pod_succeeded_count',
    'node_pod_abnormal_count',
    'node_load1',
    'node_load5',
    'node_load15',
    'node_pod_abnormal_ratio',
    'node_pleg_quantile',
    'node_device_size_usage',
    'node_device_size_utilisation',
  ],
  workspace: [
    'workspace_cpu_usage',
    'workspace_memory_usage',
    'workspace_memory_usage_wo_cache',
    'workspace_net_bytes_transmitted',
    'workspace_net_bytes_received',
    'workspace_pod_count',
    'workspace_pod_running_count',
    'workspace_pod_succeeded_count',
    'workspace_pod_abnormal_count',
    'workspace_ingresses_extensions_count',
    ...counts('workspace'),
    'workspace_pod_abnormal_ratio',
  ],
  namespace: [
    'namespace_cpu_usage',
    'namespace_memory_usage',
    'namespace_memory_usage_wo_cache',
    'namespace_net_bytes_transmitted',
    'namespace_net_bytes_received',
    'namespace_pod_count',
    'namespace_pod_running_count',
    'namespace_pod_succeeded_count',
    'namespace_pod_abnormal_count',
    'namespace_pod_abnormal_ratio',
    'namespace_memory_limit_hard',
    'namespace_cpu_limit_hard',
    'namespace_pod_count_hard',
    ...counts('namespace'),
    'namespace_configmap_count',
    'namespace_ingresses_extensions_count',
    'namespace_s2ibuilder_count',
  ],
  workload: [
    'workload_cpu_usage',
    'workload_memory_usage',
    'workload_memory_usage_wo_cache',
    'workload_net_bytes_transmitted',
    'workload_net_bytes_received',
    'workload_deployment_replica',
    'workload_deployment_replica_available',
    'workload_statefulset_replica',
    'workload_statefulset_replica_available',
    'workload_daemonset_replica',
    'workload_daemonset_replica_available',
    'workload_deployment_unavailable_replicas_ratio',
    'workload_daemonset_unavailable_replicas_ratio',
    'workload_statefulset_unavailable_replicas_ratio',
  ],
  pod: ['pod_cpu_usage', 'pod_memory_usage', 'pod_memory_usage_wo_cache', 'pod_net_bytes_transmitted', 'pod_net_bytes_received'],
  container: ['container_cpu_usage', 'container_memory_usage', 'container_memory_usage_wo_cache', 'container_processes_usage', 'container_threads_usage'],
  pvc: [
    'pvc_inodes_available',
    'pvc_inodes_used',
    'pvc_inodes_total',
    'pvc_inodes_utilisation',
    'pvc_bytes_available',
    'pvc_bytes_used',
    'pvc_bytes_total',
    'pvc_bytes_utilisation',
  ],
};

const KNOWN = Object.fromEntries(Object.entries(METRIC_NAMES).map(([level, names]) => [level, new Set(names)])) as Record<MetricLevel, Set<string>>;

/**
 * The unit a metric's name implies, from the PromQL behind it
 * (`release-3.4:pkg/simple/client/monitoring/prometheus/promql.go`). The
 * `*_net_utilisation` metrics are byte rates despite their name; load
 * averages have no unit.
 */
export function metricUnit(name: string): EnumValue<'MetricUnit'> | null {
  if (/_load(1|5|15)$/.test(name)) return null;
  if (/_net_utilisation$|_net_bytes_(transmitted|received)$|_throughput$/.test(name)) return 'bytes/s';
  if (/(utilisation|_ratio)$/.test(name)) return 'ratio';
  if (/_quantile$/.test(name)) return 'seconds';
  if (/_iops$/.test(name)) return 'ops/s';
  if (/_cpu_(usage|total|limit_hard)$/.test(name)) return 'cores';
  if (/_memory_|_disk_size_|_device_size_|^pvc_bytes_/.test(name)) return 'bytes';
  return 'count';
}

/** An instant query (at `time`, unix seconds; the upstream's now when absent) or a range query. */
export type MetricTiming = { kind: 'instant'; time?: number | undefined } | { kind: 'range'; start: number; end: number; step: number };

/** The arguments of every `metrics` field. */
export interface MetricsArgs {
  names: readonly string[];
  range?: { start: string | Date; end: string | Date; step?: number | null | undefined } | null | undefined;
  time?: string | Date | null | undefined;
}

/** At most this many names per field: each is a Prometheus query upstream. */
export const MAX_METRIC_NAMES = 20;
/** At most this many points per series, so one field cannot ask for a month at one-second steps. */
export const MAX_POINTS = 1_440;
/** KubeSphere's default step (`release-3.4:pkg/kapis/monitoring/v1alpha3/helper.go`). */
export const DEFAULT_STEP_SECONDS = 600;

const LEVEL_WORDS: Record<MetricLevel, string> = {
  cluster: 'clusters',
  node: 'nodes',
  workspace: 'workspaces',
  namespace: 'namespaces',
  workload: 'workloads',
  pod: 'pods',
  container: 'containers',
  pvc: 'persistent volume claims',
};

/** Checks a metric name against a level's named metrics. */
export function metricName(level: MetricLevel, name: string): string {
  if (KNOWN[level].has(name)) return name;
  const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  throw badUserInput(`Unknown metric ${JSON.stringify(shown)} for ${LEVEL_WORDS[level]}; use one of: ${METRIC_NAMES[level].join(', ')}.`);
}

/** The metric names (deduplicated, in the order asked) and the timing of a `metrics` field; throws BAD_USER_INPUT. */
export function metricsQuery(level: MetricLevel, args: MetricsArgs): { names: string[]; timing: MetricTiming } {
  const names = [...new Set(args.names.map((name) => metricName(level, name)))];
  if (names.length > MAX_METRIC_NAMES) throw badUserInput(`Ask for at most ${MAX_METRIC_NAMES} metrics at once.`);
  return { names, timing: metricTiming(args) };
}

export function metricTiming(args: Pick<MetricsArgs, 'range' | 'time'>): MetricTiming {
  const { range, time } = args;
  if (range && time !== undefined && time !== null) throw badUserInput('Give either `range` or `time`, not both.');
  if (!range) return { kind: 'instant', time: time === undefined || time === null ? undefined : seconds(time) };
  const start = seconds(range.start);
  const end = seconds(range.end);
  const step = range.step ?? DEFAULT_STEP_SECONDS;
  if (!Number.isInteger(step) || step < 1) throw badUserInput('range.step must be a whole number of seconds, at least 1.');
  if (start > end) throw badUserInput('range.start must not be after range.end.');
  if (Math.floor((end - start) / step) + 1 > MAX_POINTS) {
    throw badUserInput(`A range may have at most ${MAX_POINTS} points per series; use a larger step or a shorter range.`);
  }
  return { kind: 'range', start, end, step };
}

/** Unix seconds with KubeSphere's whole-second precision (it parses `start`/`end`/`time` as integers). */
function seconds(value: string | Date): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0) throw badUserInput('Invalid time: use an RFC 3339 date-time after 1970.');
  return Math.floor(ms / 1000);
}
