/** Shared plumbing for list and get resolvers: argument checks and loader calls. */
import type { GraphQLContext } from '../context.ts';
import { badUserInput } from '../errors.ts';
import { listQuery, namespaceName, objectName, resourcesV1alpha3, withQuery, type ListQuery } from '../kubesphere/paths.ts';
import type { KubeObject, ListResult } from '../kubesphere/types.ts';
import { page } from '../model/paging.ts';

export interface ListArgs extends Omit<ListQuery, 'names' | 'ownerKind' | 'ownerReference'> {
  cluster?: string | null | undefined;
}

/** Checks paging against the configured maximum; a limit always goes upstream. */
export function paging(args: { page?: number | null | undefined; limit?: number | null | undefined }, lists: GraphQLContext['lists']) {
  const limit = args.limit ?? lists.defaultLimit;
  const pageNumber = args.page ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > lists.maxLimit) throw badUserInput(`limit must be between 1 and ${lists.maxLimit}.`);
  if (pageNumber < 1) throw badUserInput('page must be 1 or more.');
  return { page: pageNumber, limit };
}

/** A root list field: one v1alpha3 list call with only documented parameters. */
export async function listResources<T extends KubeObject>(resource: string, args: ListArgs, { kubesphere, lists }: GraphQLContext): Promise<ListResult<T>> {
  const { cluster, namespace, ...filters } = args;
  const query: ListQuery = { ...filters, ...paging(args, lists) };
  const target = await kubesphere.target(cluster);
  const path = withQuery(resourcesV1alpha3(target, { resource, namespace }), listQuery(query));
  return kubesphere.list<T>(path, { ...query, cluster });
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

/** Pages items that an edge loaded for a whole scope. */
export function pageLocally<T extends KubeObject>(items: T[], args: { page?: number | null | undefined; limit?: number | null | undefined }, lists: GraphQLContext['lists']) {
  const { page: pageNumber, limit } = paging(args, lists);
  return page(items, pageNumber, limit);
}
