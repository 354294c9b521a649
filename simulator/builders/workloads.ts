/** Workload controllers with what they own: Deployment → ReplicaSets → Pods, StatefulSet → Pods + PVCs, DaemonSet, Job, CronJob; and HPAs. */
import type { Volume } from 'kubernetes-types/core/v1.js';
import { BASE_TIME_MS, isoAt, shortHash } from '../det.ts';
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import { pickSelector, templateJson, type ClusterBuilder, type Owner, type PodState, type PodTemplateDef } from './core.ts';
import { addPod } from './pods.ts';
import { addPvc } from './storage.ts';

/**
 * A Deployment with its current ReplicaSet (and optionally an older one
 * scaled to zero) and the pods. `states` gives each replica's state; the
 * default is all Running.
 */
export function addDeployment(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    replicas: number;
    template: PodTemplateDef;
    created: number;
    states?: PodState[];
    restarts?: number[];
    revisions?: number;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    creator?: string;
    nodes?: (string | undefined)[];
  },
): { deployment: KObject; replicaSet: KObject; pods: KObject[] } {
  const revisions = def.revisions ?? 1;
  const labels = def.labels ?? { app: def.name };
  const selector = { matchLabels: { ...pickSelector(def.template.labels) } };
  const updated = def.created + (revisions - 1) * 86400 * 3;
  const states = Array.from({ length: def.replicas }, (_, i) => def.states?.[i] ?? 'Running');
  const readyCount = states.filter((s) => s === 'Running' || s === 'OOMKilled').length;
  const podSpecTemplate = templateJson(def.template);
  const annotations: Record<string, string> = { 'deployment.kubernetes.io/revision': String(revisions), ...def.annotations };
  if (def.creator) annotations['kubesphere.io/creator'] = def.creator;
  const progressing = readyCount < def.replicas;
  const conditions = [
    readyCount === def.replicas || def.replicas === 0
      ? {
          type: 'Available',
          status: 'True',
          lastUpdateTime: isoAt(updated + 30),
          lastTransitionTime: isoAt(def.created + 30),
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          lastUpdateTime: isoAt(updated + 30),
          lastTransitionTime: isoAt(updated + 30),
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    progressing
      ? {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: isoAt(updated + 5),
          lastTransitionTime: isoAt(def.created + 1),
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${def.name}-${shortHash(10, def.namespace, def.name, String(revisions))}" is progressing.`,
        }
      : {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: isoAt(updated + 30),
          lastTransitionTime: isoAt(def.created + 1),
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${def.name}-${shortHash(10, def.namespace, def.name, String(revisions))}" has successfully progressed.`,
        },
  ];
  const status: Record<string, unknown> = { observedGeneration: revisions };
  if (def.replicas) {
    status.replicas = def.replicas;
    status.updatedReplicas = def.replicas;
    if (readyCount) status.readyReplicas = readyCount;
    if (readyCount) status.availableReplicas = readyCount;
    if (def.replicas - readyCount) status.unavailableReplicas = def.replicas - readyCount;
  }
  status.conditions = conditions;
  const deployment = b.add(T.deployment, {
    metadata: b.meta(T.deployment, def.namespace, def.name, def.created, {
      generation: revisions,
      labels,
      annotations,
      managedBy: def.creator ? 'ks-console' : 'kubectl-client-side-apply',
    }),
    spec: {
      replicas: def.replicas,
      selector,
      template: podSpecTemplate,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status,
  });
  let replicaSet: KObject | undefined;
  const pods: KObject[] = [];
  for (let rev = 1; rev <= revisions; rev++) {
    const current = rev === revisions;
    const hash = shortHash(10, def.namespace, def.name, String(rev));
    const rsName = `${def.name}-${hash}`;
    const rsCreated = def.created + (rev - 1) * 86400 * 3;
    const rsReplicas = current ? def.replicas : 0;
    const template = { ...def.template, labels: { ...def.template.labels, 'pod-template-hash': hash } };
    const rsStatus: Record<string, unknown> = { replicas: rsReplicas };
    if (current && def.replicas) {
      rsStatus.fullyLabeledReplicas = def.replicas;
      if (readyCount) rsStatus.readyReplicas = readyCount;
      if (readyCount) rsStatus.availableReplicas = readyCount;
    }
    rsStatus.observedGeneration = current ? 1 : 2;
    const rs = b.add(T.replicaset, {
      metadata: b.meta(T.replicaset, def.namespace, rsName, rsCreated, {
        generation: current ? 1 : 2,
        labels: template.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(def.replicas),
          'deployment.kubernetes.io/max-replicas': String(def.replicas + Math.ceil(def.replicas / 4)),
          'deployment.kubernetes.io/revision': String(rev),
        },
        owners: [{ ...b.ownerOf(deployment) }],
      }),
      spec: {
        replicas: rsReplicas,
        selector: { matchLabels: { ...selector.matchLabels, 'pod-template-hash': hash } },
        template: templateJson(template),
      },
      status: rsStatus,
    });
    if (!current) continue;
    replicaSet = rs;
    states.forEach((state, i) => {
      const podName = `${rsName}-${shortHash(5, rsName, String(i))}`;
      const node = state === 'Pending' ? undefined : (def.nodes?.[i] ?? b.pickNode());
      pods.push(
        addPod(b, {
          namespace: def.namespace,
          name: podName,
          generateName: `${rsName}-`,
          template,
          owner: b.ownerOf(rs),
          node,
          state,
          created: rsCreated + 1 + i,
          restarts: def.restarts?.[i],
        }),
      );
    });
  }
  return { deployment, replicaSet: replicaSet!, pods };
}

export function addStatefulSet(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    replicas: number;
    template: PodTemplateDef;
    created: number;
    serviceName?: string;
    claims?: { name: string; size: string; storageClass: string }[];
    states?: PodState[];
    creator?: string;
  },
): { statefulSet: KObject; pods: KObject[]; claims: KObject[] } {
  const revision = `${def.name}-${shortHash(10, def.namespace, def.name, 'sts')}`;
  const states = Array.from({ length: def.replicas }, (_, i) => def.states?.[i] ?? 'Running');
  const ready = states.filter((s) => s === 'Running').length;
  const sts = b.add(T.statefulset, {
    metadata: b.meta(T.statefulset, def.namespace, def.name, def.created, {
      generation: 1,
      labels: { app: def.name },
      annotations: def.creator ? { 'kubesphere.io/creator': def.creator } : {},
      managedBy: def.creator ? 'ks-console' : undefined,
    }),
    spec: {
      replicas: def.replicas,
      selector: { matchLabels: pickSelector(def.template.labels) },
      template: templateJson(def.template),
      ...(def.claims
        ? {
            volumeClaimTemplates: def.claims.map((c) => ({
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: c.name, creationTimestamp: null },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: c.size } },
                storageClassName: c.storageClass,
                volumeMode: 'Filesystem',
              },
              status: { phase: 'Pending' },
            })),
          }
        : {}),
      serviceName: def.serviceName ?? def.name,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: {
      observedGeneration: 1,
      replicas: def.replicas,
      ...(ready ? { readyReplicas: ready } : {}),
      currentReplicas: def.replicas,
      updatedReplicas: def.replicas,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
      ...(ready ? { availableReplicas: ready } : {}),
    },
  });
  const pods: KObject[] = [];
  const claims: KObject[] = [];
  states.forEach((state, i) => {
    const podName = `${def.name}-${i}`;
    const volumes: Volume[] = [...(def.template.volumes ?? [])];
    for (const c of def.claims ?? []) {
      const claimName = `${c.name}-${def.name}-${i}`;
      claims.push(
        addPvc(b, {
          namespace: def.namespace,
          name: claimName,
          size: c.size,
          storageClass: c.storageClass,
          created: def.created + 1 + i * 20,
          labels: pickSelector(def.template.labels),
        }),
      );
      volumes.push({ name: c.name, persistentVolumeClaim: { claimName } });
    }
    pods.push(
      addPod(b, {
        namespace: def.namespace,
        name: podName,
        generateName: `${def.name}-`,
        template: { ...def.template, volumes },
        owner: b.ownerOf(sts),
        extraLabels: { 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': podName },
        node: state === 'Pending' ? undefined : b.pickNode(),
        state,
        created: def.created + 2 + i * 20,
      }),
    );
  });
  return { statefulSet: sts, pods, claims };
}

