/**
 * Loaders for Kubernetes objects: by name, whole lists, the items of a
 * namespace or node, and events. Names become a v1alpha3 `names=` filter;
 * edges load one list per scope and match locally. Keys from different
 * clusters never share a call; keys from different namespaces share one
 * cluster-wide call when the caller may make it.
 */
import DataLoader from 'dataloader';
import { notFound } from '../errors.ts';
import type { KubeSphereApi, ListQuery } from '../kubesphere/api.ts';
import type { EventResource, KubeObject, ListResult, PodResource } from '../kubesphere/types.ts';
import { groupBy, isForbidden, json, perKey, settle, toError, type Cluster } from './batch.ts';

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

/** A namespace's or a node's items of one kind, or (neither given) the whole cluster's. */
export interface ScopeKey {
  cluster?: Cluster;
  resource: string;
  namespace?: string | undefined;
  nodeName?: string | undefined;
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
    (key) => api.list(key.resource, key, key.query, key.fieldSelector),
    (key) => json(key.cluster, key.resource, key.namespace, key.query, key.fieldSelector),
  );

  /**
   * Items of a namespace, of a node, or of the whole cluster, for edges such
   * as `Deployment.pods` or `Node.pods`. One scope in a batch: a scoped list.
   * Several: one list of the whole cluster, grouped locally, so the cost
   * does not grow with the number of parents; a caller who may not list
   * cluster-wide falls back to one list per scope.
   */
  const itemsByScope = new DataLoader<ScopeKey, KubeObject[], string>(
    async (keys) => {
      const results: (KubeObject[] | Error)[] = new Array(keys.length);
      const mode = (key: ScopeKey) => (key.nodeName !== undefined ? 'node' : key.namespace !== undefined ? 'namespace' : 'all');
      const scoped = (key: ScopeKey) =>
        list.load({
          cluster: key.cluster,
          resource: key.resource,
          namespace: key.namespace,
          query: { limit: -1, ...(key.nodeName !== undefined && { nodeName: key.nodeName }) },
        });
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster, key.resource, mode(key))).map(async ({ first, indexes }) => {
          const wide = indexes.length > 1 ? await settle(list.load({ cluster: first.cluster, resource: first.resource, query: { limit: -1 } })) : undefined;
          await Promise.all(
            indexes.map(async (index) => {
              const key = keys[index]!;
              if (wide === undefined || isForbidden(wide)) results[index] = await settle(scoped(key).then((r) => r.items));
              else if (wide instanceof Error) results[index] = wide;
              else
                results[index] = wide.items.filter((item) =>
                  key.nodeName !== undefined ? (item as PodResource).spec?.nodeName === key.nodeName : item.metadata?.namespace === key.namespace,
                );
            }),
          );
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.cluster, key.resource, key.namespace, key.nodeName) },
  );

  /**
   * An object by name. One key: a plain get. Several of one kind: one
   * `names=` list per namespace, or one cluster-wide `names=` list when they
   * span namespaces (per namespace again if that is forbidden). Kinds served
   * by the native API, which has no `names=`, load their scopes' lists.
   */
  const objectByName = new DataLoader<ObjectKey, KubeObject, string>(
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
                indexes.map(async (index) => {
                  const key = keys[index]!;
                  const items = await settle(itemsByScope.load({ cluster: key.cluster, resource: key.resource, namespace: key.namespace ?? undefined }));
                  results[index] = items instanceof Error ? items : found(key, items);
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
   * Events about objects, newest first: their namespaces' events (one list,
   * cluster-wide when they span namespaces), matched on `involvedObject.uid`.
   * Events about cluster-scoped objects (nodes) come from the whole cluster.
   */
  const eventsOf = new DataLoader<EventKey, EventResource[], string>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          settle(
            itemsByScope
              .load({ cluster: key.cluster, resource: 'events', namespace: key.namespace })
              .then((items) => (items as EventResource[]).filter((event) => event.involvedObject?.uid === key.uid).sort(latestFirst)),
          ),
        ),
      ),
    { cacheKeyFn: (key) => json(key.cluster, key.namespace, key.uid) },
  );

  return { list, itemsByScope, objectByName, eventsOf };
}

export type KubeLoaders = ReturnType<typeof createKubeLoaders>;

/** Events newest first by their last occurrence. */
export function latestFirst(a: EventResource, b: EventResource): number {
  const time = (e: EventResource) => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
  return time(b).localeCompare(time(a));
}
