/** Pods in a given state, with the spec and status kubelet and the scheduler would leave. */
import type { Container, ContainerStatus, PodCondition, Volume } from 'kubernetes-types/core/v1.js';
import { isoAt, shortHash } from '../det.ts';
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import {
  DEFAULT_TOLERATIONS,
  fullImage,
  imageDigestRef,
  qosClass,
  sha256,
  type ClusterBuilder,
  type ContainerDef,
  type Owner,
  type PodState,
  type PodTemplateDef,
} from './core.ts';

export function addPod(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    template: PodTemplateDef;
    owner?: Owner;
    node: string | undefined;
    state: PodState;
    created: number;
    restarts?: number;
    extraLabels?: Record<string, string>;
    annotations?: Record<string, string>;
    generateName?: string;
  },
): KObject {
  const { template: tpl, state } = def;
  const uid = b.uid(T.pod, def.namespace, def.name);
  const labels = { ...tpl.labels, ...def.extraLabels };
  const saName = tpl.serviceAccountName ?? 'default';
  const apiVolume = `kube-api-access-${shortHash(5, uid, 'vol')}`;
  const containers: Container[] = tpl.containers.map((c) => {
    const container: Container = { name: c.name, image: c.image };
    if (c.command) container.command = c.command;
    if (c.args) container.args = c.args;
    if (c.ports) container.ports = c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
    if (c.env) container.env = c.env;
    const resources: Container['resources'] = {};
    if (c.limits) resources.limits = { ...c.limits };
    if (c.requests) resources.requests = { ...c.requests };
    container.resources = resources;
    container.volumeMounts = [...(c.mounts ?? []), { name: apiVolume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }];
    container.terminationMessagePath = '/dev/termination-log';
    container.terminationMessagePolicy = 'File';
    container.imagePullPolicy = 'IfNotPresent';
    return container;
  });
  const volumes: Volume[] = [
    ...(tpl.volumes ?? []),
    {
      name: apiVolume,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
        defaultMode: 420,
      },
    },
  ];
  const spec: Record<string, unknown> = {
    volumes,
    containers,
    restartPolicy: tpl.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: tpl.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    ...(tpl.nodeSelector ? { nodeSelector: tpl.nodeSelector } : {}),
    serviceAccountName: saName,
    serviceAccount: saName,
    ...(def.node ? { nodeName: def.node } : {}),
    ...(tpl.hostNetwork ? { hostNetwork: true } : {}),
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [...(tpl.tolerations ?? []), ...DEFAULT_TOLERATIONS],
    ...(tpl.priorityClassName ? { priorityClassName: tpl.priorityClassName, priority: 2000001000 } : { priority: 0 }),
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };

  const start = def.created + 2;
  const started = def.created + 9;
  const net = def.node ? b.podIp(def.node) : undefined;
  const podIp = net && tpl.hostNetwork ? net.hostIp : net?.ip;
  const restarts = def.restarts ?? 0;
  const condition = (type: string, status: string, at: number, reason?: string, message?: string): PodCondition => ({
    type,
    status,
    lastProbeTime: null as unknown as undefined,
    lastTransitionTime: isoAt(at),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });

  const containerStatus = (c: ContainerDef, i: number): ContainerStatus => {
    const base = {
      name: c.name,
      image: fullImage(c.image),
      imageID: state === 'ImagePullBackOff' || state === 'ContainerCreating' ? '' : imageDigestRef(c.image),
      ...(state === 'ImagePullBackOff' || state === 'ContainerCreating' ? {} : { containerID: `containerd://${sha256(uid, c.name, String(restarts))}` }),
    };
    const first = i === 0;
    switch (state) {
      case 'Running':
        return {
          ...base,
          state: { running: { startedAt: isoAt(started + (first ? restarts * 600 : 0)) } },
          lastState: restarts
            ? {
                terminated: {
                  exitCode: 137,
                  reason: 'Error',
                  startedAt: isoAt(started),
                  finishedAt: isoAt(started + restarts * 600 - 5),
                  containerID: `containerd://${sha256(uid, c.name, 'prev')}`,
                },
              }
            : {},
          ready: true,
          restartCount: first ? restarts : 0,
          started: true,
        };
      case 'NotReady':
        return { ...base, state: { running: { startedAt: isoAt(started) } }, lastState: {}, ready: !first, restartCount: 0, started: true };
      case 'CrashLoopBackOff':
        return first
          ? {
              ...base,
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off 5m0s restarting failed container=${c.name} pod=${def.name}_${def.namespace}(${uid})`,
                },
              },
              lastState: {
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  startedAt: isoAt(30 * 86400 - 400),
                  finishedAt: isoAt(30 * 86400 - 398),
                  containerID: `containerd://${sha256(uid, c.name, 'last')}`,
                },
              },
              ready: false,
              restartCount: restarts,
              started: false,
            }
          : { ...base, state: { running: { startedAt: isoAt(started) } }, lastState: {}, ready: true, restartCount: 0, started: true };
      case 'OOMKilled':
        return {
          ...base,
          state: { running: { startedAt: isoAt(30 * 86400 - 900) } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: isoAt(30 * 86400 - 4000), finishedAt: isoAt(30 * 86400 - 905) } },
          ready: true,
          restartCount: restarts,
          started: true,
        };
      case 'ImagePullBackOff':
        return {
          ...base,
          state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } },
          lastState: {},
          ready: false,
          restartCount: 0,
          started: false,
        };
      case 'ContainerCreating':
        return { ...base, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, started: false };
      case 'Completed':
        return {
          ...base,
          state: {
            terminated: { exitCode: 0, reason: 'Completed', startedAt: isoAt(started), finishedAt: isoAt(started + 41), containerID: base.containerID },
          },
          lastState: {},
          ready: false,
          restartCount: 0,
          started: false,
        };
      case 'Failed':
        return {
          ...base,
          state: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              message: 'migration failed: connection refused',
              startedAt: isoAt(started),
              finishedAt: isoAt(started + 12),
              containerID: base.containerID,
            },
          },
          lastState: {},
          ready: false,
          restartCount: 0,
          started: false,
        };
      case 'Pending':
        return { ...base, state: {}, lastState: {}, ready: false, restartCount: 0 };
    }
  };

  let status: Record<string, unknown>;
  const qos = qosClass(tpl.containers);
  if (state === 'Pending') {
    const nodes = b.nodeCount;
    status = {
      phase: 'Pending',
      conditions: [
        condition(
          'PodScheduled',
          'False',
          start,
          'Unschedulable',
          `0/${nodes} nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ${nodes - 1} Insufficient memory. preemption: 0/${nodes} nodes are available: 1 Preemption is not helpful for scheduling, ${nodes - 1} No preemption victims found for incoming pod..`,
        ),
      ],
      qosClass: qos,
    };
  } else {
    const ready = state === 'Running' || state === 'OOMKilled';
    const terminal = state === 'Completed' || state === 'Failed';
    const phase =
      state === 'Completed'
        ? 'Succeeded'
        : state === 'Failed'
          ? 'Failed'
          : state === 'ImagePullBackOff' || state === 'ContainerCreating'
            ? 'Pending'
            : 'Running';
    const notReadyReason = terminal ? (state === 'Completed' ? 'PodCompleted' : 'PodFailed') : 'ContainersNotReady';
    const notReadyMessage = terminal ? undefined : `containers with unready status: [${tpl.containers[0]!.name}]`;
    status = {
      phase,
      conditions: [
        condition('Initialized', 'True', start, terminal ? 'PodCompleted' : undefined),
        ready
          ? condition('Ready', 'True', started + 1)
          : condition('Ready', 'False', state === 'CrashLoopBackOff' ? 30 * 86400 - 398 : started + 41, notReadyReason, notReadyMessage),
        ready
          ? condition('ContainersReady', 'True', started + 1)
          : condition('ContainersReady', 'False', state === 'CrashLoopBackOff' ? 30 * 86400 - 398 : started + 41, notReadyReason, notReadyMessage),
        condition('PodScheduled', 'True', start),
      ],
      hostIP: net!.hostIp,
      hostIPs: [{ ip: net!.hostIp }],
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      startTime: isoAt(start),
      containerStatuses: tpl.containers.map(containerStatus),
      qosClass: qos,
    };
  }

  const pod = b.add(T.pod, {
    metadata: b.meta(T.pod, def.namespace, def.name, def.created, {
      generateName: def.generateName,
      labels,
      annotations: {
        ...(podIp && !tpl.hostNetwork
          ? {
              'cni.projectcalico.org/containerID': sha256(uid, 'sandbox'),
              'cni.projectcalico.org/podIP': `${podIp}/32`,
              'cni.projectcalico.org/podIPs': `${podIp}/32`,
            }
          : {}),
        ...def.annotations,
      },
      owners: def.owner ? [def.owner] : [],
    }),
    spec,
    status,
  });
  return pod;
}
