/**
 * Loaders for Kubernetes objects: by name, whole lists, the items of a
 * scope, and events. Names become a v1alpha3 `names=` filter; edges load at
 * most one list per parent, narrowed upstream. Keys from different clusters
 * never share a call; names from different namespaces share one cluster-wide
 * `names=` call when the caller may make it.
 */
import { notFound } from '../errors.ts';
import type { KubeSphereApi, ListQuery } from '../kubesphere/api.ts';
import type { EventResource, KubeObject, ListResult } from '../kubesphere/types.ts';
import { selectorMatcher } from '../model/selector.ts';
import { groupBy, isForbidden, json, ObservedLoader, perKey, settle, toError, type Cluster } from './batch.ts';

export interface ObjectKey {
  cluster?: Cluster;
  /** Resource plural, e.g. `nodes`. */
  resource: string;
  namespace?: string | null | undefined;
  name: string;
}

export interface ListKey {
  cluster?: Cluster;
  resource: string;
  namespace?: string | null | undefined;
  query?: ListQuery;
  /** Native field selector, for kinds read from the native API (events). */
  fieldSelector?: string | undefined;
}

/**
 * The items of one kind in a namespace (or, none given, the whole cluster),
 * optionally narrowed upstream to an owner's: its label selector or its UID.
 */
export interface ScopeKey {
  cluster?: Cluster;
  resource: string;
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  ownerReference?: string | undefined;
}

/** The object whose events are wanted. */
export interface EventKey {
  cluster?: Cluster;
  namespace?: string | undefined;
  uid: string;
}

const describe = (key: ObjectKey) => (key.namespace ? `${key.resource} "${key.namespace}/${key.name}"` : `${key.resource} "${key.name}"`);

