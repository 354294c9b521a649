/**
 * Deterministic metric values. A value depends only on (cluster, level,
 * object, metric, timestamp): a stable hash of the first four picks a base
 * level and a phase, the timestamp moves the value along a slow wave, and
 * the metric's unit scales it into a plausible range (ratios 0–1, CPU cores
 * rounded to 0.001 like the `round(…, 0.001)` in promql.go, memory and disk
 * bytes, whole counts, network bytes/s). Tests compute the expected value
 * with `expectedMetricValue` and compare it with what the routes serve.
 */
import { createHash } from 'node:crypto';
import type { Level } from './catalog.ts';

/**
 * The `object` key a series is derived from, per level:
 * cluster `""`, node `node`, workspace `workspace`, namespace `namespace`,
 * workload `namespace/Kind:name` (e.g. `alpha-web/Deployment:web`),
 * pod `namespace/pod`, container `namespace/pod/container`, pvc `namespace/claim`.
 */
export function objectKey(level: Level, labels: Record<string, string>): string {
  switch (level) {
    case 'cluster':
      return '';
    case 'node':
      return labels.node ?? '';
    case 'workspace':
      return labels.workspace ?? '';
    case 'namespace':
      return labels.namespace ?? '';
    case 'workload':
      return `${labels.namespace}/${labels.workload}`;
    case 'pod':
      return `${labels.namespace}/${labels.pod}`;
    case 'container':
      return `${labels.namespace}/${labels.pod}/${labels.container}`;
    case 'pvc':
      return `${labels.namespace}/${labels.persistentvolumeclaim}`;
  }
}

type Unit = 'ratio' | 'cores' | 'coresTotal' | 'bytes' | 'bytesTotal' | 'rate' | 'count' | 'replicas';

function unitOf(metric: string): Unit {
  if (/_replica(_available)?$/.test(metric)) return 'replicas';
  if (/(utilisation|_ratio|_quantile|_load1|_load5|_load15)$/.test(metric)) return 'ratio';
  if (/_cpu_total$/.test(metric)) return 'coresTotal';
  if (/_cpu_(usage|limit_hard)$/.test(metric)) return 'cores';
  if (/_memory_total$|_disk_size_capacity$|_bytes_total$/.test(metric) && !/net_bytes/.test(metric)) return 'bytesTotal';
  if (/net_bytes|_throughput$/.test(metric)) return 'rate';
  if (/memory|disk_size|device_size|_bytes_/.test(metric)) return 'bytes';
  return 'count';
}

/** How big a level's objects are: CPU cores, memory bytes, typical counts. */
const SCALE: Record<Level, { cores: number; bytes: number; count: number; rate: number }> = {
  cluster: { cores: 32, bytes: 128 * 2 ** 30, count: 400, rate: 50e6 },
  node: { cores: 8, bytes: 32 * 2 ** 30, count: 110, rate: 10e6 },
  workspace: { cores: 8, bytes: 16 * 2 ** 30, count: 60, rate: 5e6 },
  namespace: { cores: 4, bytes: 8 * 2 ** 30, count: 30, rate: 2e6 },
  workload: { cores: 2, bytes: 4 * 2 ** 30, count: 10, rate: 1e6 },
  pod: { cores: 1, bytes: 2 * 2 ** 30, count: 10, rate: 5e5 },
  container: { cores: 1, bytes: 2 * 2 ** 30, count: 200, rate: 5e5 },
  pvc: { cores: 1, bytes: 20 * 2 ** 30, count: 1_000_000, rate: 1e6 },
};

function hashFractions(...parts: string[]): [number, number] {
  const d = createHash('sha1').update(parts.join('\u0000')).digest();
  return [d.readUInt32BE(0) / 2 ** 32, d.readUInt32BE(4) / 2 ** 32];
}

/** Period of the wave the values follow over time, in seconds. */
const PERIOD = 6 * 3600;

/**
 * The value the simulator serves for one series at one instant.
 * `time` is unix seconds (fractions allowed, as Prometheus evaluates them).
 */
export function expectedMetricValue(cluster: string, level: Level, object: string, metric: string, time: number): number {
  const [base, phase] = hashFractions(cluster, level, object, metric);
  const unit = unitOf(metric);
  const s = SCALE[level];
  // Totals and capacities do not move; everything else follows the wave.
  const wave = 0.5 + 0.5 * Math.sin((2 * Math.PI * time) / PERIOD + 2 * Math.PI * phase);
  const f = 0.05 + 0.6 * base + 0.3 * wave; // 0.05 … 0.95
  switch (unit) {
    case 'ratio':
      return Math.round(f * 1e6) / 1e6;
    case 'cores':
      return Math.round(f * s.cores * 1000) / 1000;
    case 'coresTotal':
      return Math.max(1, Math.round(base * s.cores));
    case 'bytesTotal':
      return Math.round((0.5 + base) * s.bytes);
    case 'bytes':
      return Math.round(f * s.bytes);
    case 'rate':
      return Math.round(f * s.rate * 1000) / 1000;
    case 'replicas':
      return 1 + Math.floor(base * 4);
    case 'count':
      return Math.round(f * s.count);
  }
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', exp] = m;
  const digits = lead! + frac;
  const e = Number(exp);
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  return `${sign}${digits.padEnd(e + 1, '0')}`;
}
