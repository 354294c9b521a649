/**
 * KubeSphere's generic list semantics (`pkg/apiserver/query` and
 * `pkg/models/resources/v1alpha3.DefaultList`): every query key other than
 * page/limit/sortBy/ascending/labelSelector is a filter; 3.x rejects
 * filters it does not know (empty list), 4.x ignores them.
 */
import { T } from './resources.ts';
import {
  daemonSetStatus,
  deploymentStatus,
  jobStatus,
  lastUpdateTime,
  nodeStatus,
  podBelongsToService,
  podStatusType,
  podUsesClaim,
  statefulSetStatus,
} from './kinds.ts';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError, type LabelSelector } from './selectors.ts';
import type { ClusterStore } from './store.ts';
import type { Flavour, KObject } from './types.ts';

export interface ListQuery {
  limit: number;
  offset: number;
  sortBy: string;
  ascending: boolean;
  /** Invalid selectors select everything, as `query.Selector()` does. */
  selector: LabelSelector;
  filters: Map<string, string>;
}

const RESERVED = new Set(['page', 'limit', 'sortBy', 'ascending', 'labelSelector']);

/** Go's strconv.Atoi: optional sign and decimal digits, nothing else. */
function atoi(value: string | null): number | undefined {
  if (value === null || !/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Go's strconv.ParseBool. */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function parseListQuery(params: URLSearchParams, extraReserved: readonly string[] = []): ListQuery {
  const limit = atoi(params.get('limit')) ?? -1;
  const page = atoi(params.get('page')) ?? 1;
  let selector: LabelSelector = [];
  try {
    selector = parseLabelSelector(params.get('labelSelector') ?? '');
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
  }
  const filters = new Map<string, string>();
  for (const [key, value] of params) {
    if (RESERVED.has(key) || extraReserved.includes(key) || filters.has(key)) continue;
    filters.set(key, value);
  }
  return {
    limit,
    offset: (page - 1) * limit,
    sortBy: params.get('sortBy') || 'creationTimestamp',
    ascending: parseBool(params.get('ascending') || 'false') ?? false,
    selector,
    filters,
  };
}

export interface ListContext {
  flavour: Flavour;
  store: ClusterStore;
  type: string;
}

/** A kind-specific filter: true/false decides, undefined falls back to the metadata filter. */
type KindFilter = (obj: KObject, field: string, value: string, ctx: ListContext) => boolean | undefined;

const labelMatch = (map: Record<string, string> | undefined, expression: string): boolean => {
  try {
    return matchesLabels(parseLabelSelector(expression), map);
  } catch {
    return false;
  }
};

/** `DefaultObjectMetaFilter`. */
export function metaFilter(obj: KObject, field: string, value: string, flavour: Flavour): boolean {
  const m = obj.metadata;
  switch (field) {
    case 'names':
      return value.split(',').includes(m.name);
    case 'name': {
      if (flavour === '4.1') {
        const alias = m.annotations?.['kubesphere.io/alias-name'];
        if (alias && alias.includes(value)) return true;
      }
      return m.name.includes(value);
    }
    case 'uid':
      return m.uid === value;
    case 'namespace':
      return (m.namespace ?? '') === value;
    case 'ownerReference':
      return (m.ownerReferences ?? []).some((o) => o.uid === value);
    case 'ownerKind':
      return (m.ownerReferences ?? []).some((o) => o.kind === value);
    case 'annotation':
      return labelMatch(m.annotations, value);
    case 'label':
      return labelMatch(m.labels, value);
    case 'alias':
      if (flavour === '3.4') return (m.annotations?.['kubesphere.io/alias-name'] ?? '').includes(value);
      return true;
    default:
      return flavour !== '3.4';
  }
}

const spec = (o: KObject) => (o.spec as Record<string, any> | undefined) ?? {};
const status = (o: KObject) => (o.status as Record<string, any> | undefined) ?? {};

const statusFilter =
  (fn: (o: KObject) => string): KindFilter =>
  (obj, field, value) =>
    field === 'status' ? fn(obj) === value : undefined;

const KIND_FILTERS: Record<string, KindFilter> = {
  [T.pod]: (pod, field, value, ctx) => {
    switch (field) {
      case 'nodeName':
        return spec(pod).nodeName === value;
      case 'pvcName':
        return podUsesClaim(pod, value);
      case 'serviceName':
        return podBelongsToService(pod, ctx.store, value);
      case 'status':
        return podStatusType(pod) === value;
      case 'phase':
        return status(pod).phase === value;
      case 'ownerReference':
        return ctx.flavour === '4.1' ? podOwnedBy(pod, value, ctx.store) : undefined;
      case 'podIP':
        return ctx.flavour === '4.1' ? ((status(pod).podIPs ?? []) as { ip: string }[]).some((ip) => ip.ip.includes(value)) : undefined;
      default:
        return undefined;
    }
  },
  [T.deployment]: statusFilter(deploymentStatus),
  [T.statefulset]: statusFilter(statefulSetStatus),
  [T.daemonset]: statusFilter(daemonSetStatus),
  [T.job]: statusFilter(jobStatus),
  [T.node]: statusFilter(nodeStatus),
  [T.namespace]: statusFilter((o) => status(o).phase ?? ''),
  [T.pvc]: (pvc, field, value, ctx) => {
    // 4.1 splits the value on `|` and requires every part to match; 3.4 compares it whole.
    const phase = String(status(pvc).phase ?? '').toLowerCase();
    if (field === 'status') return ctx.flavour === '4.1' ? value.split('|').every((s) => phase === s.toLowerCase()) : phase === value.toLowerCase();
    if (field === 'storageClassName') return spec(pvc).storageClassName === value;
    return undefined;
  },
  [T.secret]: (secret, field, value) => {
    if (field !== 'fieldSelector') return undefined;
    try {
      return matchesFields(parseFieldSelector(value), (f) =>
        f === 'type'
          ? String(secret.type ?? '')
          : f === 'metadata.name'
            ? secret.metadata.name
            : f === 'metadata.namespace'
              ? secret.metadata.namespace
              : undefined,
      );
    } catch {
      return false;
    }
  },
  [T.user]: (user, field, value) => (field === 'email' ? spec(user).email === value : undefined),
};

/**
 * 4.1 `podWithOwnerReference`: the pod's own owners, or those of its
 * ReplicaSet, so a Deployment's UID selects its pods
 * (release-4.1:pkg/models/resources/v1alpha3/pod/pods.go).
 */
function podOwnedBy(pod: KObject, uid: string, store: ClusterStore): boolean {
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.some((o) => o.uid === uid)) return true;
  const rs = owners.filter((o) => o.kind === 'ReplicaSet').at(-1);
  if (!rs) return false;
  return (store.get(T.replicaset, pod.metadata.namespace, rs.name)?.metadata.ownerReferences ?? []).some((o) => o.uid === uid);
}