export function createKubeLoaders(api: KubeSphereApi) {
  /** A whole list per scope and query; identical lists in one request are fetched once. */
  const list = perKey<ListKey, ListResult>(
    'list',
    (key) => api.list(key.resource, key, key.query, key.fieldSelector),
    (key) => json(key.cluster, key.resource, key.namespace, key.query, key.fieldSelector),
  );

  /**
   * Namespaces whose items of a kind were asked for early, in parallel with
   * the page of their parents (`prefetchScope`): the items when the bounded
   * list held them all, else undefined, and the edges make their own calls.
   */
  const early = new Map<string, Promise<KubeObject[] | undefined>>();

  /**
   * Starts reading at most `max` items of a kind in one namespace, before the
   * parents whose edges will want them are known, so that those edges need no
   * round trip of their own. `max` bounds the bytes read whatever the cluster's
   * size; a namespace with more items is left to the edges' scoped calls.
   */
  function prefetchScope(key: { cluster?: Cluster; resource: string; namespace: string }, max: number): void {
    const id = json(key.cluster, key.resource, key.namespace);
    if (early.has(id)) return;
    early.set(
      id,
      api.list(key.resource, key, { limit: max }).then(
        (result) => (result.items.length >= result.totalItems ? result.items : undefined),
        // The edges' own calls report whatever this failed with.
        () => undefined,
      ),
    );
  }

  /**
   * Items of one scope for edges such as `Deployment.pods`: one call per
   * scope, never one cluster-wide list shared by several parents, so what an
   * edge reads grows with its parent, not with the cluster. A namespace read
   * whole by `prefetchScope` is narrowed here instead, by the same rules.
   */
  const itemsByScope = perKey<ScopeKey, KubeObject[]>(
    'itemsByScope',
    async (key) => {
      const whole = key.namespace === undefined ? undefined : await early.get(json(key.cluster, key.resource, key.namespace));
      if (whole) {
        const selected = key.labelSelector ? selectorMatcher(key.labelSelector) : () => true;
        return whole.filter(
          (item) => selected(item.metadata?.labels) && (!key.ownerReference || !!item.metadata?.ownerReferences?.some((ref) => ref.uid === key.ownerReference)),
        );
      }
      return (
        await list.load({
          cluster: key.cluster,
          resource: key.resource,
          namespace: key.namespace,
          query: { limit: -1, labelSelector: key.labelSelector, ownerReference: key.ownerReference },
        })
      ).items;
    },
    (key) => json(key.cluster, key.resource, key.namespace, key.labelSelector, key.ownerReference),
  );

  /**
   * An object by name. One key: a plain get. Several of one kind: one
   * `names=` list per namespace, or one cluster-wide `names=` list when they
   * span namespaces (per namespace again if that is forbidden). Kinds served
   * by the native API, which has no `names=`: a get where a namespace has one
   * name, else that namespace's list.
   */
  const objectByName = new ObservedLoader<ObjectKey, KubeObject, string>(
    'objectByName',
    async (keys) => {
      const results: (KubeObject | Error)[] = new Array(keys.length);
      const found = (key: ObjectKey, items: KubeObject[]) =>
        items.find((item) => item.metadata?.name === key.name && (!key.namespace || item.metadata?.namespace === key.namespace)) ??
        notFound(`${describe(key)} not found`);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster, key.resource)).map(async ({ first, indexes }) => {
          try {
            const one = (index: number) => settle(api.get(keys[index]!.resource, keys[index]!)).then((value) => (results[index] = value));
            if (indexes.length === 1) return void (await one(indexes[0]!));
            if (!(await api.listsByNames(first.resource, first.cluster))) {
              await Promise.all(
                groupBy(indexes, (index) => json(keys[index]!.namespace)).map(async ({ first: index, indexes: group }) => {
                  const ids = group.map((i) => indexes[i]!);
                  if (new Set(ids.map((i) => keys[i]!.name)).size === 1) return void (await Promise.all(ids.map(one)));
                  const key = keys[index]!;
                  const items = await settle(itemsByScope.load({ cluster: key.cluster, resource: key.resource, namespace: key.namespace ?? undefined }));
                  for (const i of ids) results[i] = items instanceof Error ? items : found(keys[i]!, items);
                }),
              );
              return;
            }
            const byNamespace = groupBy(indexes, (index) => json(keys[index]!.namespace));
            const namesOf = (group: number[]) => [...new Set(group.map((index) => keys[index]!.name))];
            const fill = (group: number[], items: KubeObject[] | Error) => {
              for (const index of group) results[index] = items instanceof Error ? items : found(keys[index]!, items);
            };
            if (byNamespace.length > 1) {
              const wide = await settle(api.byNames(first.resource, { cluster: first.cluster }, namesOf(indexes), false));
              if (!isForbidden(wide)) return fill(indexes, wide);
            }
            // A caller who may not list (only get) falls back to one get per key, so each key gets its own answer.
            await Promise.all(
              byNamespace.map(async ({ first: index, indexes: group }) => {
                const ids = group.map((i) => indexes[i]!);
                const items = await settle(api.byNames(first.resource, { cluster: first.cluster, namespace: keys[index]!.namespace }, namesOf(ids), true));
                if (isForbidden(items)) await Promise.all(ids.map(one));
                else fill(ids, items);
              }),
            );
          } catch (error) {
            for (const index of indexes) results[index] = toError(error);
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.cluster, key.resource, key.namespace, key.name) },
  );

  /**
   * Events about objects, newest first, matched on `involvedObject.uid`:
   * their namespace's events (one list per namespace); events about
   * cluster-scoped objects (nodes) by a field selector on that UID, rather
   * than every event of the cluster.
   */
  const eventsOf = new ObservedLoader<EventKey, EventResource[], string>(
    'eventsOf',
    (keys) =>
      Promise.all(
        keys.map((key) =>
          settle(
            (key.namespace === undefined
              ? list.load({ cluster: key.cluster, resource: 'events', fieldSelector: `involvedObject.uid=${key.uid}` }).then((result) => result.items)
              : itemsByScope.load({ cluster: key.cluster, resource: 'events', namespace: key.namespace })
            ).then((items) => (items as EventResource[]).filter((event) => event.involvedObject?.uid === key.uid).sort(latestFirst)),
          ),
        ),
      ),
    { cacheKeyFn: (key) => json(key.cluster, key.namespace, key.uid) },
  );

  return { list, itemsByScope, prefetchScope, objectByName, eventsOf };
}

export type KubeLoaders = ReturnType<typeof createKubeLoaders>;

/** Events newest first by their last occurrence. */
export function latestFirst(a: EventResource, b: EventResource): number {
  const time = (e: EventResource) => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
  return time(b).localeCompare(time(a));
}
