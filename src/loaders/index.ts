/**
 * Per-request DataLoaders. Each turns many lookups of one kind in one scope
 * into one upstream call: names become a v1alpha3 `names=` filter, and
 * selector edges load one list per scope and match locally. Keys from
 * different clusters never share a call; keys from different namespaces
 * share one cluster-wide call when the caller may make it.
 */
import DataLoader from 'dataloader';
import { FacadeError, notFound } from '../errors.ts';
import type { KubeSphereSession } from '../kubesphere/client.ts';
import { iam, iamUser, iamWorkspaceMembers, listQuery, tenant, tenantWorkspace, withQuery, type ListQuery, type Target } from '../kubesphere/paths.ts';
import { kindByPlural, kindPath, servedNatively } from '../kubesphere/resources.ts';
import { clusterOf, tagKind, type EventResource, type KubeObject, type ListResult, type PodResource, type UserResource, type WorkspaceMembership, type WorkspaceResource } from '../kubesphere/types.ts';

/** Upstream URLs stay under a few kilobytes: `names=` batches are split at this many characters. */
const MAX_NAMES_LENGTH = 2_000;

type Cluster = string | null | undefined;

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

export interface NamedKey {
  cluster?: Cluster;
  name: string;
}

const json = (...parts: unknown[]) => JSON.stringify(parts.map((p) => p ?? null));

