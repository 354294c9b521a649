/** Shared plumbing for list, get and edge resolvers: argument checks, filters, sorting and paging. */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { GraphQLContext } from '../context.ts';
import { badUserInput } from '../errors.ts';
import type { ListQuery } from '../kubesphere/api.ts';
import { namespaceName, objectName, type ApiFamily } from '../kubesphere/paths.ts';
import { clusterOf, type KubeObject, type ListResult } from '../kubesphere/types.ts';
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
export function paging(args: Paging, lists: GraphQLContext['lists']) {
  const limit = args.limit ?? lists.defaultLimit;
  const pageNumber = args.page ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > lists.maxLimit) throw badUserInput(`limit must be between 1 and ${lists.maxLimit}.`);
  if (pageNumber < 1) throw badUserInput('page must be 1 or more.');
  return { page: pageNumber, limit };
}

/**
 * A root list field of a kind. The API sends what the upstream route
 * honours and filters, sorts and pages the rest itself, by the same rules.
 */
export function listResources<T extends KubeObject>(resource: string, args: ListArgs, ctx: GraphQLContext): Promise<ListResult<T>> {
  return listAt(resource, (cluster, query) => ctx.api.list(resource, { cluster, namespace: args.namespace }, query) as Promise<ListResult<T>>, args, ctx);
}

/**
 * A root list on any KubeSphere list (kinds, tenant, IAM): the filter and
 * sort inputs become KubeSphere's query parameters, and paging is checked
 * before the API is asked.
 */
export async function listAt<T extends KubeObject>(
  resource: string,
  list: (cluster: string | null | undefined, query: ListQuery) => Promise<ListResult<T>>,
  args: ListArgs,
  { lists }: GraphQLContext,
): Promise<ListResult<T>> {
  return list(args.cluster, edgeQuery(resource, args, lists));
}

/** The v1alpha3 query of a list's filter, sort and page, checked before any call. */
function edgeQuery(resource: string, args: EdgeArgs, lists: GraphQLContext['lists']): ListQuery {
  return { ...filterQuery(resource, args.filter), sortBy: args.sort?.field, ascending: args.sort?.ascending, ...paging(args, lists) };
}

/**
 * A to-many edge that is the top-level list of `resource` narrowed to its
 * parent's namespace or node: KubeSphere filters, sorts, pages and counts it
 * in one call per parent, so it returns the top-level list's items by
 * construction and reads only the page (`limit: 1` reads one item to count).
 */
export function scopedList<T extends KubeObject>(
  resource: string,
  parent: KubeObject,
  scope: { namespace?: string; nodeName?: string },
  args: EdgeArgs,
  { loaders, lists }: GraphQLContext,
): Promise<ListResult<T>> {
  const query = edgeQuery(resource, args, lists);
  if (scope.nodeName !== undefined) {
    if (query.nodeName && query.nodeName !== scope.nodeName) return Promise.resolve({ items: [], totalItems: 0 });
    query.nodeName = scope.nodeName;
  }
  return loaders.list.load({ cluster: clusterOf(parent), resource, namespace: scope.namespace, query }) as Promise<ListResult<T>>;
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

/** Whether the field being resolved selects a path of fields (`items.pods`), through fragments; directives are ignored. */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  const walk = (set: SelectionSetNode | undefined, depth: number): boolean =>
    !!set &&
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === path[depth] && (depth === path.length - 1 || walk(selection.selectionSet, depth + 1));
      return walk((selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value])?.selectionSet, depth);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet, 0));
}

/** Kinds whose `pods` edge reads the pods of their namespace narrowed by their selector (`itemsByScope`). */
const POD_OWNERS = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs']);
/** How many pods per parent on the page a namespace may hold and still be read whole, early. */
const PODS_PER_PARENT = 10;

