/** The escape hatch: any v1alpha3 kind, or any native/CRD kind by `apiVersion`, as metadata and raw JSON. */
import type { QueryResolvers, ResourceResolvers } from '../generated/graphql.ts';
import type { GraphQLContext } from '../context.ts';
import { apiVersion as checkApiVersion, namespaceName, objectName, resourcePlural } from '../kubesphere/paths.ts';
import { kindByPlural } from '../kubesphere/resources.ts';
import { clusterOf, kindOf, tagCluster, tagKind, type KubeObject } from '../kubesphere/types.ts';
import { policyKind, redact } from '../model/redaction.ts';
import { getResource, listResources, pageItems, paging, type ListArgs } from './list.ts';
import { asResource, encodeObjectId, HOST_CLUSTER } from './object.ts';

/** The modelled kind a plural means under this apiVersion (none given: v1alpha3), for tagging and redaction. */
function knownKind(resource: string, version: string | null | undefined) {
  const info = kindByPlural(resource);
  return info && (!version || info.apiVersion === version) ? info.kind : undefined;
}

const ORIGIN = Symbol('kubesphere.resourceOrigin');

/**
 * What the escape hatch may show of an object: the kind's redaction policy
 * applies here, before any field sees it, so `raw`, `metadata` and every
 * other field of `Resource` read the redacted copy. The plural and apiVersion
 * it was read by are kept, so its id can load it again the same way.
 */
export function shown<T extends KubeObject>(ref: Ref, object: T): T {
  const kind = knownKind(ref.resource, ref.apiVersion);
  const visible = tagCluster(redact(policyKind(object.kind ?? kind, ref.resource), object), clusterOf(object));
  if (kind) tagKind(visible, kind);
  Object.defineProperty(visible, ORIGIN, { value: { resource: ref.resource, apiVersion: ref.apiVersion ?? undefined }, enumerable: false });
  return asResource(visible);
}

/** The escape hatch's view of an object read elsewhere (a watch event): redacted, tagged, reloadable by id. */
export const showResource = <T extends KubeObject>(ref: Ref, object: T): T => shown(ref, object);

const originOf = (object: KubeObject) => (object as { [ORIGIN]?: { resource: string; apiVersion: string | undefined } })[ORIGIN];

interface Ref {
  resource: string;
  apiVersion?: string | null | undefined;
  namespace?: string | null | undefined;
  cluster?: string | null | undefined;
}

/** Validates a generic reference before any upstream call. */
function validated(ref: Ref) {
  resourcePlural(ref.resource);
  if (ref.namespace) namespaceName(ref.namespace);
  return ref.apiVersion ? checkApiVersion(ref.apiVersion) : undefined;
}

/** One object by plural and name: v1alpha3 without `apiVersion`, the native API with it. */
export async function loadResource(ref: Ref & { name: string }, ctx: GraphQLContext): Promise<KubeObject> {
  const version = validated(ref);
  const object = version
    ? await ctx.api.getNative({ cluster: ref.cluster, apiVersion: version, resource: ref.resource, namespace: ref.namespace, name: objectName(ref.name) })
    : await getResource(ref.resource, ref, ctx);
  return shown(ref, object);
}

async function listAny(args: ListArgs & Ref, ctx: GraphQLContext) {
  const version = validated(args);
  if (!version) {
    const result = await listResources(args.resource, args, ctx);
    return { ...result, items: result.items.map((item) => shown(args, item)) };
  }
  const ref = { cluster: args.cluster, apiVersion: version, resource: args.resource, namespace: args.namespace };
  if (!args.sort && !args.filter?.name && !args.filter?.labelSelector) {
    // Kubernetes pages with `limit`/`continue` and cannot skip: read up to this page, in the API server's order, so the
    // cost follows the page and not the cluster. Its `remainingItemCount` gives the total (it is left out under a selector).
    const { page: pageNumber, limit } = paging(args, ctx.lists);
    const { items, totalItems } = await ctx.api.listNative(ref, { limit: pageNumber * limit });
    return { items: items.slice((pageNumber - 1) * limit, pageNumber * limit).map((item) => shown(args, item)), totalItems };
  }
  const { family } = await ctx.kubesphere.target(args.cluster);
  return pageItems(args.resource, args, ctx, family, async () => {
    const { items } = await ctx.api.listNative(ref, { labelSelector: args.filter?.labelSelector });
    return items.map((item) => shown(args, item));
  });
}

export const genericQuery = {
  resources: (_parent, args, ctx) => listAny(args, ctx),
  resource: (_parent, args, ctx) => loadResource(args, ctx),
} satisfies QueryResolvers;

export const Resource: ResourceResolvers = {
  id: (o) => {
    const origin = originOf(o);
    return encodeObjectId({
      cluster: clusterOf(o),
      kind: kindOf(o) ?? '',
      namespace: o.metadata?.namespace,
      name: o.metadata?.name ?? '',
      plural: origin?.resource ?? '',
      apiVersion: origin?.apiVersion,
    });
  },
  cluster: (o) => clusterOf(o) ?? HOST_CLUSTER,
  metadata: (o) => o.metadata ?? {},
  kind: (o) => kindOf(o) ?? '',
  apiVersion: (o) => o.apiVersion ?? originOf(o)?.apiVersion ?? kindByPlural(originOf(o)?.resource ?? '')?.apiVersion ?? '',
  raw: (o) => o,
};
