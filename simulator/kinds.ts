/**
 * Per-kind facts computed from object state, the way KubeSphere's v1alpha3
 * getters (`pkg/models/resources/v1alpha3/<kind>`) and kubectl's printers
 * compute them.
 */
import { T } from './resources.ts';
import { formatBytes, formatCpu, parseMilli } from './quantity.ts';
import { matchesMap } from './selectors.ts';
import type { ClusterStore } from './store.ts';
import type { KObject } from './types.ts';

type Any = Record<string, any>;

const status = (o: KObject): Any => (o.status as Any | undefined) ?? {};
const spec = (o: KObject): Any => (o.spec as Any | undefined) ?? {};

/** The STATUS column of `kubectl get pods` (printPod). */
export function podReason(pod: KObject): string {
  const st = status(pod);
  let reason: string = st.reason || st.phase || '';
  let initializing = false;
  const inits: Any[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i]!.state ?? {};
    if (s.terminated && s.terminated.exitCode === 0) continue;
    if (s.terminated)
      reason = s.terminated.reason
        ? `Init:${s.terminated.reason}`
        : s.terminated.signal
          ? `Init:Signal:${s.terminated.signal}`
          : `Init:ExitCode:${s.terminated.exitCode}`;
    else if (s.waiting?.reason && s.waiting.reason !== 'PodInitializing') reason = `Init:${s.waiting.reason}`;
    else reason = `Init:${i}/${(spec(pod).initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const containers: Any[] = st.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i]!;
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated?.reason) reason = s.terminated.reason;
      else if (s.terminated) reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
      else if (c.ready && s.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = hasReadyCondition(pod) ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function hasReadyCondition(pod: KObject): boolean {
  return ((status(pod).conditions ?? []) as Any[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** KubeSphere's coarse pod status (`status=` filter): Running, Waiting, Error or Completed. */
export function podStatusType(pod: KObject): 'Running' | 'Waiting' | 'Error' | 'Completed' {
  const reason = podReason(pod);
  switch (reason) {
    case 'Running':
      return 'Running';
    case 'Failed':
    case 'Error':
      return 'Error';
    case 'Completed':
      return 'Completed';
    case 'Succeeded': {
      const ready = ((status(pod).conditions ?? []) as Any[]).filter((c) => c.type === 'Ready');
      return ready.every((c) => c.reason === 'PodCompleted') ? 'Completed' : 'Waiting';
    }
    default:
      return reason.startsWith('OutOf') ? 'Error' : 'Waiting';
  }
}

export function podReadyCount(pod: KObject): string {
  const containers: Any[] = status(pod).containerStatuses ?? [];
  return `${containers.filter((c) => c.ready).length}/${(spec(pod).containers ?? []).length}`;
}

export function podRestarts(pod: KObject): number {
  return ((status(pod).containerStatuses ?? []) as Any[]).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

export function deploymentStatus(o: KObject): string {
  const st = status(o);
  const ready = st.readyReplicas ?? 0;
  const replicas = st.replicas ?? 0;
  if (ready === 0 && replicas === 0) return 'stopped';
  return ready === replicas ? 'running' : 'updating';
}

export function statefulSetStatus(o: KObject): string {
  const replicas = spec(o).replicas;
  if (replicas === undefined) return 'stopped';
  const ready = status(o).readyReplicas ?? 0;
  if (ready === 0 && replicas === 0) return 'stopped';
  return ready === replicas ? 'running' : 'updating';
}

export function daemonSetStatus(o: KObject): string {
  const st = status(o);
  const desired = st.desiredNumberScheduled ?? 0;
  const ready = st.numberReady ?? 0;
  if (desired === 0 && ready === 0) return 'stopped';
  return desired === ready ? 'running' : 'updating';
}

export function jobStatus(o: KObject): string {
  for (const c of (status(o).conditions ?? []) as Any[]) {
    if (c.type === 'Complete' && c.status === 'True') return 'completed';
    if (c.type === 'Failed' && c.status === 'True') return 'failed';
  }
  return 'running';
}

const EXPECTED_NODE_CONDITIONS: Record<string, string> = {
  MemoryPressure: 'False',
  DiskPressure: 'False',
  PIDPressure: 'False',
  NetworkUnavailable: 'False',
  ConfigOK: 'True',
  KubeletReady: 'True',
  Ready: 'True',
};

export function nodeStatus(o: KObject): string {
  if (spec(o).unschedulable) return 'unschedulable';
  for (const c of (status(o).conditions ?? []) as Any[]) {
    const expected = EXPECTED_NODE_CONDITIONS[c.type];
    if (expected && c.status !== expected) return 'warning';
  }
  return 'running';
}

/** `updateTime` sort key: the newest condition update, else creation (deployments, jobs). */
export function lastUpdateTime(o: KObject, field: 'lastUpdateTime' | 'lastTransitionTime'): number {
  let t = Date.parse(o.metadata.creationTimestamp ?? '') || 0;
  for (const c of (status(o).conditions ?? []) as Any[]) {
    const ct = Date.parse(c[field] ?? '');
    if (ct > t) t = ct;
  }
  return t;
}

/** Pod requests and limits like kubectl's `PodRequestsAndLimits`: containers summed, init containers as max. */
function podRequestsAndLimits(pod: KObject): { cpuReq: number; cpuLim: number; memReq: number; memLim: number } {
  const sum = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const c of (spec(pod).containers ?? []) as Any[]) {
    sum.cpuReq += parseMilli(c.resources?.requests?.cpu);
    sum.cpuLim += parseMilli(c.resources?.limits?.cpu);
    sum.memReq += parseMilli(c.resources?.requests?.memory);
    sum.memLim += parseMilli(c.resources?.limits?.memory);
  }
  for (const c of (spec(pod).initContainers ?? []) as Any[]) {
    sum.cpuReq = Math.max(sum.cpuReq, parseMilli(c.resources?.requests?.cpu));
    sum.memReq = Math.max(sum.memReq, parseMilli(c.resources?.requests?.memory));
  }
  return sum;
}

interface Sums {
  cpuReq: number;
  cpuLim: number;
  memReq: number;
  memLim: number;
  pods: number;
}

const empty = (): Sums => ({ cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0, pods: 0 });

/** Per-node sums over all pods and over non-terminated pods, computed once per store revision (writes invalidate them). */
const nodeSums = new WeakMap<ClusterStore, { revision: string; sums: Map<string, { all: Sums; live: Sums }> }>();

function sumsFor(store: ClusterStore): Map<string, { all: Sums; live: Sums }> {
  const cached = nodeSums.get(store);
  if (cached?.revision === store.resourceVersion) return cached.sums;
  const sums = new Map<string, { all: Sums; live: Sums }>();
  for (const pod of store.list(T.pod)) {
    const node = spec(pod).nodeName as string | undefined;
    if (!node) continue;
    if (!sums.has(node)) sums.set(node, { all: empty(), live: empty() });
    const entry = sums.get(node)!;
    const r = podRequestsAndLimits(pod);
    const phase = status(pod).phase;
    for (const target of phase === 'Succeeded' || phase === 'Failed' ? [entry.all] : [entry.all, entry.live]) {
      target.cpuReq += r.cpuReq;
      target.cpuLim += r.cpuLim;
      target.memReq += r.memReq;
      target.memLim += r.memLim;
      target.pods++;
    }
  }
  nodeSums.set(store, { revision: store.resourceVersion, sums });
  return sums;
}

const enriched = { all: new WeakMap<KObject, { revision: string; node: KObject }>(), live: new WeakMap<KObject, { revision: string; node: KObject }>() };

/**
 * Adds the `node.kubesphere.io/*` request/limit annotations. KubeSphere sums
 * non-terminated pods on list, but every pod on get (a quirk kept here).
 */
export function enrichNode(node: KObject, store: ClusterStore, includeTerminated: boolean): KObject {
  const cache = includeTerminated ? enriched.all : enriched.live;
  const cached = cache.get(node);
  if (cached?.revision === store.resourceVersion) return cached.node;
  const entry = sumsFor(store).get(node.metadata.name);
  const sums = entry ? (includeTerminated ? entry.all : entry.live) : undefined;
  if (!sums || sums.pods === 0) return node;
  const allocatable = status(node).allocatable ?? {};
  const allocCpu = parseMilli(allocatable.cpu);
  const allocMem = parseMilli(allocatable.memory);
  const pct = (v: number, of: number) => `${of ? Math.trunc((v / of) * 100) : 0}%`;
  const out: KObject = {
    ...node,
    metadata: {
      ...node.metadata,
      annotations: {
        ...node.metadata.annotations,
        'node.kubesphere.io/cpu-requests': formatCpu(sums.cpuReq),
        'node.kubesphere.io/cpu-limits': formatCpu(sums.cpuLim),
        'node.kubesphere.io/memory-requests': formatBytes(sums.memReq / 1000),
        'node.kubesphere.io/memory-limits': formatBytes(sums.memLim / 1000),
        'node.kubesphere.io/cpu-requests-fraction': pct(sums.cpuReq, allocCpu),
        'node.kubesphere.io/cpu-limits-fraction': pct(sums.cpuLim, allocCpu),
        'node.kubesphere.io/memory-requests-fraction': pct(sums.memReq, allocMem),
        'node.kubesphere.io/memory-limits-fraction': pct(sums.memLim, allocMem),
      },
    },
  };
  cache.set(node, { revision: store.resourceVersion, node: out });
  return out;
}

/** Pods selected by a Service's selector (v1alpha3 `serviceName`). */
export function podBelongsToService(pod: KObject, store: ClusterStore, serviceName: string): boolean {
  const svc = store.get(T.service, pod.metadata.namespace, serviceName);
  if (!svc) return false;
  return matchesMap(spec(svc).selector, pod.metadata.labels);
}

export function podUsesClaim(pod: KObject, claim: string): boolean {
  return ((spec(pod).volumes ?? []) as Any[]).some((v) => v.persistentVolumeClaim?.claimName === claim);
}
