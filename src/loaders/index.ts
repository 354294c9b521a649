/**
 * Per-request DataLoaders. Each turns many lookups of one kind in one scope
 * into one upstream call: names become a v1alpha3 `names=` filter, and
 * selector edges load one list per scope and match locally.
 */
import DataLoader from 'dataloader';
import { FacadeError, notFound } from '../errors.ts';
import type { KubeSphereSession } from '../kubesphere/client.ts';
import { listQuery, resourcesV1alpha3, tenant, withQuery, type ListQuery } from '../kubesphere/paths.ts';
import type { KubeObject, ListResult, PodResource, WorkspaceResource } from '../kubesphere/types.ts';

/** Upstream URLs stay under a few kilobytes: `names=` batches are split at this many characters. */
const MAX_NAMES_LENGTH = 2_000;

export interface ObjectKey {
  cluster?: string | null | undefined;
  /** v1alpha3 resource plural, e.g. `nodes`. */
  resource: string;
  namespace?: string | null | undefined;
  name: string;
}

export interface ListKey {
  cluster?: string | null | undefined;
  resource: string;
  namespace?: string | null | undefined;
  query?: ListQuery;
}

/** A namespace's or a node's items of one kind. */
export type ScopeKey =
  | { cluster?: string | null | undefined; resource: string; namespace: string; nodeName?: undefined }
  | { cluster?: string | null | undefined; resource: string; namespace?: undefined; nodeName: string };

const scopeOf = (key: { cluster?: string | null | undefined; resource?: string; namespace?: string | null | undefined }) =>
  JSON.stringify([key.cluster ?? null, key.resource ?? null, key.namespace ?? null]);

/** Groups keys by scope, keeping each key's position so results return in key order. */
function groupByScope<K extends { cluster?: string | null | undefined; resource?: string; namespace?: string | null | undefined }>(keys: readonly K[]) {
  const groups = new Map<string, { first: K; indexes: number[] }>();
  keys.forEach((key, index) => {
    const scope = scopeOf(key);
    const group = groups.get(scope);
    if (group) group.indexes.push(index);
    else groups.set(scope, { first: key, indexes: [index] });
  });
  return [...groups.values()];
}

/** Splits names into chunks whose comma-joined length stays under the URL budget. */
export function chunkNames(names: readonly string[], budget = MAX_NAMES_LENGTH): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    if (current.length > 0 && length + name.length + 1 > budget) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(name);
    length += name.length + 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const describe = (key: ObjectKey) => (key.namespace ? `${key.resource} "${key.namespace}/${key.name}"` : `${key.resource} "${key.name}"`);

