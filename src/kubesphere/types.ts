/**
 * Wire types: objects as ks-apiserver returns them. Resolvers map these to the
 * GraphQL shape; nothing here is reshaped on the way in.
 */
import type { Container, Namespace, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
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

/** tenant.kubesphere.io WorkspaceTemplate. */
export interface WorkspaceResource extends KubeObject {
  spec?: {
    template?: { spec?: { manager?: string } };
    placement?: { clusters?: { name: string }[] };
  };
}

/** A pod container joined with its status entry. */
export interface ContainerView {
  spec: Container;
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
