/**
 * Wire types: objects as ks-apiserver returns them. Resolvers map these to the
 * GraphQL shape; nothing here is reshaped on the way in.
 */
import type { ConfigMap, Container, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export type ObjectMetaResource = ObjectMeta;

/** Any Kubernetes or KubeSphere object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export type NodeResource = Node & KubeObject;
export type NamespaceResource = Namespace & KubeObject;
export type PodResource = Pod & KubeObject;
export type DeploymentResource = Deployment & KubeObject;
export type ReplicaSetResource = ReplicaSet & KubeObject;
export type StatefulSetResource = StatefulSet & KubeObject;
export type DaemonSetResource = DaemonSet & KubeObject;
export type JobResource = Job & KubeObject;
export type CronJobResource = CronJob & KubeObject;
export type HorizontalPodAutoscalerResource = HorizontalPodAutoscaler & KubeObject;
export type ServiceResource = Service & KubeObject;
export type IngressResource = Ingress & KubeObject;
export type ConfigMapResource = ConfigMap & KubeObject;
export type SecretResource = Secret & KubeObject;
export type PersistentVolumeClaimResource = PersistentVolumeClaim & KubeObject;
export type PersistentVolumeResource = PersistentVolume & KubeObject;
export type StorageClassResource = StorageClass & KubeObject;
export type EventResource = Event & KubeObject;
/** Any workload a pod, a job or an autoscaler can point at. */
export type WorkloadResource = DeploymentResource | ReplicaSetResource | StatefulSetResource | DaemonSetResource | JobResource | CronJobResource;

/** iam.kubesphere.io User, as the IAM API returns it (password stripped, role annotations added). */
export interface UserResource extends KubeObject {
  spec?: { email?: string; lang?: string; description?: string; displayName?: string; groups?: string[]; password?: string };
  status?: { state?: string; reason?: string; lastTransitionTime?: string; lastLoginTime?: string };
}

/** A GlobalRole or WorkspaceRole: RBAC-style rules. */
export interface RoleResource extends KubeObject {
  rules?: PolicyRule[];
}

/** A workspace membership: the user, the role, and the workspace. */
export interface WorkspaceMembership {
  workspace: string;
  role: string | undefined;
  /** Where the workspace is looked up (the cluster of the query). */
  cluster: string | null | undefined;
  user: UserResource;
}

/** cluster.kubesphere.io Cluster. */
export interface ClusterResource extends KubeObject {
  spec?: {
    provider?: string;
    enable?: boolean;
    joinFederation?: boolean;
    connection?: { type?: string; kubernetesAPIEndpoint?: string; kubesphereAPIEndpoint?: string };
  };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    kubernetesVersion?: string;
    kubeSphereVersion?: string;
    nodeCount?: number;
    region?: string;
    zones?: string[];
    configz?: Record<string, unknown>;
  };
}

/** tenant.kubesphere.io WorkspaceTemplate. */
export interface WorkspaceResource extends KubeObject {
  spec?: {
    manager?: string;
    template?: { spec?: { manager?: string } };
    placement?: { clusters?: { name: string }[] };
  };
}

/** A pod container joined with its status entry. */
export interface ContainerView {
  spec: Container;
  /** The pod it runs in, for what is asked about the container (its metrics). */
  pod: PodResource;
  status: NonNullable<Pod['status']>['containerStatuses'] extends (infer S)[] | undefined ? S | undefined : never;
}

/** The normalised list envelope every list resolver returns. */
export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  totalItems: number;
}

export interface BuildInfo {
  gitVersion: string;
  gitMajor?: string;
  gitMinor?: string;
  major?: string;
  minor?: string;
  gitCommit?: string;
  buildDate?: string;
  goVersion?: string;
  platform?: string;
}

/** `/kapis/version`. */
export interface VersionInfo extends BuildInfo {
  kubernetes?: BuildInfo;
}

const CLUSTER = Symbol('kubesphere.cluster');

/**
 * Records which member cluster an object came from, so that its edges query
 * the same cluster. A symbol key keeps it out of `raw`.
 */
export function tagCluster<T extends object>(object: T, cluster: string | null | undefined): T {
  if (cluster) Object.defineProperty(object, CLUSTER, { value: cluster, enumerable: false });
  return object;
}

/** The member cluster an object came from; undefined for the host cluster. */
export function clusterOf(object: object): string | undefined {
  return (object as { [CLUSTER]?: string })[CLUSTER];
}

const KIND = Symbol('kubesphere.kind');

/**
 * Records the kind an object was fetched as: v1alpha3 list items carry no
 * TypeMeta (api doc §4.3), and unions need to know what they hold.
 */
export function tagKind<T extends object>(object: T, kind: string): T {
  if (!Object.hasOwn(object, KIND)) Object.defineProperty(object, KIND, { value: kind, enumerable: false });
  return object;
}

/** The kind an object was fetched as, else its own `kind` field. */
export function kindOf(object: object): string | undefined {
  return (object as { [KIND]?: string })[KIND] ?? (object as { kind?: string }).kind;
}