export function createLoaders(kubesphere: KubeSphereSession) {
  /** v1alpha3 object by name. One key: a plain get. Several in one scope: one `names=` list per URL-sized chunk. */
  const objectByName = new DataLoader<ObjectKey, KubeObject, string>(
    async (keys) => {
      const results: (KubeObject | Error)[] = new Array(keys.length);
      await Promise.all(
        groupByScope(keys).map(async ({ first, indexes }) => {
          const target = await kubesphere.target(first.cluster);
          if (indexes.length === 1) {
            const key = keys[indexes[0]!]!;
            results[indexes[0]!] = await kubesphere
              .get(resourcesV1alpha3(target, key), key.cluster)
              .catch((error: unknown) => toError(error));
            return;
          }
          const byName = new Map<string, number[]>();
          for (const index of indexes) {
            const name = keys[index]!.name;
            byName.set(name, [...(byName.get(name) ?? []), index]);
          }
          await Promise.all(
            chunkNames([...byName.keys()]).map(async (names) => {
              try {
                const scope = { resource: first.resource, namespace: first.namespace };
                const path = withQuery(resourcesV1alpha3(target, scope), listQuery({ names, limit: names.length }));
                const { items } = await kubesphere.list(path, { cluster: first.cluster });
                const found = new Map(items.map((item) => [item.metadata?.name, item]));
                for (const name of names) {
                  for (const index of byName.get(name)!) results[index] = found.get(name) ?? notFound(`${describe(keys[index]!)} not found`);
                }
              } catch (error) {
                for (const name of names) for (const index of byName.get(name)!) results[index] = toError(error);
              }
            }),
          );
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify([key.cluster ?? null, key.resource, key.namespace ?? null, key.name]) },
  );

  /** A whole v1alpha3 list per scope and query; identical lists in one request are fetched once. */
  const list = new DataLoader<ListKey, ListResult, string>(
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          try {
            const target = await kubesphere.target(key.cluster);
            const query = key.query ?? { limit: -1 };
            return await kubesphere.list(withQuery(resourcesV1alpha3(target, key), listQuery(query)), { ...query, cluster: key.cluster });
          } catch (error) {
            return toError(error);
          }
        }),
      ),
    { cacheKeyFn: (key) => JSON.stringify([key.cluster ?? null, key.resource, key.namespace ?? null, key.query ?? null]) },
  );

  /**
   * Items of a namespace or a node, for edges such as `Deployment.pods` or
   * `Node.pods`. One scope in a batch: a scoped list. Several: one list of
   * the whole cluster, grouped locally, so the cost does not grow with the
   * number of parents; a caller who may not list cluster-wide falls back to
   * one list per scope.
   */
  const itemsByScope = new DataLoader<ScopeKey, KubeObject[], string>(
    async (keys) => {
      const results: (KubeObject[] | Error)[] = new Array(keys.length);
      const groups = new Map<string, number[]>();
      keys.forEach((key, index) => {
        const group = JSON.stringify([key.cluster ?? null, key.resource, key.nodeName === undefined ? 'namespace' : 'nodeName']);
        groups.set(group, [...(groups.get(group) ?? []), index]);
      });
      const scoped = (key: ScopeKey) =>
        list.load({
          cluster: key.cluster,
          resource: key.resource,
          namespace: key.namespace,
          query: { limit: -1, ...(key.nodeName !== undefined && { nodeName: key.nodeName }) },
        });
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const first = keys[indexes[0]!]!;
          const wide =
            indexes.length > 1
              ? await list.load({ cluster: first.cluster, resource: first.resource, query: { limit: -1 } }).catch((error: unknown) => toError(error))
              : undefined;
          await Promise.all(
            indexes.map(async (index) => {
              const key = keys[index]!;
              try {
                if (wide === undefined || (wide instanceof FacadeError && wide.code === 'FORBIDDEN')) {
                  results[index] = (await scoped(key)).items;
                } else if (wide instanceof Error) {
                  results[index] = wide;
                } else {
                  results[index] = wide.items.filter((item) =>
                    key.nodeName === undefined ? item.metadata?.namespace === key.namespace : (item as PodResource).spec?.nodeName === key.nodeName,
                  );
                }
              } catch (error) {
                results[index] = toError(error);
              }
            }),
          );
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify([key.cluster ?? null, key.resource, key.namespace ?? null, key.nodeName ?? null]) },
  );

  /** Workspaces by name, through the tenant API (what the caller may see). */
  const workspaceByName = new DataLoader<string, WorkspaceResource, string>(async (names) => {
    const target = await kubesphere.target(null);
    const results = new Map<string, WorkspaceResource | Error>();
    await Promise.all(
      chunkNames([...new Set(names)]).map(async (chunk) => {
        try {
          const { items } = await kubesphere.list<WorkspaceResource>(withQuery(tenant(target, 'workspaces'), listQuery({ names: chunk, limit: chunk.length })));
          for (const item of items) if (item.metadata?.name) results.set(item.metadata.name, item);
        } catch (error) {
          for (const name of chunk) results.set(name, toError(error));
        }
      }),
    );
    return names.map((name) => results.get(name) ?? notFound(`workspace "${name}" not found`));
  });

  return { objectByName, list, itemsByScope, workspaceByName };
}

export type Loaders = ReturnType<typeof createLoaders>;

function toError(error: unknown): Error {
  return error instanceof FacadeError || error instanceof Error ? error : new Error(String(error));
}
