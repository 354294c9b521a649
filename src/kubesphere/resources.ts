/**
 * What the facade knows about each kind it models: its plural, its native
 * group/version, whether it is namespaced, and which API serves it on each
 * KubeSphere generation. `resources.kubesphere.io/v1alpha3` is preferred
 * (server-side filter, sort and page); kinds missing from a version's getter
 * table (api doc §4.4) go to the Kubernetes-native API instead.
 */
import type { ApiFamily } from './paths.ts';

export interface KindInfo {
  kind: string;
  /** Lowercase plural: the v1alpha3 `{resources}` and the native resource name. */
  plural: string;
  /** Native `apiVersion`, e.g. `apps/v1`. */
  apiVersion: string;
  namespaced: boolean;
  /** The generations whose v1alpha3 getter table has this kind; the others use the native API. */
  v1alpha3: readonly ApiFamily[];
  /**
   * The generations that serve this kind through v1alpha3's v1alpha2
   * fallback (release-3.4:pkg/kapis/resources/v1alpha3/handler.go falls back
   * to release-3.4:pkg/models/resources/v1alpha2). It ignores `labelSelector`
   * (its conditions have none), and it sorts by time only for `createTime`:
   * everything else, `creationTimestamp` included, sorts by name
   * (release-3.4:pkg/models/resources/v1alpha2/interface.go ObjectMetaCompare).
   */
  v1alpha2Fallback: readonly ApiFamily[];
}

const BOTH: readonly ApiFamily[] = ['v3', 'v4'];
const V3_ONLY: readonly ApiFamily[] = ['v3'];
const NEITHER: readonly ApiFamily[] = [];

const kind = (kind: string, plural: string, apiVersion: string, namespaced: boolean, v1alpha3 = BOTH, v1alpha2Fallback = NEITHER): KindInfo => ({
  kind,
  plural,
  apiVersion,
  namespaced,
  v1alpha3,
  v1alpha2Fallback,
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
  // Neither generation's v1alpha3 has ReplicaSets (3.x's fallback has no getter for them either: 404
  // `resource is not supported`), so they are read natively, as the 3.4 console does
  // (console release-3.4:src/stores/workload/revision.js).
  kind('ReplicaSet', 'replicasets', 'apps/v1', true, NEITHER),
  kind('StatefulSet', 'statefulsets', 'apps/v1', true),
  kind('DaemonSet', 'daemonsets', 'apps/v1', true),
  kind('Job', 'jobs', 'batch/v1', true),
  // 3.x serves these (and StorageClasses) through its v1alpha2 fallback (§4.4).
  kind('CronJob', 'cronjobs', 'batch/v1', true, BOTH, V3_ONLY),
  kind('HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'autoscaling/v2', true, BOTH, V3_ONLY),
  kind('Ingress', 'ingresses', 'networking.k8s.io/v1', true),
  kind('StorageClass', 'storageclasses', 'storage.k8s.io/v1', false, V3_ONLY, V3_ONLY),
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

/** Whether this generation's v1alpha3 list of the plural drops `labelSelector`, so that it must be applied here. */
export const servedByFallback = (plural: string, family: ApiFamily) => BY_PLURAL.get(plural)?.v1alpha2Fallback.includes(family) ?? false;
