import type {
  CronJobResolvers,
  DaemonSetResolvers,
  HorizontalPodAutoscalerResolvers,
  JobResolvers,
  QueryResolvers,
  ReplicaSetResolvers,
  StatefulSetResolvers,
  WorkloadResolvers,
} from '../generated/graphql.ts';
import { kindOf } from '../kubesphere/types.ts';
import type {
  CronJobResource,
  DaemonSetResource,
  HorizontalPodAutoscalerResource,
  JobResource,
  ReplicaSetResource,
  StatefulSetResource,
} from '../kubesphere/types.ts';
import { comparator } from '../model/paging.ts';
import { daemonSetStatus, jobStatus, statefulSetStatus } from '../model/workload.ts';
import { controlled, controlledPods, eventsAbout, images, ownerWorkload, workload, WORKLOAD_KINDS } from './edges.ts';
import { rootFields } from './list.ts';
import { conditions } from './meta.ts';

const replicaSetFields = rootFields<ReplicaSetResource>('replicasets');
const statefulSetFields = rootFields<StatefulSetResource>('statefulsets');
const daemonSetFields = rootFields<DaemonSetResource>('daemonsets');
const jobFields = rootFields<JobResource>('jobs');
const cronJobFields = rootFields<CronJobResource>('cronjobs');
const horizontalPodAutoscalerFields = rootFields<HorizontalPodAutoscalerResource>('horizontalpodautoscalers');
export const workloadQuery = {
  replicaSets: replicaSetFields.list,
  replicaSet: replicaSetFields.get,
  statefulSets: statefulSetFields.list,
  statefulSet: statefulSetFields.get,
  daemonSets: daemonSetFields.list,
  daemonSet: daemonSetFields.get,
  jobs: jobFields.list,
  job: jobFields.get,
  cronJobs: cronJobFields.list,
  cronJob: cronJobFields.get,
  horizontalPodAutoscalers: horizontalPodAutoscalerFields.list,
  horizontalPodAutoscaler: horizontalPodAutoscalerFields.get,
} satisfies QueryResolvers;

export const Workload: WorkloadResolvers = {
  __resolveType: (object) => {
    const kind = kindOf(object);
    return (kind && WORKLOAD_KINDS.has(kind) ? kind : 'Deployment') as 'Deployment';
  },
};