export function addDaemonSet(
  b: ClusterBuilder,
  def: { namespace: string; name: string; template: PodTemplateDef; created: number; nodes?: string[]; notReadyOn?: string[] },
): {
  daemonSet: KObject;
  pods: KObject[];
} {
  const nodes = def.nodes ?? b.nodeNames();
  const revision = shortHash(10, def.namespace, def.name, 'ds');
  const notReady = new Set(def.notReadyOn ?? []);
  const ready = nodes.filter((n) => !notReady.has(n)).length;
  const ds = b.add(T.daemonset, {
    metadata: b.meta(T.daemonset, def.namespace, def.name, def.created, {
      generation: 1,
      labels: { 'k8s-app': def.name },
      annotations: { 'deprecated.daemonset.template.generation': '1' },
    }),
    spec: {
      selector: { matchLabels: pickSelector(def.template.labels) },
      template: templateJson(def.template),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: ready,
      observedGeneration: 1,
      updatedNumberScheduled: nodes.length,
      numberAvailable: ready,
      ...(nodes.length - ready ? { numberUnavailable: nodes.length - ready } : {}),
    },
  });
  const pods = nodes.map((node, i) => {
    const name = `${def.name}-${shortHash(5, def.namespace, def.name, node)}`;
    return addPod(b, {
      namespace: def.namespace,
      name,
      generateName: `${def.name}-`,
      template: def.template,
      owner: b.ownerOf(ds),
      extraLabels: { 'controller-revision-hash': revision, 'pod-template-generation': '1' },
      node,
      state: notReady.has(node) ? 'NotReady' : 'Running',
      created: def.created + 1 + i,
    });
  });
  return { daemonSet: ds, pods };
}

