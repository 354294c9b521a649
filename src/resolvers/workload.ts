import type {
  CronJobResolvers,
  DaemonSetResolvers,
  HorizontalPodAutoscalerResolvers,
  JobResolvers,
  QueryResolvers,
  ReplicaSetResolvers,
  StatefulSetResolvers,
} from '../generated/graphql.ts';
import type {
  CronJobResource,
  DaemonSetResource,
  HorizontalPodAutoscalerResource,
  JobResource,
  ReplicaSetResource,
  StatefulSetResource,
} from '../kubesphere/types.ts';
import { enumValue } from '../model/enums.ts';
import { daemonSetStatus, jobStatus, statefulSetStatus } from '../model/workload.ts';
import { controlled, controlledPodsPage, eventsAbout, images, ownerWorkload, workload } from './edges.ts';
import { pageEdge, rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { conditions } from './meta.ts';
import { metricsField, objectKey } from './metrics.ts';

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

export const ReplicaSet: ReplicaSetResolvers = {
  ...kubeObjectFields<ReplicaSetResource>('ReplicaSet'),
  replicas: (rs) => rs.spec?.replicas ?? 1,
  readyReplicas: (rs) => rs.status?.readyReplicas ?? 0,
  availableReplicas: (rs) => rs.status?.availableReplicas ?? 0,
  selector: (rs) => rs.spec?.selector?.matchLabels ?? {},
  images: (rs) => images(rs.spec?.template),
  revision: (rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null,
  owner: (rs, _args, ctx) => ownerWorkload(rs, ctx),
  pods: (rs, args, ctx) => controlledPodsPage(rs, args, ctx),
};

export const StatefulSet: StatefulSetResolvers = {
  ...kubeObjectFields<StatefulSetResource>('StatefulSet'),
  metrics: metricsField('workload', (s: StatefulSetResource) => ({ ...objectKey(s), kind: 'StatefulSet' })),
  replicas: (s) => s.spec?.replicas ?? 1,
  readyReplicas: (s) => s.status?.readyReplicas ?? 0,
  currentReplicas: (s) => s.status?.currentReplicas ?? 0,
  updatedReplicas: (s) => s.status?.updatedReplicas ?? 0,
  status: (s) => statefulSetStatus(s),
  serviceName: (s) => s.spec?.serviceName ?? null,
  selector: (s) => s.spec?.selector?.matchLabels ?? {},
  images: (s) => images(s.spec?.template),
  conditions: (s) => conditions(s.status?.conditions),
  pods: (s, args, ctx) => controlledPodsPage(s, args, ctx),
  events: (s, args, ctx) => eventsAbout(s, args, ctx),
};

export const DaemonSet: DaemonSetResolvers = {
  ...kubeObjectFields<DaemonSetResource>('DaemonSet'),
  metrics: metricsField('workload', (d: DaemonSetResource) => ({ ...objectKey(d), kind: 'DaemonSet' })),
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
  pods: (d, args, ctx) => controlledPodsPage(d, args, ctx),
  events: (d, args, ctx) => eventsAbout(d, args, ctx),
};

export const Job: JobResolvers = {
  ...kubeObjectFields<JobResource>('Job'),
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
  pods: (j, args, ctx) => controlledPodsPage(j, args, ctx),
  events: (j, args, ctx) => eventsAbout(j, args, ctx),
};

export const CronJob: CronJobResolvers = {
  ...kubeObjectFields<CronJobResource>('CronJob'),
  schedule: (c) => c.spec?.schedule ?? '',
  suspend: (c) => c.spec?.suspend ?? false,
  concurrencyPolicy: (c) => enumValue('ConcurrencyPolicy', c.spec?.concurrencyPolicy),
  lastScheduleTime: (c) => c.status?.lastScheduleTime ?? null,
  lastSuccessfulTime: (c) => c.status?.lastSuccessfulTime ?? null,
  activeJobs: (c) => c.status?.active?.length ?? 0,
  images: (c) => images(c.spec?.jobTemplate?.spec?.template),
  jobs: (c, args, ctx) => pageEdge('jobs', c, args, ctx, () => controlled<JobResource>(c, 'jobs', ctx)),
  events: (c, args, ctx) => eventsAbout(c, args, ctx),
};

const cpuMetric = <M extends { type: string; resource?: { name: string } }>(metrics: M[] | undefined) =>
  metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');

export const HorizontalPodAutoscaler: HorizontalPodAutoscalerResolvers = {
  ...kubeObjectFields<HorizontalPodAutoscalerResource>('HorizontalPodAutoscaler'),
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
};
