/**
 * One rule per kind for the list filters and sorts, equal to what
 * KubeSphere's v1alpha3 getters do server-side (release-4.1 and release-3.4
 * pkg/models/resources/v1alpha3/**). Lists the facade filters itself (nested
 * lists, kinds a version serves only natively) use these, so a filter gives
 * the same items wherever it is applied.
 */
import type { ApiFamily } from '../kubesphere/paths.ts';
import type {
  DaemonSetResource,
  DeploymentResource,
  EventResource,
  JobResource,
  KubeObject,
  NamespaceResource,
  NodeResource,
  PersistentVolumeClaimResource,
  PodResource,
  StatefulSetResource,
} from '../kubesphere/types.ts';
import { nodeStatus } from './node.ts';
import { podFilterStatus } from './pod.ts';
import { selectorMatcher } from './selector.ts';
import { daemonSetStatus, deploymentStatus, jobStatus, statefulSetStatus } from './workload.ts';

/** The union of every kind's filter input; each kind reads the fields its input has. */
export interface ListFilter {
  name?: string | null | undefined;
  labelSelector?: string | null | undefined;
  status?: string | null | undefined;
  phase?: string | null | undefined;
  nodeName?: string | null | undefined;
}

/** The filter parameters of a v1alpha3 list, as KubeSphere reads them. */
export interface FilterQuery {
  name?: string | null | undefined;
  names?: readonly string[] | null | undefined;
  labelSelector?: string | null | undefined;
  namespace?: string | null | undefined;
  status?: string | null | undefined;
  phase?: string | null | undefined;
  nodeName?: string | null | undefined;
}

export interface ListSort {
  field?: string | null | undefined;
  ascending?: boolean | null | undefined;
}

const ALIAS_ANNOTATION = 'kubesphere.io/alias-name';

/**
 * `name=`: a substring of the name; 4.x also matches the display name
 * (release-4.1:pkg/models/resources/v1alpha3/interface.go DefaultObjectMetaFilter).
 */
function nameMatches(object: KubeObject, name: string, family: ApiFamily): boolean {
  if (family === 'v4' && object.metadata?.annotations?.[ALIAS_ANNOTATION]?.includes(name)) return true;
  return (object.metadata?.name ?? '').includes(name);
}

/**
 * What `status=` compares for each kind that has it: the getters' derived
 * status, or the phase for namespaces and claims (a claim's case-insensitively).
 */
const STATUS_OF: Record<string, (object: never) => string | undefined> = {
  pods: (pod: PodResource) => podFilterStatus(pod),
  nodes: (node: NodeResource) => nodeStatus(node),
  deployments: (d: DeploymentResource) => deploymentStatus(d),
  statefulsets: (s: StatefulSetResource) => statefulSetStatus(s),
  daemonsets: (d: DaemonSetResource) => daemonSetStatus(d),
  jobs: (j: JobResource) => jobStatus(j),
  namespaces: (ns: NamespaceResource) => ns.status?.phase,
  persistentvolumeclaims: (pvc: PersistentVolumeClaimResource) => pvc.status?.phase?.toLowerCase(),
};

const CASE_INSENSITIVE_STATUS = new Set(['persistentvolumeclaims']);

/**
 * The v1alpha3 query parameters a filter input becomes. Pods filter their
 * raw phase as `phase=`; namespaces and claims take their phase as `status=`.
 */
export function filterQuery(resource: string, filter: ListFilter | null | undefined): FilterQuery {
  if (!filter) return {};
  return {
    name: filter.name,
    labelSelector: filter.labelSelector,
    nodeName: filter.nodeName,
    status: resource === 'pods' ? filter.status : (filter.status ?? filter.phase),
    phase: resource === 'pods' ? filter.phase : undefined,
  };
}

/**
 * The predicate KubeSphere applies for these query parameters to objects of
 * one plural on `family`; unknown filters on kinds without them match
 * nothing, as on 3.x.
 */
