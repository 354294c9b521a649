/** Shared plumbing for list, get and edge resolvers: argument checks, filters, sorting and paging. */
import type { GraphQLContext } from '../context.ts';
import { badUserInput } from '../errors.ts';
import { listQuery, namespaceName, objectName, withQuery, type ListQuery, type Target } from '../kubesphere/paths.ts';
import { kindByPlural, kindPath, servedNatively } from '../kubesphere/resources.ts';
import { clusterOf, tagKind, type KubeObject, type ListResult } from '../kubesphere/types.ts';
import { filterQuery, filterRule, sortRule, type ListFilter, type ListSort } from '../model/filters.ts';
import { page } from '../model/paging.ts';

type Paging = { page?: number | null | undefined; limit?: number | null | undefined };

/** The arguments of every paged list and to-many edge. */
export interface EdgeArgs extends Paging {
  filter?: ListFilter | null | undefined;
  sort?: ListSort | null | undefined;
}

/** The arguments of a top-level list. */
export interface ListArgs extends EdgeArgs {
  cluster?: string | null | undefined;
  namespace?: string | null | undefined;
}

/** Checks paging against the configured maximum; a limit always goes upstream. */
function paging(args: Paging, lists: GraphQLContext['lists']) {
  const limit = args.limit ?? lists.defaultLimit;
  const pageNumber = args.page ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > lists.maxLimit) throw badUserInput(`limit must be between 1 and ${lists.maxLimit}.`);
  if (pageNumber < 1) throw badUserInput('page must be 1 or more.');
  return { page: pageNumber, limit };
}

/** The v1alpha3 query of a list: only documented parameters, paging checked. */
function upstreamQuery(resource: string, args: ListArgs, lists: GraphQLContext['lists']): ListQuery {
  return { ...filterQuery(resource, args.filter), sortBy: args.sort?.field, ascending: args.sort?.ascending, ...paging(args, lists) };
}

/**
 * A root list field: one v1alpha3 list call with only documented parameters.
 * Kinds this KubeSphere version serves only natively are listed whole (label
 * selector upstream) and filtered, sorted and paged here by the same rules.
 */
export async function listResources<T extends KubeObject>(resource: string, args: ListArgs, ctx: GraphQLContext): Promise<ListResult<T>> {
  const { cluster, namespace } = args;
  const target = await ctx.kubesphere.target(cluster);
  if (servedNatively(resource, target.family)) {
    return pageItems(resource, args, ctx, target, async () => {
      const { items } = await ctx.loaders.list.load({ cluster, resource, namespace, query: { labelSelector: args.filter?.labelSelector } });
      return items as T[];
    });
  }
  const result = await listAt<T>((t) => kindPath(t, { resource, namespace }), resource, args, ctx);
  const kind = kindByPlural(resource)?.kind;
  if (kind) for (const item of result.items) tagKind(item, kind);
  return result;
}

/**
 * A root list on any KubeSphere list route (v1alpha3, tenant, IAM): paging
 * checked, only documented parameters sent, items tagged with the cluster.
 */
export async function listAt<T extends KubeObject>(
  path: (target: Target) => string,
  resource: string,
  args: ListArgs,
  { kubesphere, lists }: GraphQLContext,
): Promise<ListResult<T>> {
  const query = upstreamQuery(resource, args, lists);
  const target = await kubesphere.target(args.cluster);
  return kubesphere.list<T>(withQuery(path(target), listQuery(query)), { ...query, cluster: args.cluster });
}

/** A root get field: validated before any upstream call, then batched by the loader. */
export function getResource<T extends KubeObject>(
  resource: string,
  args: { name: string; namespace?: string | null | undefined; cluster?: string | null | undefined },
  { loaders }: GraphQLContext,
): Promise<T> {
  if (args.namespace !== undefined && args.namespace !== null) namespaceName(args.namespace);
  objectName(args.name);
  return loaders.objectByName.load({ resource, name: args.name, namespace: args.namespace, cluster: args.cluster }) as Promise<T>;
}

/** The list and get root fields of a kind (`deployments` / `deployment`). */
export function rootFields<T extends KubeObject>(resource: string) {
  return {
    list: (_parent: unknown, args: ListArgs, ctx: GraphQLContext) => listResources<T>(resource, args, ctx),
    get: (_parent: unknown, args: Parameters<typeof getResource>[1], ctx: GraphQLContext) => getResource<T>(resource, args, ctx),
  };
}

/**
 * Filters, sorts and pages items the facade loaded whole, with KubeSphere's
 * rules for `resource` on the target's version. Paging is checked before
 * `load` runs, so a bad limit costs no upstream call.
 */
export async function pageItems<T extends KubeObject>(resource: string, args: EdgeArgs, ctx: GraphQLContext, target: Target, load: () => Promise<T[]>) {
  const { page: pageNumber, limit } = paging(args, ctx.lists);
  const keep = filterRule(resource, args.filter, target.family);
  return page((await load()).filter(keep), pageNumber, limit, sortRule(resource, args.sort));
}

/** A to-many edge of `parent`: the loaded items, filtered, sorted and paged as the top-level list of `resource` would be. */
export async function pageEdge<T extends KubeObject>(resource: string, parent: KubeObject, args: EdgeArgs, ctx: GraphQLContext, load: () => Promise<T[]>) {
  paging(args, ctx.lists);
  return pageItems(resource, args, ctx, await ctx.kubesphere.target(clusterOf(parent)), load);
}

/** Pages items that have no KubeSphere filter or sort (memberships), in the given order. */
export async function pageLocally<T>(args: Paging, lists: GraphQLContext['lists'], load: () => Promise<T[]>, compare?: (a: T, b: T) => number) {
  const { page: pageNumber, limit } = paging(args, lists);
  return page(await load(), pageNumber, limit, compare);
}

/** The objects of one kind in the namespace of `parent` (or named `namespace`), from the per-request scope loader. */
export function inNamespace<T extends KubeObject>(
  parent: KubeObject,
  resource: string,
  { loaders }: GraphQLContext,
  namespace = parent.metadata?.namespace ?? '',
) {
  return loaders.itemsByScope.load({ cluster: clusterOf(parent), resource, namespace }) as Promise<T[]>;
}

/** A `Namespace.<kind>` edge: the namespace's objects of one kind, filtered, sorted and paged like the top-level list. */
export const namespaceList =
  <T extends KubeObject>(resource: string) =>
  (ns: KubeObject, args: EdgeArgs, ctx: GraphQLContext) =>
    pageEdge(resource, ns, args, ctx, () => inNamespace<T>(ns, resource, ctx, ns.metadata?.name ?? ''));
