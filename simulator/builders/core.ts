/**
 * The shared core of the object builders: identity (uids, ObjectMeta in Go
 * field order), the store, node placement and IP hand-out. The per-kind
 * builders (cluster.ts, pods.ts, workloads.ts, ...) turn a compact
 * description into the objects Kubernetes would hold, shaped like
 * kube-apiserver's JSON. Every value is derived from names and fixed offsets
 * so the output is reproducible.
 */
import { createHash } from 'node:crypto';
import type { ContainerPort, EnvVar, Toleration, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { ManagedFieldsEntry, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isoAt, uidFor } from '../det.ts';
import { T, type ResourceRegistry } from '../resources.ts';
import { ClusterStore } from '../store.ts';
import type { Flavour, KObject } from '../types.ts';

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

export interface Owner {
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

export const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export function sha256(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export function imageDigestRef(image: string): string {
  const repo = image.split(':')[0]!;
  const full = repo.includes('/') && repo.split('/')[0]!.includes('.') ? repo : `docker.io/${repo.includes('/') ? repo : `library/${repo}`}`;
  return `${full}@sha256:${sha256('image', image)}`;
}

export function fullImage(image: string): string {
  const [repo] = image.split(':');
  if (repo!.includes('/') && repo!.split('/')[0]!.includes('.')) return image;
  return `docker.io/${repo!.includes('/') ? '' : 'library/'}${image}`;
}

export function qosClass(containers: ContainerDef[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
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

  podIp(nodeName: string): { ip: string; hostIp: string } {
    const slot = this.slots.find((s) => s.name === nodeName)!;
    const n = slot.podCount++;
    const node = this.store.get(T.node, undefined, nodeName)!;
    const hostIp = (node.status as { addresses: { type: string; address: string }[] }).addresses[0]!.address;
    const third = 64 + (slot.index % 190);
    const second = 233 + Math.floor(slot.index / 190);
    return { ip: `10.${second}.${third}.${(n % 250) + 2}`, hostIp };
  }

  get nodeCount(): number {
    return this.slots.length;
  }

  /** A cordoned node keeps the pods it already runs, so it still takes part in placement. */
  placeNode(name: string, schedulable: boolean): number {
    const index = this.slots.length;
    this.slots.push({ name, index, schedulable, podCount: 0 });
    return index;
  }
}

function ownerRef(o: Owner): OwnerReference {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid, controller: true, blockOwnerDeletion: true };
}

/** Workload selectors use the stable labels, not version-ish ones. */
export function pickSelector(labels: Record<string, string>): Record<string, string> {
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

export function templateJson(tpl: PodTemplateDef): Record<string, unknown> {
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