export const ReplicaSet: ReplicaSetResolvers = {
  metadata: (rs) => rs.metadata ?? {},
  replicas: (rs) => rs.spec?.replicas ?? 1,
  readyReplicas: (rs) => rs.status?.readyReplicas ?? 0,
  availableReplicas: (rs) => rs.status?.availableReplicas ?? 0,
  selector: (rs) => rs.spec?.selector?.matchLabels ?? {},
  images: (rs) => images(rs.spec?.template),
  revision: (rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null,
  owner: (rs, _args, ctx) => ownerWorkload(rs, ctx),
  pods: (rs, _args, ctx) => controlledPods(rs, ctx),
  raw: (rs) => rs,
};

export const StatefulSet: StatefulSetResolvers = {
  metadata: (s) => s.metadata ?? {},
  replicas: (s) => s.spec?.replicas ?? 1,
  readyReplicas: (s) => s.status?.readyReplicas ?? 0,
  currentReplicas: (s) => s.status?.currentReplicas ?? 0,
  updatedReplicas: (s) => s.status?.updatedReplicas ?? 0,
  status: (s) => statefulSetStatus(s),
  serviceName: (s) => s.spec?.serviceName ?? null,
  selector: (s) => s.spec?.selector?.matchLabels ?? {},
  images: (s) => images(s.spec?.template),
  conditions: (s) => conditions(s.status?.conditions),
  pods: (s, _args, ctx) => controlledPods(s, ctx),
  events: (s, _args, ctx) => eventsAbout(s, ctx),
  raw: (s) => s,
};

export const DaemonSet: DaemonSetResolvers = {
  metadata: (d) => d.metadata ?? {},
  desiredNumberScheduled: (d) => d.status?.desiredNumberScheduled ?? 0,
  currentNumberScheduled: (d) => d.status?.currentNumberScheduled ?? 0,
  numberReady: (d) => d.status?.numberReady ?? 0,
  numberAvailable: (d) => d.status?.numberAvailable ?? 0,
  updatedNumberScheduled: (d) => d.status?.updatedNumberScheduled ?? 0,
  numberMisscheduled: (d) => d.status?.numberMisscheduled ?? 0,
  status: (d) => daemonSetStatus(d),
  selector: (d) => d.spec?.selector?.matchLabels ?? {},
  images: (d) => images(d.spec?.template),
  conditions: (d) => conditions(d.status?.conditions),
  pods: (d, _args, ctx) => controlledPods(d, ctx),
  events: (d, _args, ctx) => eventsAbout(d, ctx),
  raw: (d) => d,
};

export const Job: JobResolvers = {
  metadata: (j) => j.metadata ?? {},
  status: (j) => jobStatus(j),
  completions: (j) => j.spec?.completions ?? null,
  parallelism: (j) => j.spec?.parallelism ?? null,
  backoffLimit: (j) => j.spec?.backoffLimit ?? null,
  succeeded: (j) => j.status?.succeeded ?? 0,
  failed: (j) => j.status?.failed ?? 0,
  active: (j) => j.status?.active ?? 0,
  startTime: (j) => j.status?.startTime ?? null,
  completionTime: (j) => j.status?.completionTime ?? null,
  images: (j) => images(j.spec?.template),
  conditions: (j) => conditions(j.status?.conditions),
  owner: (j, _args, ctx) => ownerWorkload(j, ctx),
  pods: (j, _args, ctx) => controlledPods(j, ctx),
  events: (j, _args, ctx) => eventsAbout(j, ctx),
  raw: (j) => j,
};

export const CronJob: CronJobResolvers = {
  metadata: (c) => c.metadata ?? {},
  schedule: (c) => c.spec?.schedule ?? '',
  suspend: (c) => c.spec?.suspend ?? false,
  concurrencyPolicy: (c) => c.spec?.concurrencyPolicy ?? null,
  lastScheduleTime: (c) => c.status?.lastScheduleTime ?? null,
  lastSuccessfulTime: (c) => c.status?.lastSuccessfulTime ?? null,
  activeJobs: (c) => c.status?.active?.length ?? 0,
  images: (c) => images(c.spec?.jobTemplate?.spec?.template),
  jobs: async (c, _args, ctx) => (await controlled<JobResource>(c, 'jobs', ctx)).sort(comparator()),
  events: (c, _args, ctx) => eventsAbout(c, ctx),
  raw: (c) => c,
};

const cpuMetric = <M extends { type: string; resource?: { name: string } }>(metrics: M[] | undefined) =>
  metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');

export const HorizontalPodAutoscaler: HorizontalPodAutoscalerResolvers = {
  metadata: (h) => h.metadata ?? {},
  minReplicas: (h) => h.spec?.minReplicas ?? null,
  maxReplicas: (h) => h.spec?.maxReplicas ?? 0,
  currentReplicas: (h) => h.status?.currentReplicas ?? null,
  desiredReplicas: (h) => h.status?.desiredReplicas ?? null,
  targetKind: (h) => h.spec?.scaleTargetRef?.kind ?? '',
  targetName: (h) => h.spec?.scaleTargetRef?.name ?? '',
  targetCPUUtilization: (h) => cpuMetric(h.spec?.metrics)?.resource?.target?.averageUtilization ?? null,
  currentCPUUtilization: (h) => cpuMetric(h.status?.currentMetrics)?.resource?.current?.averageUtilization ?? null,
  conditions: (h) => conditions(h.status?.conditions),
  target: (h, _args, ctx) => workload(h, h.spec?.scaleTargetRef, ctx),
  raw: (h) => h,
};