/** A Job and its pod(s). `outcome` decides conditions and pod states. */
export function addJob(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    template: PodTemplateDef;
    created: number;
    outcome: 'complete' | 'failed' | 'running';
    owner?: Owner;
    labels?: Record<string, string>;
  },
): { job: KObject; pods: KObject[] } {
  const uid = b.uid(T.job, def.namespace, def.name);
  const selectorLabels = { 'batch.kubernetes.io/controller-uid': uid };
  const podLabels = {
    ...def.template.labels,
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': def.name,
    'controller-uid': uid,
    'job-name': def.name,
  };
  const template = { ...def.template, labels: podLabels, restartPolicy: def.template.restartPolicy ?? ('Never' as const) };
  const finished = def.created + 55;
  const status: Record<string, unknown> = { startTime: isoAt(def.created) };
  const podStates: PodState[] = def.outcome === 'complete' ? ['Completed'] : def.outcome === 'failed' ? ['Failed', 'Failed', 'Failed', 'Failed'] : ['Running'];
  if (def.outcome === 'complete') {
    status.completionTime = isoAt(finished);
    status.succeeded = 1;
    status.conditions = [{ type: 'Complete', status: 'True', lastProbeTime: isoAt(finished), lastTransitionTime: isoAt(finished) }];
  } else if (def.outcome === 'failed') {
    status.failed = podStates.length;
    status.conditions = [
      {
        type: 'Failed',
        status: 'True',
        lastProbeTime: isoAt(finished + 300),
        lastTransitionTime: isoAt(finished + 300),
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    ];
  } else {
    status.active = 1;
    status.ready = 1;
  }
  status.uncountedTerminatedPods = {};
  status.ready ??= 0;
  const job = b.add(T.job, {
    metadata: b.meta(T.job, def.namespace, def.name, def.created, {
      generation: 1,
      labels: { ...def.labels, ...selectorLabels, 'batch.kubernetes.io/job-name': def.name, 'controller-uid': uid, 'job-name': def.name },
      annotations: { 'batch.kubernetes.io/job-tracking': '' },
      owners: def.owner ? [def.owner] : [],
    }),
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: def.outcome === 'failed' ? 3 : 6,
      selector: { matchLabels: selectorLabels },
      manualSelector: false,
      template: templateJson(template),
      completionMode: 'NonIndexed',
      suspend: false,
    },
    status,
  });
  const pods = podStates.map((state, i) =>
    addPod(b, {
      namespace: def.namespace,
      name: `${def.name}-${shortHash(5, def.namespace, def.name, String(i))}`,
      generateName: `${def.name}-`,
      template,
      owner: b.ownerOf(job),
      node: b.pickNode(),
      state,
      created: def.created + i * 40,
    }),
  );
  return { job, pods };
}

