/**
 * What every `KubeObject` shares: its global id, cluster, kind, apiVersion,
 * metadata and raw form, and `Query.object(id:)`, which loads any object
 * back from its id.
 */
import type { GraphQLContext } from '../context.ts';
import { badUserInput } from '../errors.ts';
import type { KubeObjectResolvers, QueryResolvers, WorkloadResolvers } from '../generated/graphql.ts';
import { kindByName } from '../kubesphere/resources.ts';
import { clusterOf, kindOf, tagCluster, tagKind, type KubeObject } from '../kubesphere/types.ts';
import { redact, redactedMetadata } from '../model/redaction.ts';
import { WORKLOAD_KINDS } from './edges.ts';
import { loadResource } from './generic.ts';

/** The name `cluster` shows for objects read without a cluster argument. */
export const HOST_CLUSTER = 'host';

/** What an id encodes. `plural`/`apiVersion` are set only for the generic `Resource`, which is loaded by them. */
export interface ObjectRef {
  cluster: string | undefined;
  kind: string;
  namespace: string | undefined;
  name: string;
  plural?: string | undefined;
  apiVersion?: string | undefined;
}

const ID_VERSION = 'k1';

export function encodeObjectId(ref: ObjectRef): string {
  const parts = [ID_VERSION, ref.cluster ?? '', ref.kind, ref.namespace ?? '', ref.name];
  if (ref.plural !== undefined) parts.push(ref.plural, ref.apiVersion ?? '');
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeObjectId(id: string): ObjectRef {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    // Reported below with the other malformed ids.
  }
  const valid = Array.isArray(parts) && parts[0] === ID_VERSION && (parts.length === 5 || parts.length === 7) && parts.every((p) => typeof p === 'string');
  if (!valid || id.length > 2048) throw badUserInput('Invalid object id: pass the `id` of an object this server returned.');
  const [, cluster, kind, namespace, name, plural, apiVersion] = parts as string[];
  return { cluster: cluster || undefined, kind: kind!, namespace: namespace || undefined, name: name!, plural, apiVersion };
}

/** KubeSphere's own kinds whose `apiVersion` depends on the KubeSphere generation (3.x or 4.x). */
const KUBESPHERE_API_VERSIONS: Record<string, { v3: string; v4: string }> = {
  WorkspaceTemplate: { v3: 'tenant.kubesphere.io/v1alpha2', v4: 'tenant.kubesphere.io/v1beta1' },
  User: { v3: 'iam.kubesphere.io/v1alpha2', v4: 'iam.kubesphere.io/v1beta1' },
  GlobalRole: { v3: 'iam.kubesphere.io/v1alpha2', v4: 'iam.kubesphere.io/v1beta1' },
  WorkspaceRole: { v3: 'iam.kubesphere.io/v1alpha2', v4: 'iam.kubesphere.io/v1beta1' },
  Cluster: { v3: 'cluster.kubesphere.io/v1alpha1', v4: 'cluster.kubesphere.io/v1alpha1' },
};

/** The object's own `apiVersion`, else what its kind implies on this upstream (v1alpha3 items carry no TypeMeta). */
async function apiVersionOf(object: KubeObject, kind: string, ctx: GraphQLContext): Promise<string> {
  if (object.apiVersion) return object.apiVersion;
  const modelled = kindByName(kind)?.apiVersion;
  if (modelled) return modelled;
  const versions = KUBESPHERE_API_VERSIONS[kind];
  return versions ? versions[(await ctx.kubesphere.target(clusterOf(object))).family] : '';
}

/**
 * The `KubeObject` fields of a type whose kind is `kind` (or, for types that
 * hold several kinds such as Role, the kind the object was loaded as).
 * `raw` and `metadata` follow the kind's redaction policy (src/model/redaction.ts).
 */