export function queryRule(resource: string, query: FilterQuery, family: ApiFamily): (object: KubeObject) => boolean {
  const { name, names, labelSelector, namespace, phase, nodeName } = query;
  const statusOf = STATUS_OF[resource] as ((object: KubeObject) => string | undefined) | undefined;
  const status = query.status && CASE_INSENSITIVE_STATUS.has(resource) ? query.status.toLowerCase() : query.status;
  const nameSet = names ? new Set(names) : undefined;
  const selected = labelSelector ? selectorMatcher(labelSelector) : undefined;
  return (object) =>
    (!nameSet || nameSet.has(object.metadata?.name ?? '')) &&
    (!name || nameMatches(object, name, family)) &&
    (!selected || selected(object.metadata?.labels)) &&
    (!namespace || object.metadata?.namespace === namespace) &&
    (!status || statusOf?.(object) === status) &&
    (!phase || (object as PodResource).status?.phase === phase) &&
    (!nodeName || (object as PodResource).spec?.nodeName === nodeName);
}

/** The predicate a filter input stands for on objects of one plural: the same rule KubeSphere applies to its query. */
export const filterRule = (resource: string, filter: ListFilter | null | undefined, family: ApiFamily) =>
  queryRule(resource, filterQuery(resource, filter), family);

const creation = (o: KubeObject) => String(o.metadata?.creationTimestamp ?? '');
const name = (o: KubeObject) => String(o.metadata?.name ?? '');

/** The latest of creation and the given condition times, as KubeSphere's `lastUpdateTime` helpers compute it. */
function latest(object: KubeObject, times: (string | undefined)[]): string {
  return times.reduce<string>((max, t) => (t && t > max ? t : max), creation(object));
}

/** What `updateTime` sorts by; kinds without one sort by creation. */
const UPDATE_TIME: Record<string, (object: never) => string> = {
  deployments: (d: DeploymentResource) =>
    latest(
      d,
      (d.status?.conditions ?? []).map((c) => c.lastUpdateTime),
    ),
  jobs: (j: JobResource) =>
    latest(
      j,
      (j.status?.conditions ?? []).map((c) => c.lastTransitionTime),
    ),
};

/**
 * KubeSphere's order: largest first unless `ascending` (newest first, or Z to
 * A), time ties broken by name in the same direction; an unknown field sorts
 * by creation (release-4.1:pkg/models/resources/v1alpha3/interface.go DefaultObjectMetaCompare).
 */
export function sortRule(resource: string, sort: ListSort | null | undefined): (a: KubeObject, b: KubeObject) => number {
  const field = sort?.field ?? 'creationTimestamp';
  const updateTime = UPDATE_TIME[resource] as ((object: KubeObject) => string) | undefined;
  const key = field === 'name' ? undefined : field === 'updateTime' && updateTime ? updateTime : creation;
  const descending = (a: KubeObject, b: KubeObject) => {
    const byKey = key ? key(b).localeCompare(key(a)) : 0;
    return byKey !== 0 ? byKey : name(b).localeCompare(name(a));
  };
  return sort?.ascending ? (a, b) => descending(b, a) : descending;
}

export interface EventListFilter {
  type?: string | null | undefined;
  involvedObjectKind?: string | null | undefined;
  involvedObjectName?: string | null | undefined;
  involvedObjectUid?: string | null | undefined;
}

/** The predicate of an event filter, equal to the field selector the top-level list sends. */
export function eventRule(filter: EventListFilter | null | undefined): (event: EventResource) => boolean {
  if (!filter) return () => true;
  const { type, involvedObjectKind, involvedObjectName, involvedObjectUid } = filter;
  return (event) =>
    (!type || event.type === type) &&
    (!involvedObjectKind || event.involvedObject?.kind === involvedObjectKind) &&
    (!involvedObjectName || event.involvedObject?.name === involvedObjectName) &&
    (!involvedObjectUid || event.involvedObject?.uid === involvedObjectUid);
}