export function addCronJob(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    schedule: string;
    template: PodTemplateDef;
    created: number;
    runs: { at: number; outcome: 'complete' | 'failed' | 'running' }[];
  },
): KObject {
  const cron = b.add(T.cronjob, {
    metadata: b.meta(T.cronjob, def.namespace, def.name, def.created, {
      generation: 1,
      labels: { app: def.name },
      managedBy: 'kubectl-client-side-apply',
    }),
    spec: {
      schedule: def.schedule,
      concurrencyPolicy: 'Forbid',
      suspend: false,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: { backoffLimit: 3, template: templateJson({ ...def.template, restartPolicy: 'OnFailure' }) },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    },
    status: {},
  });
  const status = cron.status as Record<string, unknown>;
  for (const run of def.runs) {
    const minutes = Math.floor((BASE_TIME_MS / 1000 + run.at) / 60);
    const { job } = addJob(b, {
      namespace: def.namespace,
      name: `${def.name}-${minutes}`,
      template: def.template,
      created: run.at,
      outcome: run.outcome,
      owner: b.ownerOf(cron),
      labels: { app: def.name },
    });
    if (run.outcome === 'running')
      status.active = [
        ...((status.active as unknown[]) ?? []),
        {
          kind: 'Job',
          namespace: def.namespace,
          name: job.metadata.name,
          uid: job.metadata.uid,
          apiVersion: 'batch/v1',
          resourceVersion: job.metadata.resourceVersion,
        },
      ];
    status.lastScheduleTime = isoAt(run.at);
    if (run.outcome === 'complete') status.lastSuccessfulTime = isoAt(run.at + 55);
  }
  return cron;
}

export function addHpa(
  b: ClusterBuilder,
  def: { namespace: string; name: string; target: string; min: number; max: number; current: number; cpuUtilisation: number; created: number },
): KObject {
  return b.add(T.hpa, {
    metadata: b.meta(T.hpa, def.namespace, def.name, def.created, {}),
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: def.target, apiVersion: 'apps/v1' },
      minReplicas: def.min,
      maxReplicas: def.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
    status: {
      lastScaleTime: isoAt(def.created + 86400),
      currentReplicas: def.current,
      desiredReplicas: def.current,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageValue: `${Math.round(def.cpuUtilisation * 2)}m`, averageUtilization: def.cpuUtilisation } },
        },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          lastTransitionTime: isoAt(def.created + 15),
          reason: 'ReadyForNewScale',
          message: 'recommended size matches current size',
        },
        {
          type: 'ScalingActive',
          status: 'True',
          lastTransitionTime: isoAt(def.created + 15),
          reason: 'ValidMetricFound',
          message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        },
        {
          type: 'ScalingLimited',
          status: 'False',
          lastTransitionTime: isoAt(def.created + 15),
          reason: 'DesiredWithinRange',
          message: 'the desired count is within the acceptable range',
        },
      ],
    },
  });
}
