/**
 * Builders that turn a compact description of a workload into the objects
 * Kubernetes would hold for it (Deployment → ReplicaSets → Pods, StatefulSet
 * → Pods + PVCs, ...), shaped like kube-apiserver's JSON. Every value is
 * derived from names and fixed offsets so the output is reproducible.
 */
import { createHash } from 'node:crypto';
import type { Container, ContainerPort, ContainerStatus, EnvVar, PodCondition, Toleration, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { ManagedFieldsEntry, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { BASE_TIME_MS, base64, isoAt, shortHash, uidFor } from './det.ts';
import type { ResourceRegistry } from './resources.ts';
import { typeId } from './resources.ts';
import { ClusterStore } from './store.ts';
import type { Flavour, KObject } from './types.ts';

export const T = {
  node: typeId('', 'nodes'),
  namespace: typeId('', 'namespaces'),
  pod: typeId('', 'pods'),
  service: typeId('', 'services'),
  configmap: typeId('', 'configmaps'),
  secret: typeId('', 'secrets'),
  serviceaccount: typeId('', 'serviceaccounts'),
  pvc: typeId('', 'persistentvolumeclaims'),
  pv: typeId('', 'persistentvolumes'),
  event: typeId('', 'events'),
  deployment: typeId('apps', 'deployments'),
  replicaset: typeId('apps', 'replicasets'),
  statefulset: typeId('apps', 'statefulsets'),
  daemonset: typeId('apps', 'daemonsets'),
  job: typeId('batch', 'jobs'),
  cronjob: typeId('batch', 'cronjobs'),
  ingress: typeId('networking.k8s.io', 'ingresses'),
  hpa: typeId('autoscaling', 'horizontalpodautoscalers'),
  storageclass: typeId('storage.k8s.io', 'storageclasses'),
  role: typeId('rbac.authorization.k8s.io', 'roles'),
  rolebinding: typeId('rbac.authorization.k8s.io', 'rolebindings'),
  clusterrole: typeId('rbac.authorization.k8s.io', 'clusterroles'),
  clusterrolebinding: typeId('rbac.authorization.k8s.io', 'clusterrolebindings'),
  user: typeId('iam.kubesphere.io', 'users'),
  globalrole: typeId('iam.kubesphere.io', 'globalroles'),
  globalrolebinding: typeId('iam.kubesphere.io', 'globalrolebindings'),
  workspacerole: typeId('iam.kubesphere.io', 'workspaceroles'),
  workspacerolebinding: typeId('iam.kubesphere.io', 'workspacerolebindings'),
  workspacetemplate: typeId('tenant.kubesphere.io', 'workspacetemplates'),
  workspace: typeId('tenant.kubesphere.io', 'workspaces'),
  cluster: typeId('cluster.kubesphere.io', 'clusters'),
} as const;

export type PodState =
  'Running' | 'NotReady' | 'CrashLoopBackOff' | 'ImagePullBackOff' | 'ContainerCreating' | 'Pending' | 'Completed' | 'Failed' | 'OOMKilled';

export interface ContainerDef {
  name: string;
  image: string;
  ports?: ContainerPort[];
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  mounts?: VolumeMount[];
}

export interface PodTemplateDef {
  labels: Record<string, string>;
  containers: ContainerDef[];
  volumes?: Volume[];
  serviceAccountName?: string;
  tolerations?: Toleration[];
  hostNetwork?: boolean;
  priorityClassName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  nodeSelector?: Record<string, string>;
}

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export interface NodeDef {
  name: string;
  role: 'control-plane' | 'worker';
  ip: string;
  cpu: number;
  memoryGi: number;
  created: number;
  /** Condition types that are in a bad state (e.g. MemoryPressure, Ready). */
  unhealthy?: string[];
  unschedulable?: boolean;
  zone?: string;
}

interface NodeSlot {
  name: string;
  index: number;
  schedulable: boolean;
  podCount: number;
}

const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function sha256(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function imageDigestRef(image: string): string {
  const repo = image.split(':')[0]!;
  const full = repo.includes('/') && repo.split('/')[0]!.includes('.') ? repo : `docker.io/${repo.includes('/') ? repo : `library/${repo}`}`;
  return `${full}@sha256:${sha256('image', image)}`;
}

function fullImage(image: string): string {
  const [repo] = image.split(':');
  if (repo!.includes('/') && repo!.split('/')[0]!.includes('.')) return image;
  return `docker.io/${repo!.includes('/') ? '' : 'library/'}${image}`;
}

function qosClass(containers: ContainerDef[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const any = containers.some((c) => c.requests || c.limits);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every(
    (c) =>
      c.limits?.cpu && c.limits?.memory && (c.requests?.cpu ?? c.limits.cpu) === c.limits.cpu && (c.requests?.memory ?? c.limits.memory) === c.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Builds all objects of one cluster into a ClusterStore. */
export class ClusterBuilder {
  readonly store: ClusterStore;
  readonly cluster: string;
  readonly flavour: Flavour;
  readonly registry: ResourceRegistry;
  readonly kubeletVersion: string;
  private readonly slots: NodeSlot[] = [];
  private cursor = 0;
  private serviceIps = 10;

  constructor(cluster: string, flavour: Flavour, registry: ResourceRegistry, kubeletVersion: string, firstRevision: number) {
    this.cluster = cluster;
    this.flavour = flavour;
    this.registry = registry;
    this.kubeletVersion = kubeletVersion;
    this.store = new ClusterStore(cluster, firstRevision);
  }

  // ---- generic helpers -------------------------------------------------------

  uid(type: string, namespace: string | undefined, name: string): string {
    return uidFor(this.cluster, type, namespace ?? '', name);
  }

  /** ObjectMeta in Go field order; resourceVersion is filled in by the store. */
  meta(
    type: string,
    namespace: string | undefined,
    name: string,
    created: number,
    extra: {
      generation?: number;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      owners?: Owner[];
      finalizers?: string[];
      managedBy?: string;
      generateName?: string;
    } = {},
  ): KObject['metadata'] {
    const meta: KObject['metadata'] = { name };
    if (extra.generateName) meta.generateName = extra.generateName;
    if (namespace) meta.namespace = namespace;
    meta.uid = this.uid(type, namespace, name);
    meta.resourceVersion = '';
    if (extra.generation !== undefined) meta.generation = extra.generation;
    meta.creationTimestamp = isoAt(created);
    if (extra.labels && Object.keys(extra.labels).length) meta.labels = extra.labels;
    if (extra.annotations && Object.keys(extra.annotations).length) meta.annotations = extra.annotations;
    if (extra.owners?.length) meta.ownerReferences = extra.owners.map((o) => ownerRef(o));
    if (extra.finalizers?.length) meta.finalizers = extra.finalizers;
    if (extra.managedBy) meta.managedFields = managedFields(type, extra.managedBy, this.apiVersion(type), created, extra.labels, extra.annotations);
    return meta;
  }

  apiVersion(type: string): string {
    return this.registry.apiVersionOf(this.registry.get(type));
  }

  add(type: string, body: Omit<KObject, 'apiVersion' | 'kind'>): KObject {
    const t = this.registry.get(type);
    const obj = { apiVersion: this.registry.apiVersionOf(t), kind: t.kind, ...body } as KObject;
    return this.store.add(type, obj);
  }

  ownerOf(obj: KObject): Owner {
    return { apiVersion: obj.apiVersion!, kind: obj.kind!, name: obj.metadata.name, uid: obj.metadata.uid! };
  }

  nextClusterIp(): string {
    const n = this.serviceIps++;
    return `10.233.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  /** Round-robin over schedulable nodes, so pods spread like the scheduler would spread them. */
  pickNode(): string | undefined {
    const candidates = this.slots.filter((s) => s.schedulable);
    if (candidates.length === 0) return undefined;
    const slot = candidates[this.cursor++ % candidates.length]!;
    return slot.name;
  }

  nodeNames(): string[] {
    return this.slots.map((s) => s.name);
  }

  private podIp(nodeName: string): { ip: string; hostIp: string } {
    const slot = this.slots.find((s) => s.name === nodeName)!;
    const n = slot.podCount++;
    const node = this.store.get(T.node, undefined, nodeName)!;
    const hostIp = (node.status as { addresses: { type: string; address: string }[] }).addresses[0]!.address;
    const third = 64 + (slot.index % 190);
    const second = 233 + Math.floor(slot.index / 190);
    return { ip: `10.${second}.${third}.${(n % 250) + 2}`, hostIp };
  }

  // ---- nodes and namespaces -------------------------------------------------

  node(def: NodeDef): KObject {
    const index = this.slots.length;
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': def.name,
      'kubernetes.io/os': 'linux',
    };
    if (def.role === 'control-plane') {
      labels['node-role.kubernetes.io/control-plane'] = '';
      labels['node-role.kubernetes.io/master'] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    } else {
      labels['node-role.kubernetes.io/worker'] = '';
    }
    if (def.zone) labels['topology.kubernetes.io/zone'] = def.zone;
    const taints: { key: string; effect: string; timeAdded?: string }[] = [];
    if (def.role === 'control-plane') taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
    if (def.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: isoAt(def.created + 20 * 86400) });
    const bad = new Set(def.unhealthy ?? []);
    if (bad.has('MemoryPressure')) taints.push({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: isoAt(29 * 86400) });
    const beat = isoAt(30 * 86400 - 37 - index);
    const cond = (type: string, good: 'True' | 'False', reason: string, message: string, badReason: string, badMessage: string) => {
      const isBad = bad.has(type);
      return {
        type,
        status: isBad ? (good === 'True' ? 'False' : 'True') : good,
        lastHeartbeatTime: beat,
        lastTransitionTime: isoAt(isBad ? 29 * 86400 + 3600 : def.created + 40),
        reason: isBad ? badReason : reason,
        message: isBad ? badMessage : message,
      };
    };
    const memKi = def.memoryGi * 1024 * 1024 - 102400;
    const body = {
      metadata: this.meta(T.node, undefined, def.name, def.created, {
        labels,
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'projectcalico.org/IPv4Address': `${def.ip}/24`,
          'projectcalico.org/IPv4IPIPTunnelAddr': `10.233.${64 + index}.0`,
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      }),
      spec: {
        podCIDR: `10.233.${64 + (index % 190)}.0/24`,
        podCIDRs: [`10.233.${64 + (index % 190)}.0/24`],
        ...(taints.length ? { taints } : {}),
        ...(def.unschedulable ? { unschedulable: true } : {}),
      },
      status: {
        capacity: {
          cpu: String(def.cpu),
          'ephemeral-storage': '102350Mi',
          'hugepages-1Gi': '0',
          'hugepages-2Mi': '0',
          memory: `${def.memoryGi * 1024 * 1024}Ki`,
          pods: '110',
        },
        allocatable: {
          cpu: def.role === 'control-plane' ? `${def.cpu * 1000 - 200}m` : `${def.cpu * 1000 - 100}m`,
          'ephemeral-storage': '96589578081',
          'hugepages-1Gi': '0',
          'hugepages-2Mi': '0',
          memory: `${memKi}Ki`,
          pods: '110',
        },
        conditions: [
          cond('NetworkUnavailable', 'False', 'CalicoIsUp', 'Calico is running on this node', 'CalicoIsDown', 'Calico is not running on this node'),
          cond(
            'MemoryPressure',
            'False',
            'KubeletHasSufficientMemory',
            'kubelet has sufficient memory available',
            'KubeletHasInsufficientMemory',
            'kubelet has insufficient memory available',
          ),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'KubeletHasDiskPressure', 'kubelet has disk pressure'),
          cond(
            'PIDPressure',
            'False',
            'KubeletHasSufficientPID',
            'kubelet has sufficient PID available',
            'KubeletHasInsufficientPID',
            'kubelet has insufficient PID available',
          ),
          cond(
            'Ready',
            'True',
            'KubeletReady',
            'kubelet is posting ready status. AppArmor enabled',
            'KubeletNotReady',
            'PLEG is not healthy: pleg was last seen active 3m12s ago; threshold is 3m0s',
          ),
        ],
        addresses: [
          { type: 'InternalIP', address: def.ip },
          { type: 'Hostname', address: def.name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: sha256('machine', this.cluster, def.name).slice(0, 32),
          systemUUID: uidFor('system-uuid', this.cluster, def.name).toUpperCase(),
          bootID: uidFor('boot', this.cluster, def.name),
          kernelVersion: '5.15.0-105-generic',
          osImage: 'Ubuntu 22.04.4 LTS',
          containerRuntimeVersion: 'containerd://1.7.13',
          kubeletVersion: this.kubeletVersion,
          kubeProxyVersion: this.kubeletVersion,
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    };
    // A cordoned node keeps the pods it already runs, so it still takes part in placement.
    this.slots.push({ name: def.name, index, schedulable: def.role === 'worker', podCount: 0 });
    return this.add(T.node, body);
  }

  namespace(
    name: string,
    created: number,
    opts: { workspace?: string; alias?: string; creator?: string; description?: string; workspaceUid?: string } = {},
  ): KObject {
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
    if (opts.workspace) {
      labels['kubesphere.io/namespace'] = name;
      labels['kubesphere.io/workspace'] = opts.workspace;
    }
    const annotations: Record<string, string> = {};
    if (opts.alias) annotations['kubesphere.io/alias-name'] = opts.alias;
    if (opts.creator) annotations['kubesphere.io/creator'] = opts.creator;
    if (opts.description) annotations['kubesphere.io/description'] = opts.description;
    const owners: Owner[] = [];
    if (opts.workspace && opts.workspaceUid) {
      owners.push({ apiVersion: this.apiVersion(T.workspace), kind: 'Workspace', name: opts.workspace, uid: opts.workspaceUid });
    }
    const ns = this.add(T.namespace, {
      metadata: this.meta(T.namespace, undefined, name, created, {
        labels,
        annotations,
        owners,
        finalizers: opts.workspace ? ['finalizers.kubesphere.io/namespaces'] : [],
        managedBy: opts.creator ? 'ks-console' : undefined,
      }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    this.add(T.serviceaccount, { metadata: this.meta(T.serviceaccount, name, 'default', created) });
    this.add(T.configmap, {
      metadata: this.meta(T.configmap, name, 'kube-root-ca.crt', created, {
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      }),
      data: { 'ca.crt': `-----BEGIN CERTIFICATE-----\n${base64(`simulated cluster CA of ${this.cluster}`)}\n-----END CERTIFICATE-----\n` },
    });
    return ns;
  }

  // ---- pods -------------------------------------------------------------------

  pod(def: {
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
  }): KObject {
    const { template: tpl, state } = def;
    const uid = this.uid(T.pod, def.namespace, def.name);
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
    const net = def.node ? this.podIp(def.node) : undefined;
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
      const nodes = this.slots.length;
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

    const pod = this.add(T.pod, {
      metadata: this.meta(T.pod, def.namespace, def.name, def.created, {
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

  // ---- workloads ----------------------------------------------------------------

  /**
   * A Deployment with its current ReplicaSet (and optionally an older one
   * scaled to zero) and the pods. `states` gives each replica's state; the
   * default is all Running.
   */
  deployment(def: {
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
  }): { deployment: KObject; replicaSet: KObject; pods: KObject[] } {
    const revisions = def.revisions ?? 1;
    const labels = def.labels ?? { app: def.name };
    const selector = { matchLabels: { ...pickSelector(def.template.labels) } };
    const updated = def.created + (revisions - 1) * 86400 * 3;
    const states = Array.from({ length: def.replicas }, (_, i) => def.states?.[i] ?? 'Running');
    const readyCount = states.filter((s) => s === 'Running' || s === 'OOMKilled').length;
    const podSpecTemplate = this.templateJson(def.template);
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
    const deployment = this.add(T.deployment, {
      metadata: this.meta(T.deployment, def.namespace, def.name, def.created, {
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
      const rs = this.add(T.replicaset, {
        metadata: this.meta(T.replicaset, def.namespace, rsName, rsCreated, {
          generation: current ? 1 : 2,
          labels: template.labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(def.replicas),
            'deployment.kubernetes.io/max-replicas': String(def.replicas + Math.ceil(def.replicas / 4)),
            'deployment.kubernetes.io/revision': String(rev),
          },
          owners: [{ ...this.ownerOf(deployment) }],
        }),
        spec: {
          replicas: rsReplicas,
          selector: { matchLabels: { ...selector.matchLabels, 'pod-template-hash': hash } },
          template: this.templateJson(template),
        },
        status: rsStatus,
      });
      if (!current) continue;
      replicaSet = rs;
      states.forEach((state, i) => {
        const podName = `${rsName}-${shortHash(5, rsName, String(i))}`;
        const node = state === 'Pending' ? undefined : (def.nodes?.[i] ?? this.pickNode());
        pods.push(
          this.pod({
            namespace: def.namespace,
            name: podName,
            generateName: `${rsName}-`,
            template,
            owner: this.ownerOf(rs),
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

  statefulSet(def: {
    namespace: string;
    name: string;
    replicas: number;
    template: PodTemplateDef;
    created: number;
    serviceName?: string;
    claims?: { name: string; size: string; storageClass: string }[];
    states?: PodState[];
    creator?: string;
  }): { statefulSet: KObject; pods: KObject[]; claims: KObject[] } {
    const revision = `${def.name}-${shortHash(10, def.namespace, def.name, 'sts')}`;
    const states = Array.from({ length: def.replicas }, (_, i) => def.states?.[i] ?? 'Running');
    const ready = states.filter((s) => s === 'Running').length;
    const sts = this.add(T.statefulset, {
      metadata: this.meta(T.statefulset, def.namespace, def.name, def.created, {
        generation: 1,
        labels: { app: def.name },
        annotations: def.creator ? { 'kubesphere.io/creator': def.creator } : {},
        managedBy: def.creator ? 'ks-console' : undefined,
      }),
      spec: {
        replicas: def.replicas,
        selector: { matchLabels: pickSelector(def.template.labels) },
        template: this.templateJson(def.template),
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
          this.pvc({
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
        this.pod({
          namespace: def.namespace,
          name: podName,
          generateName: `${def.name}-`,
          template: { ...def.template, volumes },
          owner: this.ownerOf(sts),
          extraLabels: { 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': podName },
          node: state === 'Pending' ? undefined : this.pickNode(),
          state,
          created: def.created + 2 + i * 20,
        }),
      );
    });
    return { statefulSet: sts, pods, claims };
  }

  daemonSet(def: { namespace: string; name: string; template: PodTemplateDef; created: number; nodes?: string[]; notReadyOn?: string[] }): {
    daemonSet: KObject;
    pods: KObject[];
  } {
    const nodes = def.nodes ?? this.nodeNames();
    const revision = shortHash(10, def.namespace, def.name, 'ds');
    const notReady = new Set(def.notReadyOn ?? []);
    const ready = nodes.filter((n) => !notReady.has(n)).length;
    const ds = this.add(T.daemonset, {
      metadata: this.meta(T.daemonset, def.namespace, def.name, def.created, {
        generation: 1,
        labels: { 'k8s-app': def.name },
        annotations: { 'deprecated.daemonset.template.generation': '1' },
      }),
      spec: {
        selector: { matchLabels: pickSelector(def.template.labels) },
        template: this.templateJson(def.template),
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
      return this.pod({
        namespace: def.namespace,
        name,
        generateName: `${def.name}-`,
        template: def.template,
        owner: this.ownerOf(ds),
        extraLabels: { 'controller-revision-hash': revision, 'pod-template-generation': '1' },
        node,
        state: notReady.has(node) ? 'NotReady' : 'Running',
        created: def.created + 1 + i,
      });
    });
    return { daemonSet: ds, pods };
  }

  /** A Job and its pod(s). `outcome` decides conditions and pod states. */
  job(def: {
    namespace: string;
    name: string;
    template: PodTemplateDef;
    created: number;
    outcome: 'complete' | 'failed' | 'running';
    owner?: Owner;
    labels?: Record<string, string>;
  }): { job: KObject; pods: KObject[] } {
    const uid = this.uid(T.job, def.namespace, def.name);
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
    const podStates: PodState[] =
      def.outcome === 'complete' ? ['Completed'] : def.outcome === 'failed' ? ['Failed', 'Failed', 'Failed', 'Failed'] : ['Running'];
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
    const job = this.add(T.job, {
      metadata: this.meta(T.job, def.namespace, def.name, def.created, {
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
        template: this.templateJson(template),
        completionMode: 'NonIndexed',
        suspend: false,
      },
      status,
    });
    const pods = podStates.map((state, i) =>
      this.pod({
        namespace: def.namespace,
        name: `${def.name}-${shortHash(5, def.namespace, def.name, String(i))}`,
        generateName: `${def.name}-`,
        template,
        owner: this.ownerOf(job),
        node: this.pickNode(),
        state,
        created: def.created + i * 40,
      }),
    );
    return { job, pods };
  }

  cronJob(def: {
    namespace: string;
    name: string;
    schedule: string;
    template: PodTemplateDef;
    created: number;
    runs: { at: number; outcome: 'complete' | 'failed' | 'running' }[];
  }): KObject {
    const cron = this.add(T.cronjob, {
      metadata: this.meta(T.cronjob, def.namespace, def.name, def.created, {
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
          spec: { backoffLimit: 3, template: this.templateJson({ ...def.template, restartPolicy: 'OnFailure' }) },
        },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
      status: {},
    });
    const status = cron.status as Record<string, unknown>;
    for (const run of def.runs) {
      const minutes = Math.floor((BASE_TIME_MS / 1000 + run.at) / 60);
      const { job } = this.job({
        namespace: def.namespace,
        name: `${def.name}-${minutes}`,
        template: def.template,
        created: run.at,
        outcome: run.outcome,
        owner: this.ownerOf(cron),
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

  templateJson(tpl: PodTemplateDef): Record<string, unknown> {
    return {
      metadata: { creationTimestamp: null, labels: tpl.labels },
      spec: {
        ...(tpl.volumes?.length ? { volumes: tpl.volumes } : {}),
        containers: tpl.containers.map((c) => ({
          name: c.name,
          image: c.image,
          ...(c.command ? { command: c.command } : {}),
          ...(c.args ? { args: c.args } : {}),
          ...(c.ports ? { ports: c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
          ...(c.env ? { env: c.env } : {}),
          resources: { ...(c.limits ? { limits: c.limits } : {}), ...(c.requests ? { requests: c.requests } : {}) },
          ...(c.mounts ? { volumeMounts: c.mounts } : {}),
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        })),
        restartPolicy: tpl.restartPolicy ?? 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: tpl.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
        ...(tpl.nodeSelector ? { nodeSelector: tpl.nodeSelector } : {}),
        ...(tpl.serviceAccountName ? { serviceAccountName: tpl.serviceAccountName, serviceAccount: tpl.serviceAccountName } : {}),
        ...(tpl.hostNetwork ? { hostNetwork: true } : {}),
        securityContext: {},
        schedulerName: 'default-scheduler',
        ...(tpl.tolerations ? { tolerations: tpl.tolerations } : {}),
        ...(tpl.priorityClassName ? { priorityClassName: tpl.priorityClassName } : {}),
      },
    };
  }

  // ---- networking, config, storage --------------------------------------------

  service(def: {
    namespace: string;
    name: string;
    selector?: Record<string, string>;
    ports: { name?: string; port: number; targetPort?: number | string; nodePort?: number }[];
    created: number;
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    headless?: boolean;
    labels?: Record<string, string>;
    creator?: string;
  }): KObject {
    const ip = def.headless ? 'None' : this.nextClusterIp();
    const type = def.type ?? 'ClusterIP';
    return this.add(T.service, {
      metadata: this.meta(T.service, def.namespace, def.name, def.created, {
        labels: def.labels ?? { app: def.name },
        annotations: def.creator ? { 'kubesphere.io/creator': def.creator, 'kubesphere.io/serviceType': 'statelessservice' } : {},
        managedBy: def.creator ? 'ks-console' : 'kubectl-client-side-apply',
      }),
      spec: {
        ports: def.ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          protocol: 'TCP',
          port: p.port,
          targetPort: p.targetPort ?? p.port,
          ...(p.nodePort ? { nodePort: p.nodePort } : {}),
        })),
        ...(def.selector ? { selector: def.selector } : {}),
        clusterIP: ip,
        clusterIPs: [ip],
        type,
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        ...(type !== 'ClusterIP' ? { externalTrafficPolicy: 'Cluster' } : {}),
      },
      status: { loadBalancer: type === 'LoadBalancer' ? { ingress: [{ ip: '203.0.113.10' }] } : {} },
    });
  }

  configMap(def: {
    namespace: string;
    name: string;
    data: Record<string, string>;
    created: number;
    labels?: Record<string, string>;
    managed?: boolean;
  }): KObject {
    return this.add(T.configmap, {
      metadata: this.meta(T.configmap, def.namespace, def.name, def.created, {
        labels: def.labels,
        managedBy: def.managed ? 'kubectl-client-side-apply' : undefined,
      }),
      data: def.data,
    });
  }

  secret(def: {
    namespace: string;
    name: string;
    type: string;
    data: Record<string, string>;
    created: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }): KObject {
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(def.data)) data[k] = base64(v);
    return this.add(T.secret, {
      metadata: this.meta(T.secret, def.namespace, def.name, def.created, { labels: def.labels, annotations: def.annotations }),
      data,
      type: def.type,
    });
  }

  storageClass(name: string, provisioner: string, created: number, isDefault: boolean): KObject {
    return this.add(T.storageclass, {
      metadata: this.meta(T.storageclass, undefined, name, created, {
        annotations: {
          ...(isDefault
            ? {
                'storageclass.kubernetes.io/is-default-class': 'true',
                'storageclass.kubesphere.io/allow-clone': 'true',
                'storageclass.kubesphere.io/allow-snapshot': 'true',
              }
            : {}),
          'cas.openebs.io/config': '- name: StorageType\n  value: "hostpath"\n- name: BasePath\n  value: "/var/openebs/local/"\n',
        },
      }),
      provisioner,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  }

  /** A claim; bound ones get a matching PersistentVolume. */
  pvc(def: {
    namespace: string;
    name: string;
    size: string;
    storageClass: string;
    created: number;
    pending?: boolean;
    labels?: Record<string, string>;
  }): KObject {
    const uid = this.uid(T.pvc, def.namespace, def.name);
    const volumeName = `pvc-${uid}`;
    const claim = this.add(T.pvc, {
      metadata: this.meta(T.pvc, def.namespace, def.name, def.created, {
        labels: def.labels,
        annotations: def.pending
          ? { 'volume.beta.kubernetes.io/storage-provisioner': 'openebs.io/local', 'volume.kubernetes.io/storage-provisioner': 'openebs.io/local' }
          : {
              'pv.kubernetes.io/bind-completed': 'yes',
              'pv.kubernetes.io/bound-by-controller': 'yes',
              'volume.beta.kubernetes.io/storage-provisioner': 'openebs.io/local',
              'volume.kubernetes.io/selected-node': this.nodeNames()[1] ?? this.nodeNames()[0] ?? '',
              'volume.kubernetes.io/storage-provisioner': 'openebs.io/local',
            },
        finalizers: ['kubernetes.io/pvc-protection'],
      }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: def.size } },
        storageClassName: def.storageClass,
        volumeMode: 'Filesystem',
        ...(def.pending ? {} : { volumeName }),
      },
      status: def.pending ? { phase: 'Pending' } : { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: def.size } },
    });
    if (!def.pending) {
      this.add(T.pv, {
        metadata: this.meta(T.pv, undefined, volumeName, def.created + 3, {
          labels: { 'openebs.io/cas-type': 'local-hostpath' },
          annotations: { 'pv.kubernetes.io/provisioned-by': 'openebs.io/local' },
          finalizers: ['kubernetes.io/pv-protection'],
        }),
        spec: {
          capacity: { storage: def.size },
          local: { path: `/var/openebs/local/${volumeName}`, fsType: '' },
          accessModes: ['ReadWriteOnce'],
          claimRef: {
            kind: 'PersistentVolumeClaim',
            namespace: def.namespace,
            name: def.name,
            uid,
            apiVersion: 'v1',
            resourceVersion: claim.metadata.resourceVersion,
          },
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: def.storageClass,
          volumeMode: 'Filesystem',
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [this.nodeNames()[1] ?? this.nodeNames()[0] ?? ''] }] },
              ],
            },
          },
        },
        status: { phase: 'Bound', lastPhaseTransitionTime: isoAt(def.created + 3) },
      });
    }
    return claim;
  }

  ingress(def: {
    namespace: string;
    name: string;
    host: string;
    paths: { path: string; service: string; port: number }[];
    created: number;
    tls?: string;
  }): KObject {
    return this.add(T.ingress, {
      metadata: this.meta(T.ingress, def.namespace, def.name, def.created, {
        generation: 1,
        annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
        managedBy: 'kubectl-client-side-apply',
      }),
      spec: {
        ingressClassName: 'nginx',
        ...(def.tls ? { tls: [{ hosts: [def.host], secretName: def.tls }] } : {}),
        rules: [
          {
            host: def.host,
            http: { paths: def.paths.map((p) => ({ path: p.path, pathType: 'Prefix', backend: { service: { name: p.service, port: { number: p.port } } } })) },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } },
    });
  }

  hpa(def: { namespace: string; name: string; target: string; min: number; max: number; current: number; cpuUtilisation: number; created: number }): KObject {
    return this.add(T.hpa, {
      metadata: this.meta(T.hpa, def.namespace, def.name, def.created, {}),
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

  event(def: {
    about: KObject;
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    first: number;
    last?: number;
    count?: number;
    component: string;
    fieldPath?: string;
    host?: string;
  }): KObject {
    const o = def.about;
    const ns = o.metadata.namespace ?? 'default';
    const name = `${o.metadata.name}.${sha256('event', o.metadata.uid!, def.reason, String(def.first)).slice(0, 16)}`;
    return this.add(T.event, {
      metadata: this.meta(T.event, ns, name, def.first),
      involvedObject: {
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
        uid: o.metadata.uid,
        apiVersion: o.apiVersion,
        resourceVersion: o.metadata.resourceVersion,
        ...(def.fieldPath ? { fieldPath: def.fieldPath } : {}),
      },
      reason: def.reason,
      message: def.message,
      source: { component: def.component, ...(def.host ? { host: def.host } : {}) },
      firstTimestamp: isoAt(def.first),
      lastTimestamp: isoAt(def.last ?? def.first),
      count: def.count ?? 1,
      type: def.type,
      eventTime: null,
      reportingComponent: def.component,
      reportingInstance: def.host ?? '',
    });
  }
}

function ownerRef(o: Owner): OwnerReference {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid, controller: true, blockOwnerDeletion: true };
}

/** Workload selectors use the stable labels, not version-ish ones. */
function pickSelector(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== 'version') out[k] = v;
  return out;
}

function fieldsOf(map: Record<string, string> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(map ?? {})) out[`f:${k}`] = {};
  return out;
}

/** A plausible managedFields entry, so clients see what real informer objects carry. */
function managedFields(
  type: string,
  manager: string,
  apiVersion: string,
  created: number,
  labels?: Record<string, string>,
  annotations?: Record<string, string>,
): ManagedFieldsEntry[] {
  const meta: Record<string, unknown> = {};
  if (annotations && Object.keys(annotations).length) meta['f:annotations'] = { '.': {}, ...fieldsOf(annotations) };
  if (labels && Object.keys(labels).length) meta['f:labels'] = { '.': {}, ...fieldsOf(labels) };
  const entries: ManagedFieldsEntry[] = [
    {
      manager,
      operation: 'Update',
      apiVersion,
      time: isoAt(created),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': meta, ...(type.endsWith('/deployments') ? { 'f:spec': { 'f:replicas': {}, 'f:template': {} } } : {}) },
    },
  ];
  if (type.endsWith('/deployments')) {
    entries.push({
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion,
      time: isoAt(created + 30),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:observedGeneration': {}, 'f:replicas': {} } },
      subresource: 'status',
    } as ManagedFieldsEntry);
  }
  return entries;
}

export function addProjectRoles(b: ClusterBuilder, ns: KObject, creator: string): void {
  const name = ns.metadata.name;
  const created = (Date.parse(ns.metadata.creationTimestamp!) - Date.parse(isoAt(0))) / 1000 + 1;
  for (const role of ['admin', 'operator', 'viewer']) {
    b.add(T.role, {
      metadata: b.meta(T.role, name, role, created, {
        annotations: {
          'kubesphere.io/creator': 'system',
          'iam.kubesphere.io/aggregation-roles': JSON.stringify([`role-template-${role === 'admin' ? 'manage' : 'view'}-app-workloads`]),
        },
      }),
      rules:
        role === 'viewer' ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] : [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
  }
  b.add(T.rolebinding, {
    metadata: b.meta(T.rolebinding, name, `${creator}-admin`, created + 1, { labels: { 'iam.kubesphere.io/user-ref': creator } }),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: creator }],
  });
}
