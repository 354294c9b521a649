/**
 * Loaders for KubeSphere's tenant and IAM objects: workspaces, users,
 * clusters, the projects of workspaces and memberships. What a token may see
 * is decided upstream, so a name a list did not return is asked for alone.
 */
import { notFound } from '../errors.ts';
import type { KubeSphereApi } from '../kubesphere/api.ts';
import type { KubeObject, ListResult, NamespaceResource, WorkspaceMembership, WorkspaceResource } from '../kubesphere/types.ts';
import { groupBy, isForbidden, json, ObservedLoader, perKey, settle, toError, type Cluster } from './batch.ts';
import type { KubeLoaders } from './kube.ts';

export const WORKSPACE_LABEL = 'kubesphere.io/workspace';
const USER_REF_LABEL = 'iam.kubesphere.io/user-ref';
const WORKSPACE_ROLE_ANNOTATION = 'iam.kubesphere.io/workspacerole';

export interface NamedKey {
  cluster?: Cluster;
  name: string;
}

export function createTenancyLoaders(api: KubeSphereApi, { list }: KubeLoaders) {
  /** Workspaces by name. One name: a get, so a non-member gets FORBIDDEN, not an empty list. */
  const workspaceByName = namedLoader(
    'workspace',
    (cluster, name) => api.workspace(cluster, name),
    (cluster, names) => api.workspacesByNames(cluster, names),
  );

  /** Users by name. One name: a get, which a user may always make about themselves. */
  const userByName = namedLoader(
    'user',
    (cluster, name) => api.user(cluster, name),
    (cluster, names) => api.usersByNames(cluster, names),
  );

  /** Clusters by name, from the caller-visible tenant list (there is no tenant get of one cluster). */
  const clusterByName = namedLoader('cluster', undefined, (_cluster, names) => api.clustersByNames(names));

  /**
   * Loads named global objects: one name by `getOne`, several by a `names=`
   * lookup, one group per cluster. A name the lookup did not return (or a
   * lookup the caller may not make) is asked for on its own, so that the
   * upstream answers FORBIDDEN or NOT_FOUND for that key alone.
   */
  function namedLoader<T extends KubeObject>(
    what: string,
    getOne: ((cluster: Cluster, name: string) => Promise<T>) | undefined,
    getMany: (cluster: Cluster, names: string[]) => Promise<T[]>,
  ) {
    return new ObservedLoader<NamedKey, T, string>(
      `${what}ByName`,
      async (keys) => {
        const results = new Map<string, T | Error>();
        await Promise.all(
          groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
            const cluster = first.cluster;
            const all = [...new Set(indexes.map((index) => keys[index]!.name))];
            const one = async (name: string) => results.set(json(cluster, name), await settle(getOne!(cluster, name)));
            try {
              if (getOne && all.length === 1) return void (await one(all[0]!));
              const items = await settle(getMany(cluster, all));
              if (items instanceof Error && !(getOne && isForbidden(items))) throw items;
              for (const item of items instanceof Error ? [] : items) results.set(json(cluster, item.metadata?.name), item);
              if (getOne) await Promise.all(all.filter((name) => !results.has(json(cluster, name))).map(one));
            } catch (error) {
              for (const name of all) results.set(json(cluster, name), toError(error));
            }
          }),
        );
        return keys.map((key) => results.get(json(key.cluster, key.name)) ?? notFound(`${what} "${key.name}" not found`));
      },
      { cacheKeyFn: (key) => json(key.cluster, key.name) },
    );
  }

  /** The workspaces the caller may see, fetched once per request and cluster. */
  const visibleWorkspaces = perKey<{ cluster?: Cluster }, WorkspaceResource[]>(
    'visibleWorkspaces',
    async (key) => (await api.workspaces(key.cluster)).items,
    (key) => json(key.cluster),
  );

  /** The projects of one workspace, or (none given) all the caller may see, fetched once per request. */
  const tenantNamespaces = perKey<{ cluster?: Cluster; workspace?: string | undefined }, NamespaceResource[]>(
    'tenantNamespaces',
    (key) => api.tenantNamespaces(key.cluster, key.workspace),
    (key) => json(key.cluster, key.workspace),
  );

  /**
   * The projects of workspaces on one cluster, as the caller may see them.
   * One workspace: `workspaces/{ws}/namespaces`. Several: the tenant list of
   * every namespace the caller may see, grouped by workspace label.
   */
  const namespacesOfWorkspace = new ObservedLoader<NamedKey, KubeObject[], string>(
    'namespacesOfWorkspace',
    async (keys) => {
      const results: (KubeObject[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
          const all = await settle(tenantNamespaces.load({ cluster: first.cluster, workspace: indexes.length === 1 ? first.name : undefined }));
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
    'workspaceMembersList',
    async (key) => {
      const items = await api.workspaceMembers(key.cluster, key.name);
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
  const membersOfWorkspace = new ObservedLoader<NamedKey, WorkspaceMembership[], string>(
    'membersOfWorkspace',
    async (keys) => {
      const results: (WorkspaceMembership[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
          const workspaces = [...new Set(indexes.map((index) => keys[index]!.name))];
          const bindings =
            workspaces.length > 1
              ? await settle(
                  list.load({
                    cluster: first.cluster,
                    resource: 'workspacerolebindings',
                    query: { limit: -1, labelSelector: `${WORKSPACE_LABEL} in (${workspaces.join(',')})` },
                  }),
                )
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
  const workspacesOfUser = new ObservedLoader<NamedKey, WorkspaceMembership[], string>(
    'workspacesOfUser',
    async (keys) => {
      const results: (WorkspaceMembership[] | Error)[] = new Array(keys.length);
      await Promise.all(
        groupBy(keys, (key) => json(key.cluster)).map(async ({ first, indexes }) => {
          const users = [...new Set(indexes.map((index) => keys[index]!.name))];
          const selector = `${USER_REF_LABEL} in (${users.join(',')})`;
          const bindings = await settle(
            list.load({ cluster: first.cluster, resource: 'workspacerolebindings', query: { limit: -1, labelSelector: selector } }),
          );
          const viaBindings = async (userIndex: number) => {
            const key = keys[userIndex]!;
            if (bindings instanceof Error) throw bindings;
            const user = await userByName.load(key);
            return bindings.items
              .filter((b) => b.metadata?.labels?.[USER_REF_LABEL] === key.name && b.metadata?.labels?.[WORKSPACE_LABEL])
              .map((b) => ({
                workspace: b.metadata!.labels![WORKSPACE_LABEL]!,
                role: (b.roleRef as { name?: string } | undefined)?.name,
                cluster: key.cluster,
                user,
              }));
          };
          const viaVisibleWorkspaces = async (userIndex: number) => {
            const key = keys[userIndex]!;
            const visible = await visibleWorkspaces.load({ cluster: key.cluster });
            for (const ws of visible) workspaceByName.prime({ cluster: key.cluster, name: ws.metadata?.name ?? '' }, ws);
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

  return { visibleWorkspaces, tenantNamespaces, workspaceByName, userByName, clusterByName, namespacesOfWorkspace, membersOfWorkspace, workspacesOfUser };
}
