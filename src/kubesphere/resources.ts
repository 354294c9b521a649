/**
 * What the facade knows about each kind it models: its plural, its native
 * group/version, whether it is namespaced, and which API serves it on each
 * KubeSphere generation. `resources.kubesphere.io/v1alpha3` is preferred
 * (server-side filter, sort and page); kinds missing from a version's getter
 * table (api doc §4.4) go to the Kubernetes-native API instead.
 */
import { badUserInput } from '../errors.ts';
import {
  listQuery,
  nativeListQuery,
  nativeResource,
  resourcePlural,
  resourcesV1alpha3,
  withQuery,
  type ApiFamily,
  type ListQuery,
  type ResourceRef,
  type Target,
} from './paths.ts';

export interface KindInfo {
  kind: string;
  /** Lowercase plural: the v1alpha3 `{resources}` and the native resource name. */
  plural: string;
  /** Native `apiVersion`, e.g. `apps/v1`. */
  apiVersion: string;
  namespaced: boolean;
  /** The generations whose v1alpha3 getter table has this kind; the others use the native API. */
  v1alpha3: readonly ApiFamily[];
}

const BOTH: readonly ApiFamily[] = ['v3', 'v4'];
const V3_ONLY: readonly ApiFamily[] = ['v3'];
const NEITHER: readonly ApiFamily[] = [];

const kind = (kind: string, plural: string, apiVersion: string, namespaced: boolean, v1alpha3 = BOTH): KindInfo => ({
  kind,
  plural,
  apiVersion,
  namespaced,
  v1alpha3,
});

export const KINDS: readonly KindInfo[] = [
  kind('Node', 'nodes', 'v1', false),
  kind('Namespace', 'namespaces', 'v1', false),
  kind('Pod', 'pods', 'v1', true),
  kind('Service', 'services', 'v1', true),
  kind('ConfigMap', 'configmaps', 'v1', true),
  kind('Secret', 'secrets', 'v1', true),
  kind('PersistentVolumeClaim', 'persistentvolumeclaims', 'v1', true),
  kind('PersistentVolume', 'persistentvolumes', 'v1', false),
  // Events are read from kube-apiserver: v1alpha3 has no events getter.
  kind('Event', 'events', 'v1', true, NEITHER),
  kind('Deployment', 'deployments', 'apps/v1', true),
  // 3.x serves these through its v1alpha2 fallback; 4.x has no fallback (§4.4).
  kind('ReplicaSet', 'replicasets', 'apps/v1', true, V3_ONLY),
  kind('StatefulSet', 'statefulsets', 'apps/v1', true),
  kind('DaemonSet', 'daemonsets', 'apps/v1', true),
  kind('Job', 'jobs', 'batch/v1', true),
  kind('CronJob', 'cronjobs', 'batch/v1', true),
  kind('HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'autoscaling/v2', true),
  kind('Ingress', 'ingresses', 'networking.k8s.io/v1', true),
  kind('StorageClass', 'storageclasses', 'storage.k8s.io/v1', false, V3_ONLY),
];

const BY_PLURAL = new Map(KINDS.map((k) => [k.plural, k]));
const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));

export const kindByPlural = (plural: string) => BY_PLURAL.get(plural);
export const kindByName = (name: string) => BY_KIND.get(name);

/** Whether a list or get of this plural goes to v1alpha3 or to the native API on this generation. */
export function servedNatively(plural: string, family: ApiFamily): KindInfo | undefined {
  const info = BY_PLURAL.get(plural);
  return info && !info.v1alpha3.includes(family) ? info : undefined;
}

export interface ScopedListQuery {
  /** v1alpha3 list parameters; on the native API only `labelSelector` is sent, the rest is applied locally. */
  query?: ListQuery | undefined;
  /** Native field selector (only for kinds served natively, such as events). */
  fieldSelector?: string | undefined;
}

/**
 * The URL of a list or get of a modelled kind (or any other validated
 * v1alpha3 plural) on the API that serves it for the target's generation.
 */
export function kindPath(target: Target, ref: ResourceRef, list?: ScopedListQuery): string {
  const info = servedNatively(ref.resource, target.family);
  if (info) {
    const path = nativeResource(target, info.apiVersion, { ...ref, namespace: info.namespaced ? ref.namespace : undefined });
    return list ? withQuery(path, nativeListQuery({ labelSelector: list.query?.labelSelector, fieldSelector: list.fieldSelector })) : path;
  }
  if (list?.fieldSelector) throw badUserInput(`${ref.resource} cannot be filtered by field selector.`);
  const path = resourcesV1alpha3(target, ref);
  return list ? withQuery(path, listQuery(list.query ?? { limit: -1 })) : path;
}

/** Checks a plural for the escape hatch: any v1alpha3 kind, by grammar only. */
export const anyPlural = (value: string) => resourcePlural(value);
