/** The escape hatch: any v1alpha3 kind, or any native/CRD kind by `apiVersion`, as metadata and raw JSON. */
import type { QueryResolvers, ResourceResolvers } from '../generated/graphql.ts';
import type { GraphQLContext } from '../context.ts';
import { apiVersion as checkApiVersion, namespaceName, objectName, resourcePlural } from '../kubesphere/paths.ts';
import { kindByPlural } from '../kubesphere/resources.ts';
import { kindOf, tagKind, type KubeObject } from '../kubesphere/types.ts';
import { comparator } from '../model/paging.ts';
import { holdsSecretValues, redactedMeta, redactSecret, redactSecretLike } from '../model/secret.ts';
import { getResource, listResources, pageLocally } from './list.ts';

/** The modelled kind a plural means under this apiVersion (none given: v1alpha3), for tagging and redaction. */
function knownKind(resource: string, version: string | null | undefined) {
  const info = kindByPlural(resource);
  return info && (!version || info.apiVersion === version) ? info.kind : undefined;
}

/** What the escape hatch may show of an object: secret-holding kinds lose their values here, before any field sees them. */
function shown<T extends KubeObject>(plural: string, object: T, kind: string | undefined): T {
  const visible = holdsSecretValues(plural) ? redactSecretLike(object) : object;
  return kind ? tagKind(visible, kind) : visible;
}

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

function nativeGet(ref: Ref & { name: string }, version: string, { api }: GraphQLContext) {
  return api.getNative({ cluster: ref.cluster, apiVersion: version, resource: ref.resource, namespace: ref.namespace, name: objectName(ref.name) });
}

export const genericQuery = {
  resources: async (_parent, args, ctx) => {
    const version = validated(args);
    const kind = knownKind(args.resource, version);
    if (!version) {
      const result = await listResources(args.resource, args, ctx);
      return { ...result, items: result.items.map((item) => shown(args.resource, item, kind)) };
    }
    const ref = { cluster: args.cluster, apiVersion: version, resource: args.resource, namespace: args.namespace };
    const load = async () => {
      const { items } = await ctx.api.listNative(ref, { labelSelector: args.labelSelector });
      const matching = args.name ? items.filter((item) => (item.metadata?.name ?? '').includes(args.name!)) : items;
      return matching.map((item) => shown(args.resource, item, kind));
    };
    return pageLocally(args, ctx.lists, load, comparator(args));
  },
  resource: async (_parent, args, ctx) => {
    const version = validated(args);
    const kind = knownKind(args.resource, version);
    const object = version ? await nativeGet(args, version, ctx) : await getResource(args.resource, args, ctx);
    return shown(args.resource, object, kind);
  },
} satisfies QueryResolvers;

const isSecret = (object: KubeObject) => kindOf(object) === 'Secret';

export const Resource: ResourceResolvers = {
  metadata: (o) => (isSecret(o) ? redactedMeta(o.metadata) : (o.metadata ?? {})),
  kind: (o) => kindOf(o) ?? null,
  apiVersion: (o) => o.apiVersion ?? null,
  raw: (o) => (isSecret(o) ? redactSecret(o) : o),
};