export function kubeObjectFields<T extends KubeObject>(kind?: string) {
  const kindOfObject = (o: T) => kind ?? kindOf(o) ?? '';
  return {
    id: (o: T) => encodeObjectId({ cluster: clusterOf(o), kind: kindOfObject(o), namespace: o.metadata?.namespace, name: o.metadata?.name ?? '' }),
    cluster: (o: T) => clusterOf(o) ?? HOST_CLUSTER,
    kind: (o: T) => kindOfObject(o),
    apiVersion: (o: T, _args: unknown, ctx: GraphQLContext) => apiVersionOf(o, kindOfObject(o), ctx),
    // The kind's redaction policy: the typed fields read the object, only these show it whole.
    metadata: (o: T) => redactedMetadata(kindOfObject(o), o.metadata),
    raw: (o: T): unknown => redact(kindOfObject(o), o),
  };
}

/** GraphQL type names of the kinds the schema models, by Kubernetes kind. */
const TYPE_BY_KIND: Record<string, string> = {
  WorkspaceTemplate: 'Workspace',
  Workspace: 'Workspace',
  GlobalRole: 'Role',
  WorkspaceRole: 'Role',
};

const RESOURCE_TYPE = Symbol('kubesphere.genericResource');

/** Marks an object as shown through the generic `Resource` type (the escape hatch), whatever its kind. */
export function asResource<T extends object>(object: T): T {
  Object.defineProperty(object, RESOURCE_TYPE, { value: true, enumerable: false });
  return object;
}

const isResource = (object: object) => (object as { [RESOURCE_TYPE]?: boolean })[RESOURCE_TYPE] === true;

export const KubeObjectInterface: KubeObjectResolvers = {
  __resolveType: (object) => {
    if (isResource(object)) return 'Resource';
    const kind = kindOf(object) ?? '';
    const type = TYPE_BY_KIND[kind] ?? (kindByName(kind) ? kind : ['User', 'Cluster'].includes(kind) ? kind : undefined);
    if (!type) throw new Error(`No GraphQL type for kind ${JSON.stringify(kind)}.`);
    return type as never;
  },
};

export const WorkloadInterface: WorkloadResolvers = {
  // An unknown kind is a bug to report, not a Deployment to pretend.
  __resolveType: (object) => {
    const kind = kindOf(object);
    if (!kind || !WORKLOAD_KINDS.has(kind)) throw new Error(`Kind ${JSON.stringify(kind)} is not a workload.`);
    return kind as never;
  },
};

export const objectQuery = {
  object: async (_parent, { id }, ctx) => {
    const ref = decodeObjectId(id);
    const object = await loadByRef(ref, ctx);
    return tagCluster(ref.plural === undefined ? tagKind(object, ref.kind) : object, ref.cluster);
  },
} satisfies QueryResolvers;

/** Loads the object an id names, with the caller's token, through the same loaders as every other field. */
async function loadByRef(ref: ObjectRef, ctx: GraphQLContext): Promise<KubeObject> {
  const { loaders } = ctx;
  const { cluster, name, namespace } = ref;
  if (ref.plural !== undefined) {
    return asResource(await loadResource({ resource: ref.plural, apiVersion: ref.apiVersion || undefined, name, namespace, cluster }, ctx));
  }
  switch (ref.kind) {
    case 'WorkspaceTemplate':
    case 'Workspace':
      return loaders.workspaceByName.load({ cluster, name });
    case 'User':
      return loaders.userByName.load({ cluster, name });
    case 'Cluster':
      return loaders.clusterByName.load({ name });
    case 'GlobalRole':
    case 'WorkspaceRole':
      return loaders.objectByName.load({ cluster, resource: ref.kind === 'GlobalRole' ? 'globalroles' : 'workspaceroles', name });
  }
  const info = kindByName(ref.kind);
  if (!info) throw badUserInput(`Invalid object id: unknown kind ${JSON.stringify(ref.kind)}.`);
  return loaders.objectByName.load({ cluster, resource: info.plural, namespace, name });
}