/** Groups keys, keeping each key's position so results return in key order. */
function groupBy<K>(keys: readonly K[], by: (key: K) => string): { first: K; indexes: number[] }[] {
  const groups = new Map<string, { first: K; indexes: number[] }>();
  keys.forEach((key, index) => {
    const id = by(key);
    const group = groups.get(id);
    if (group) group.indexes.push(index);
    else groups.set(id, { first: key, indexes: [index] });
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
const isForbidden = (error: unknown) => error instanceof FacadeError && error.code === 'FORBIDDEN';
const settle = <T>(promise: Promise<T>): Promise<T | Error> => promise.catch((error: unknown) => toError(error));

/** The native API has no `names`/`name`/`nodeName` filters: apply them to the loaded items. */
function filterLocally(result: ListResult, query: ListQuery): ListResult {
  const names = query.names ? new Set(query.names) : undefined;
  const items = result.items.filter(
    (item) =>
      (!names || names.has(item.metadata?.name ?? '')) &&
      (!query.name || (item.metadata?.name ?? '').includes(query.name)) &&
      (!query.namespace || item.metadata?.namespace === query.namespace) &&
      (!query.nodeName || (item as PodResource).spec?.nodeName === query.nodeName),
  );
  return items.length === result.items.length ? result : { items, totalItems: items.length };
}

export function createLoaders(kubesphere: KubeSphereSession) {
  /** A loader that fetches each distinct key on its own, with the key's cluster routing resolved. */
  function perKey<K extends { cluster?: Cluster }, V>(fetch: (key: K, target: Target) => Promise<V>, cacheKeyFn: (key: K) => string) {
    return new DataLoader<K, V, string>((keys) => Promise.all(keys.map((key) => settle(kubesphere.target(key.cluster).then((target) => fetch(key, target))))), { cacheKeyFn });
  }

  /** A whole list per scope and query, on the API that serves the kind; identical lists in one request are fetched once. */
  const list = perKey<ListKey, ListResult>(
    async (key, target) => {
      const query = key.query ?? { limit: -1 };
      const native = servedNatively(key.resource, target.family);
      const path = kindPath(target, key, { query, fieldSelector: key.fieldSelector });
      const result = await kubesphere.list(path, native ? { cluster: key.cluster } : { ...query, cluster: key.cluster });
      const kind = kindByPlural(key.resource)?.kind;
      if (kind) for (const item of result.items) tagKind(item, kind);
      return native ? filterLocally(result, query) : result;
    },
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
        list.load({ cluster: key.cluster, resource: key.resource, namespace: key.namespace, query: { limit: -1, ...(key.nodeName !== undefined && { nodeName: key.nodeName }) } });
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster, key.resource, mode(key))).map(async ({ first, indexes }) => {
          const wide = indexes.length > 1 ? await settle(list.load({ cluster: first.cluster, resource: first.resource, query: { limit: -1 } })) : undefined;
          await Promise.all(
            indexes.map(async (index) => {
              const key = keys[index]!;
              if (wide === undefined || isForbidden(wide)) results[index] = await settle(scoped(key).then((r) => r.items));
              else if (wide instanceof Error) results[index] = wide;
              else results[index] = wide.items.filter((item) => (key.nodeName !== undefined ? (item as PodResource).spec?.nodeName === key.nodeName : item.metadata?.namespace === key.namespace));
            }),
          );
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.cluster, key.resource, key.namespace, key.nodeName) },
  );

  /** Objects by name through a `names=` list: one namespace (or cluster scope) per call, or cluster-wide for several. */
  async function byNames(target: Target, cluster: Cluster, resource: string, namespace: string | null | undefined, names: string[], exact: boolean) {
    const items: KubeObject[] = [];
    for (const chunk of chunkNames(names)) {
      const path = kindPath(target, { resource, namespace }, { query: { names: chunk, limit: exact ? chunk.length : -1 } });
      items.push(...(await kubesphere.list(path, { cluster })).items);
    }
    return items;
  }

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
        items.find((item) => item.metadata?.name === key.name && (!key.namespace || item.metadata?.namespace === key.namespace)) ?? notFound(`${describe(key)} not found`);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster, key.resource)).map(async ({ first, indexes }) => {
          const kind = kindByPlural(first.resource)?.kind;
          const tag = (value: KubeObject | Error) => (kind && !(value instanceof Error) ? tagKind(value, kind) : value);
          try {
            const target = await kubesphere.target(first.cluster);
            const one = (index: number) => settle(kubesphere.get(kindPath(target, keys[index]!), keys[index]!.cluster)).then((value) => (results[index] = tag(value)));
            if (indexes.length === 1) return void (await one(indexes[0]!));
            if (servedNatively(first.resource, target.family)) {
              await Promise.all(
                indexes.map(async (index) => {
                  const key = keys[index]!;
                  const items = await settle(itemsByScope.load({ cluster: key.cluster, resource: key.resource, namespace: key.namespace ?? undefined }));
                  results[index] = items instanceof Error ? items : tag(found(key, items));
                }),
              );
              return;
            }
            const byNamespace = groupBy(indexes, (index) => json(keys[index]!.namespace));
            const namesOf = (group: number[]) => [...new Set(group.map((index) => keys[index]!.name))];
            const fill = (group: number[], items: KubeObject[] | Error) => {
              for (const index of group) results[index] = items instanceof Error ? items : tag(found(keys[index]!, items));
            };
            if (byNamespace.length > 1) {
              const wide = await settle(byNames(target, first.cluster, first.resource, undefined, namesOf(indexes), false));
              if (!isForbidden(wide)) return fill(indexes, wide);
            }
            // A caller who may not list (only get) falls back to one get per key, so each key gets its own answer.
            await Promise.all(
              byNamespace.map(async ({ first: index, indexes: group }) => {
                const ids = group.map((i) => indexes[i]!);
                const items = await settle(byNames(target, first.cluster, first.resource, keys[index]!.namespace, namesOf(ids), true));
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

  const names = (path: string, chunk: string[]) => withQuery(path, listQuery({ names: chunk, limit: chunk.length }));

  /** Workspaces by name, through the tenant API. One name: `workspaces/{ws}`, so a non-member gets FORBIDDEN, not an empty list. */
  const workspaceByName = namedLoader<WorkspaceResource>(
    'workspace',
    (target, cluster, name) => kubesphere.get<WorkspaceResource>(tenantWorkspace(target, name), cluster),
    async (target, cluster, chunk) => (await kubesphere.list<WorkspaceResource>(names(tenant(target, 'workspaces'), chunk), { cluster })).items,
  );

  /** Users by name, through the IAM API. One name: `users/{name}`, which a user may always read about themselves. */
  const userByName = namedLoader<UserResource>(
    'user',
    (target, cluster, name) => kubesphere.get<UserResource>(iamUser(target, name), cluster),
    async (target, cluster, chunk) => (await kubesphere.list<UserResource>(names(iam(target, 'users'), chunk), { cluster })).items,
  );

  /** Clusters by name, from the caller-visible tenant list (there is no tenant get of one cluster). */
  const clusterByName = namedLoader<KubeObject>('cluster', undefined, async (target, _cluster, chunk) => (await kubesphere.list(names(tenant(target, 'clusters'), chunk))).items);

  /**
   * Loads named global objects: one name by `getOne`, several by `names=`
   * chunks, one group per cluster. A name the list did not return (or a list
   * the caller may not make) is asked for on its own, so that the upstream
   * answers FORBIDDEN or NOT_FOUND for that key alone.
   */
  function namedLoader<T extends KubeObject>(
    what: string,
    getOne: ((target: Target, cluster: Cluster, name: string) => Promise<T>) | undefined,
    getMany: (target: Target, cluster: Cluster, chunk: string[]) => Promise<T[]>,
  ) {
    return new DataLoader<NamedKey, T, string>(
      async (keys) => {
        const results = new Map<string, T | Error>();
        await Promise.all(
          groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
            const cluster = first.cluster;
            const all = [...new Set(indexes.map((index) => keys[index]!.name))];
            const one = async (target: Target, name: string) => results.set(json(cluster, name), await settle(getOne!(target, cluster, name)));
            await Promise.all(
              chunkNames(all).map(async (chunk) => {
                try {
                  const target = await kubesphere.target(cluster);
                  if (getOne && all.length === 1) return void (await one(target, chunk[0]!));
                  const items = await settle(getMany(target, cluster, chunk));
                  if (items instanceof Error && !(getOne && isForbidden(items))) throw items;
                  for (const item of items instanceof Error ? [] : items) results.set(json(cluster, item.metadata?.name), item);
                  if (getOne) await Promise.all(chunk.filter((name) => !results.has(json(cluster, name))).map((name) => one(target, name)));
                } catch (error) {
                  for (const name of chunk) results.set(json(cluster, name), toError(error));
                }
              }),
            );
          }),
        );
        return keys.map((key) => results.get(json(key.cluster, key.name)) ?? notFound(`${what} "${key.name}" not found`));
      },
      { cacheKeyFn: (key) => json(key.cluster, key.name) },
    );
  }

  /** A whole tenant-API list (`workspaces`, `namespaces`, ...), fetched once per request. */
  const tenantList = perKey<{ cluster?: Cluster; segments: string[] }, KubeObject[]>(
    async (key, target) => {
      const [first, workspace, ...rest] = key.segments;
      const path = first === 'workspaces' && workspace !== undefined ? tenantWorkspace(target, workspace, ...rest) : tenant(target, ...key.segments);
      return (await kubesphere.list(withQuery(path, listQuery({ limit: -1 })), { cluster: key.cluster })).items;
    },
    (key) => json(key.cluster, ...key.segments),
  );

  /**
   * The projects of workspaces on one cluster, as the caller may see them.
   * One workspace: `workspaces/{ws}/namespaces`. Several: the tenant list of
   * every namespace the caller may see, grouped by workspace label.
   */
  const namespacesOfWorkspace = new DataLoader<NamedKey, KubeObject[], string>(
    async (keys) => {
      const results: (KubeObject[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
          const segments = indexes.length === 1 ? ['workspaces', first.name, 'namespaces'] : ['namespaces'];
          const all = await settle(tenantList.load({ cluster: first.cluster, segments }));
          if (!(all instanceof Error)) for (const item of all) tagKind(item, 'Namespace');
          for (const index of indexes) {
            results[index] = all instanceof Error ? all : all.filter((ns) => ns.metadata?.labels?.[WORKSPACE_LABEL] === keys[index]!.name);
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.cluster, key.name) },
  );

  /** The members of one workspace with their workspace roles (IAM `workspacemembers`). */
  const workspaceMembersList = perKey<NamedKey, WorkspaceMembership[]>(
    async (key, target) => {
      const { items } = await kubesphere.list<UserResource>(withQuery(iamWorkspaceMembers(target, key.name), listQuery({ limit: -1 })), { cluster: key.cluster });
      return items.map((user) => ({ workspace: key.name, role: user.metadata?.annotations?.[WORKSPACE_ROLE_ANNOTATION], cluster: key.cluster, user }));
    },
    (key) => json(key.cluster, key.name),
  );

  /**
   * Members of workspaces with their roles. One workspace: its
   * `workspacemembers`. Several: one list of their WorkspaceRoleBindings and
   * one `names=` lookup of the users bound, so the cost does not grow with
   * the number of workspaces; a caller who may not read bindings gets one
   * `workspacemembers` list per workspace.
   */
  const membersOfWorkspace = new DataLoader<NamedKey, WorkspaceMembership[], string>(
    async (keys) => {
      const results: (WorkspaceMembership[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
          const workspaces = [...new Set(indexes.map((index) => keys[index]!.name))];
          const bindings =
            workspaces.length > 1
              ? await settle(list.load({ cluster: first.cluster, resource: 'workspacerolebindings', query: { limit: -1, labelSelector: `${WORKSPACE_LABEL} in (${workspaces.join(',')})` } }))
              : undefined;
          await Promise.all(
            indexes.map(async (index) => {
              const key = keys[index]!;
              results[index] = await settle(
                bindings === undefined || isForbidden(bindings) ? workspaceMembersList.load(key) : membersFromBindings(key, bindings),
              );
            }),
          );
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.cluster, key.name) },
  );

  async function membersFromBindings(key: NamedKey, bindings: ListResult | Error): Promise<WorkspaceMembership[]> {
    if (bindings instanceof Error) throw bindings;
    const bound = bindings.items.filter((b) => b.metadata?.labels?.[WORKSPACE_LABEL] === key.name && b.metadata?.labels?.[USER_REF_LABEL]);
    const users = await userByName.loadMany(bound.map((b) => ({ cluster: key.cluster, name: b.metadata!.labels![USER_REF_LABEL]! })));
    return bound.flatMap((b, i) => {
      const user = users[i];
      if (user instanceof Error) throw user;
      return user ? [{ workspace: key.name, role: (b.roleRef as { name?: string } | undefined)?.name, cluster: key.cluster, user }] : [];
    });
  }

  /**
   * The workspaces users belong to, with their roles. One v1alpha3 list of
   * the users' WorkspaceRoleBindings for the whole batch; a caller who may
   * not read bindings gets the memberships of the workspaces they can see.
   */
  const workspacesOfUser = new DataLoader<NamedKey, WorkspaceMembership[], string>(
    async (keys) => {
      const results: (WorkspaceMembership[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
          const users = [...new Set(indexes.map((index) => keys[index]!.name))];
          const selector = `${USER_REF_LABEL} in (${users.join(',')})`;
          const bindings = await settle(list.load({ cluster: first.cluster, resource: 'workspacerolebindings', query: { limit: -1, labelSelector: selector } }));
          const viaBindings = async (userIndex: number) => {
            const key = keys[userIndex]!;
            if (bindings instanceof Error) throw bindings;
            const user = await userByName.load(key);
            return bindings.items
              .filter((b) => b.metadata?.labels?.[USER_REF_LABEL] === key.name && b.metadata?.labels?.[WORKSPACE_LABEL])
              .map((b) => ({ workspace: b.metadata!.labels![WORKSPACE_LABEL]!, role: (b.roleRef as { name?: string } | undefined)?.name, cluster: key.cluster, user }));
          };
          const viaVisibleWorkspaces = async (userIndex: number) => {
            const key = keys[userIndex]!;
            const visible = await tenantList.load({ cluster: key.cluster, segments: ['workspaces'] });
            for (const ws of visible) workspaceByName.prime({ cluster: key.cluster, name: ws.metadata?.name ?? '' }, ws as WorkspaceResource);
            const memberships = await Promise.all(visible.map((ws) => workspaceMembersList.load({ cluster: key.cluster, name: ws.metadata?.name ?? '' })));
            return memberships.flat().filter((m) => m.user.metadata?.name === key.name);
          };
          await Promise.all(
            indexes.map(async (index) => {
              results[index] = await settle(isForbidden(bindings) ? viaVisibleWorkspaces(index) : viaBindings(index));
            }),
          );
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => json(key.cluster, key.name) },
  );

  return { objectByName, list, itemsByScope, eventsOf, tenantList, workspaceByName, userByName, clusterByName, namespacesOfWorkspace, membersOfWorkspace, workspacesOfUser };
}

export type Loaders = ReturnType<typeof createLoaders>;

export const WORKSPACE_LABEL = 'kubesphere.io/workspace';
const USER_REF_LABEL = 'iam.kubesphere.io/user-ref';
const WORKSPACE_ROLE_ANNOTATION = 'iam.kubesphere.io/workspacerole';

/** Events newest first by their last occurrence. */
export function latestFirst(a: EventResource, b: EventResource): number {
  const time = (e: EventResource) => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
  return time(b).localeCompare(time(a));
}

/** The cluster an object came from, for keys of its edges. */
export { clusterOf };

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