/** Sort keys computed once per object per request; `primary` is compared first (greater = earlier when descending). */
interface Keyed {
  obj: KObject;
  primary: number | string;
  name: string;
  namespace: string;
}

function sortKey(obj: KObject, sortBy: string, type: string): number | string {
  if ((sortBy === 'updateTime' || sortBy === 'lastUpdateTimestamp') && (type === T.deployment || type === T.job)) {
    return lastUpdateTime(obj, type === T.deployment ? 'lastUpdateTime' : 'lastTransitionTime');
  }
  if (sortBy === 'status' && type === T.job) return jobStatus(obj);
  if (sortBy === 'name') return obj.metadata.name;
  return Date.parse(obj.metadata.creationTimestamp ?? '') || 0;
}

/** Go's compare "left greater than right": the primary key, then the name on creation-time ties. */
function greater(l: Keyed, r: Keyed, byCreation: boolean): boolean {
  if (l.primary === r.primary) return byCreation && l.name > r.name;
  return l.primary > r.primary;
}

export interface ListResult {
  items: KObject[];
  totalItems: number;
}

/** `DefaultList`: label selector, filters, sort, page. */
export function listObjects(objects: readonly KObject[], query: ListQuery, ctx: ListContext): ListResult {
  const kindFilter = KIND_FILTERS[ctx.type];
  const filtered = objects.filter((obj) => {
    if (!matchesLabels(query.selector, obj.metadata.labels)) return false;
    for (const [field, value] of query.filters) {
      const decided = kindFilter?.(obj, field, value, ctx);
      if (!(decided ?? metaFilter(obj, field, value, ctx.flavour))) return false;
    }
    return true;
  });
  const special = (query.sortBy === 'updateTime' || query.sortBy === 'lastUpdateTimestamp') && (ctx.type === T.deployment || ctx.type === T.job);
  const byCreation = !special && query.sortBy !== 'name' && !(query.sortBy === 'status' && ctx.type === T.job);
  const keyed: Keyed[] = filtered.map((obj) => ({
    obj,
    primary: sortKey(obj, query.sortBy, ctx.type),
    name: obj.metadata.name,
    namespace: obj.metadata.namespace ?? '',
  }));
  keyed.sort((a, b) => {
    const [l, r] = query.ascending ? [b, a] : [a, b];
    if (greater(l, r, byCreation)) return -1;
    if (greater(r, l, byCreation)) return 1;
    // Go's sort.Slice is not stable; the simulator is, by namespace.
    return l.namespace < r.namespace ? -1 : l.namespace > r.namespace ? 1 : 0;
  });
  return { items: paginate(keyed, query.limit, query.offset).map((k) => k.obj), totalItems: keyed.length };
}

/** `Pagination.GetValidPagination`. */
function paginate<X>(items: X[], limit: number, offset: number): X[] {
  if (limit === -1) return items;
  if (limit < 0 || offset < 0 || offset > items.length) return [];
  return items.slice(offset, Math.min(offset + limit, items.length));
}