/**
 * Plans from the selection set: a page of pod owners in one namespace that
 * asks for their pods gets that namespace's pods read in parallel with the
 * page, instead of one round trip later by selector. The read is bounded by
 * the page (at most PODS_PER_PARENT pods per parent), so it never grows with
 * the cluster; a fuller namespace is left to the per-owner calls.
 */
function prefetchPods(resource: string, args: ListArgs, ctx: GraphQLContext, info: GraphQLResolveInfo | undefined): void {
  if (!info || !args.namespace || !POD_OWNERS.has(resource) || !selects(info, ['items', 'pods'])) return;
  const limit = args.limit ?? ctx.lists.defaultLimit;
  // A page the list will refuse costs no upstream call.
  if (!Number.isInteger(limit) || limit < 1 || limit > ctx.lists.maxLimit || (args.page ?? 1) < 1) return;
  ctx.loaders.prefetchScope({ cluster: args.cluster, resource: 'pods', namespace: args.namespace }, Math.min(ctx.lists.maxLimit, PODS_PER_PARENT * limit));
}

/** The list and get root fields of a kind (`deployments` / `deployment`). */
export function rootFields<T extends KubeObject>(resource: string) {
  return {
    list: (_parent: unknown, args: ListArgs, ctx: GraphQLContext, info?: GraphQLResolveInfo) => {
      prefetchPods(resource, args, ctx, info);
      return listResources<T>(resource, args, ctx);
    },
    get: (_parent: unknown, args: Parameters<typeof getResource>[1], ctx: GraphQLContext) => getResource<T>(resource, args, ctx),
  };
}

/**
 * Filters, sorts and pages items the facade loaded whole, with KubeSphere's
 * rules for `resource` on `family`. Paging is checked before `load` runs, so
 * a bad limit costs no upstream call.
 */
export async function pageItems<T extends KubeObject>(resource: string, args: EdgeArgs, ctx: GraphQLContext, family: ApiFamily, load: () => Promise<T[]>) {
  const { page: pageNumber, limit } = paging(args, ctx.lists);
  const keep = filterRule(resource, args.filter, family);
  return page((await load()).filter(keep), pageNumber, limit, sortRule(resource, args.sort));
}

/** A to-many edge of `parent`: the loaded items, filtered, sorted and paged as the top-level list of `resource` would be. */
export async function pageEdge<T extends KubeObject>(resource: string, parent: KubeObject, args: EdgeArgs, ctx: GraphQLContext, load: () => Promise<T[]>) {
  paging(args, ctx.lists);
  const { family } = await ctx.kubesphere.target(clusterOf(parent));
  return pageItems(resource, args, ctx, family, load);
}

/** Pages items that have no KubeSphere filter or sort (memberships, events), in the given order. */
export async function pageLocally<T>(args: Paging, lists: GraphQLContext['lists'], load: () => Promise<T[]>, compare?: (a: T, b: T) => number) {
  const { page: pageNumber, limit } = paging(args, lists);
  return page(await load(), pageNumber, limit, compare);
}

/**
 * The objects of one kind in the namespace of `parent` (or named `namespace`), from the per-request scope loader,
 * narrowed upstream by `owner` (a label selector or an owner's UID) when given.
 */
export function inNamespace<T extends KubeObject>(
  parent: KubeObject,
  resource: string,
  { loaders }: GraphQLContext,
  namespace = parent.metadata?.namespace ?? '',
  owner: { labelSelector?: string; ownerReference?: string } = {},
) {
  return loaders.itemsByScope.load({ cluster: clusterOf(parent), resource, namespace, ...owner }) as Promise<T[]>;
}

/** A `Namespace.<kind>` edge: the top-level list of the kind in that namespace. */
export const namespaceList =
  <T extends KubeObject>(resource: string) =>
  (ns: KubeObject, args: EdgeArgs, ctx: GraphQLContext) =>
    scopedList<T>(resource, ns, { namespace: ns.metadata?.name ?? '' }, args, ctx);
