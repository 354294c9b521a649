/** Shared plumbing for list and get resolvers: argument checks and loader calls. */
import type { GraphQLContext } from '../context.ts';
import { badUserInput } from '../errors.ts';
import type { ListQuery } from '../kubesphere/api.ts';
import { namespaceName, objectName } from '../kubesphere/paths.ts';
import { clusterOf, type KubeObject, type ListResult } from '../kubesphere/types.ts';
import { comparator, page, type SortOptions } from '../model/paging.ts';

export interface ListArgs extends Omit<ListQuery, 'names' | 'ownerKind' | 'ownerReference'> {
  cluster?: string | null | undefined;
}

type Paging = { page?: number | null | undefined; limit?: number | null | undefined };

/** Checks paging against the configured maximum; a limit always goes upstream. */
function paging(args: Paging, lists: GraphQLContext['lists']) {
  const limit = args.limit ?? lists.defaultLimit;
  const pageNumber = args.page ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > lists.maxLimit) throw badUserInput(`limit must be between 1 and ${lists.maxLimit}.`);
  if (pageNumber < 1) throw badUserInput('page must be 1 or more.');
  return { page: pageNumber, limit };
}

/**
 * A root list field of a kind. The API sends what the upstream route
 * honours and filters, sorts and pages the rest itself.
 */
export async function listResources<T extends KubeObject>(resource: string, args: ListArgs, ctx: GraphQLContext): Promise<ListResult<T>> {
  return listAt((cluster, query) => ctx.api.list(resource, { cluster, namespace: args.namespace }, query) as Promise<ListResult<T>>, args, ctx);
}

/** A root list on any KubeSphere list (kinds, tenant, IAM): paging checked before the API is asked. */
export async function listAt<T extends KubeObject>(
  list: (cluster: string | null | undefined, query: ListQuery) => Promise<ListResult<T>>,
  args: ListArgs,
  { lists }: GraphQLContext,
): Promise<ListResult<T>> {
  const { cluster, namespace: _namespace, ...filters } = args;
  return list(cluster, { ...filters, ...paging(args, lists) });
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
 * Pages items loaded for a whole scope (newest first unless told otherwise).
 * The paging arguments are checked before `load` runs, so a bad limit costs
 * no upstream call.
 */
export async function pageLocally<T>(
  args: Paging & SortOptions,
  lists: GraphQLContext['lists'],
  load: () => Promise<T[]>,
  compare: (a: T, b: T) => number = comparator(args) as never,
) {
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

/** A `Namespace.<kind>(page, limit)` edge: the namespace's objects of one kind, paged locally. */
export const namespaceList =
  <T extends KubeObject>(resource: string) =>
  async (ns: KubeObject, args: Paging, ctx: GraphQLContext) =>
    pageLocally(args, ctx.lists, () => inNamespace<T>(ns, resource, ctx, ns.metadata?.name ?? ''));
