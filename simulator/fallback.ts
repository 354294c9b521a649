/**
 * 3.x `resources.kubesphere.io/v1alpha3` fallback: kinds missing from the
 * v1alpha3 getter table (cronjobs, horizontalpodautoscalers, storageclasses)
 * go to the old v1alpha2 searchers (release-3.4:pkg/kapis/resources/v1alpha3/handler.go
 * `fallback`, release-3.4:pkg/models/resources/v1alpha2/...). Those have their
 * own semantics: only `q.Filters` is translated into v1alpha2 conditions, so
 * `labelSelector` is dropped; matching, sorting and paging are v1alpha2's.
 */
import { T } from './resources.ts';
import type { ListQuery, ListResult } from './query.ts';
import type { ClusterStore } from './store.ts';
import type { KObject } from './types.ts';

interface Conditions {
  match: Map<string, string>;
  fuzzy: Map<string, string>;
}

/** `handler.fallback`: v1alpha3 filter names → v1alpha2 conditions (release-3.4:pkg/kapis/resources/v1alpha3/handler.go). */
function conditionsOf(filters: Map<string, string>): Conditions {
  const match = new Map<string, string>();
  const fuzzy = new Map<string, string>();
  for (const [field, value] of filters) {
    switch (field) {
      case 'name':
        fuzzy.set('name', value);
        break;
      case 'names':
        match.set('name', value);
        break;
      case 'creationTimestamp':
        match.set('createTime', value);
        break;
      case 'lastUpdateTimestamp':
        match.set('updateTime', value);
        break;
      case 'label': {
        const i = value.indexOf(':');
        if (i >= 0) match.set(value.slice(0, i), value.slice(i + 1));
        else match.set('label', value);
        break;
      }
      case 'annotation': {
        const i = value.indexOf(':');
        match.set('Annotation', i >= 0 ? value.slice(i + 1) : value);
        break;
      }
      case 'status':
        match.set('status', value);
        break;
      case 'ownerReference':
        match.set('owner', value);
        break;
      default:
        match.set(field, value);
    }
  }
  return { match, fuzzy };
}

/** `FuzzyMatch` (release-3.4:pkg/models/resources/v1alpha2/interface.go). */
function fuzzyMatch(map: Record<string, string> | undefined, key: string, value: string): boolean {
  const val = map?.[key];
  if (value === '') return val === undefined || val === '';
  return (val ?? '').includes(value);
}

/** `ObjectMetaExactlyMath`: unknown keys compare a label of that name (so `status` on HPAs is a label). */
function exactly(key: string, value: string, o: KObject): boolean {
  const m = o.metadata;
  switch (key) {
    case 'name':
      return value.split(',').includes(m.name);
    case 'keyword':
      return m.name.includes(value) || fuzzyMatch(m.labels, '', value) || fuzzyMatch(m.annotations, '', value);
    case 'owner':
      return (m.ownerReferences ?? []).some((r) => r.uid === value);
    default:
      return m.labels?.[key] === value;
  }
}

/** `ObjectMetaFuzzyMath`; its Annotation case always fails, as the Go code does. */
function fuzzy(key: string, value: string, o: KObject): boolean {
  const m = o.metadata;
  switch (key) {
    case 'name':
      return m.name.includes(value) || (m.annotations?.['kubesphere.io/alias-name'] ?? '').includes(value);
    case 'label':
      return fuzzyMatch(m.labels, '', value);
    case 'Annotation':
      return false;
    case 'app':
      return (m.labels?.chart ?? '').includes(value) || (m.labels?.release ?? '').includes(value);
    default:
      return fuzzyMatch(m.labels, key, value);
  }
}

const spec = (o: KObject) => (o.spec as Record<string, any> | undefined) ?? {};
const status = (o: KObject) => (o.status as Record<string, any> | undefined) ?? {};

/** Per-kind `match` of the v1alpha2 searchers. */
function matches(type: string, match: Map<string, string>, o: KObject): boolean {
  for (const [k, v] of match) {
    if (type === T.cronjob && k === 'status') {
      if ((spec(o).suspend ? 'paused' : 'running') !== v) return false;
    } else if (type === T.hpa && (k === 'targetKind' || k === 'targetName')) {
      const ref = spec(o).scaleTargetRef ?? {};
      if (ref.kind !== (match.get('targetKind') ?? '') || ref.name !== (match.get('targetName') ?? '')) return false;
    } else if (!exactly(k, v, o)) return false;
  }
  return true;
}

/** `ObjectMetaCompare` ("left before right"): only `createTime` sorts by time; everything else, the default `creationTimestamp` included, by name. */
function before(l: KObject, r: KObject, orderBy: string, type: string): boolean {
  if (type === T.cronjob && orderBy === 'lastScheduleTime') {
    const lt = status(l).lastScheduleTime as string | undefined;
    const rt = status(r).lastScheduleTime as string | undefined;
    if (!lt) return true;
    if (!rt) return false;
    return Date.parse(lt) < Date.parse(rt);
  }
  if (orderBy === 'createTime') {
    const lc = Date.parse(l.metadata.creationTimestamp ?? '');
    const rc = Date.parse(r.metadata.creationTimestamp ?? '');
    if (lc === rc) {
      const ln = l.metadata.namespace ?? '';
      const rn = r.metadata.namespace ?? '';
      return ln === rn ? l.metadata.name < r.metadata.name : ln < rn;
    }
    return lc < rc;
  }
  return l.metadata.name <= r.metadata.name;
}

/** `kubesphere.io/pvc-count`, which the storage class searcher adds to listed (not fetched) classes. */
function withPvcCount(sc: KObject, store: ClusterStore): KObject {
  const count = store
    .list(T.pvc)
    .filter(
      (p) => spec(p).storageClassName === sc.metadata.name || p.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] === sc.metadata.name,
    ).length;
  return { ...sc, metadata: { ...sc.metadata, annotations: { ...sc.metadata.annotations, 'kubesphere.io/pvc-count': String(count) } } };
}

export function listFallback(objects: readonly KObject[], query: ListQuery, type: string, store: ClusterStore): ListResult {
  const { match, fuzzy: fuzzyConds } = conditionsOf(query.filters);
  const filtered =
    match.size === 0 && fuzzyConds.size === 0
      ? [...objects]
      : objects.filter((o) => matches(type, match, o) && [...fuzzyConds].every(([k, v]) => fuzzy(k, v, o)));
  const reverse = !query.ascending;
  // Go's sort.Slice is not stable; the simulator is, in store order.
  filtered.sort((a, b) => {
    const [l, r] = reverse ? [b, a] : [a, b];
    const lr = before(l, r, query.sortBy, type);
    const rl = before(r, l, query.sortBy, type);
    return lr === rl ? 0 : lr ? -1 : 1;
  });
  let { limit } = query;
  const { offset } = query;
  // Go slices result[offset:offset+limit]; an offset past the end panics there, the simulator answers an empty page.
  if (offset < 0 || offset > filtered.length) return { items: [], totalItems: filtered.length };
  if (limit === -1 || limit + offset > filtered.length) limit = filtered.length - offset;
  const page = filtered.slice(offset, offset + Math.max(limit, 0));
  return { items: type === T.storageclass ? page.map((sc) => withPvcCount(sc, store)) : page, totalItems: filtered.length };
}
