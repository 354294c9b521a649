/**
 * The KubeSphere API as the loaders and resolvers see it: typed questions
 * ("pods of a namespace with a selector", "workspaces by name", "members of
 * a workspace") with no URLs. This module picks the route for the
 * upstream's generation (v1alpha3 or native, 3.x or 4.x tenant and IAM
 * versions, from resources.ts), has paths.ts build and validate every URL,
 * and applies here whatever the chosen route cannot filter, sort or page.
 */
import { badUserInput } from '../errors.ts';
import { queryRule, sortRule } from '../model/filters.ts';
import { page } from '../model/paging.ts';
import { selectorMatcher } from '../model/selector.ts';
import type { KubeSphereSession } from './client.ts';
import { MonitoringApi } from './monitoring.ts';
import {
  apiVersion as checkApiVersion,
  iam,
  iamUser,
  iamWorkspaceMembers,
  listQuery,
  nativeListQuery,
  nativeResource,
  resourcesV1alpha3,
  tenant,
  tenantWorkspace,
  tenantWorkspaceTemplates,
  withQuery,
  type ListQuery,
  type NativeListQuery,
  type ResourceRef,
  type Target,
} from './paths.ts';
import { kindByPlural, servedByFallback, servedNatively } from './resources.ts';
import {
  tagKind,
  type ClusterResource,
  type ConfigMapResource,
  type CronJobResource,
  type DaemonSetResource,
  type DeploymentResource,
  type EventResource,
  type HorizontalPodAutoscalerResource,
  type IngressResource,
  type JobResource,
  type KubeObject,
  type ListResult,
  type NamespaceResource,
  type NodeResource,
  type PersistentVolumeClaimResource,
  type PersistentVolumeResource,
  type PodResource,
  type ReplicaSetResource,
  type SecretResource,
  type ServiceResource,
  type StatefulSetResource,
  type StorageClassResource,
  type UserResource,
  type WorkspaceResource,
} from './types.ts';
import { UpstreamError } from './upstream-error.ts';
import { KubeSphereWrites } from './writes.ts';

export type { ListQuery, NativeListQuery };

/** The wire type of each modelled plural; any other plural is a plain KubeObject. */
interface KindTypes {
  nodes: NodeResource;
  namespaces: NamespaceResource;
  pods: PodResource;
  services: ServiceResource;
  configmaps: ConfigMapResource;
  secrets: SecretResource;
  persistentvolumeclaims: PersistentVolumeClaimResource;
  persistentvolumes: PersistentVolumeResource;
  events: EventResource;
  deployments: DeploymentResource;
  replicasets: ReplicaSetResource;
  statefulsets: StatefulSetResource;
  daemonsets: DaemonSetResource;
  jobs: JobResource;
  cronjobs: CronJobResource;
  horizontalpodautoscalers: HorizontalPodAutoscalerResource;
  ingresses: IngressResource;
  storageclasses: StorageClassResource;
}
export type ObjectOf<R extends string> = R extends keyof KindTypes ? KindTypes[R] : KubeObject;

type Cluster = string | null | undefined;

/** Where objects live: a member cluster (host when omitted) and, for namespaced kinds, a namespace (all when omitted). */
export interface Scope {
  cluster?: Cluster;
  namespace?: string | null | undefined;
}

/** A Kubernetes-native kind by `apiVersion` and plural, for the escape hatch and CRDs. */
export interface NativeRef extends Scope {
  apiVersion: string;
  resource: string;
}

/** Upstream URLs stay under a few kilobytes: `names=` lists are split at this many characters. */
const MAX_NAMES_LENGTH = 2_000;
const WHOLE: ListQuery = { limit: -1 };

/** Splits names into chunks whose comma-joined length stays under the URL budget. */
function chunkNames(names: readonly string[], budget = MAX_NAMES_LENGTH): string[][] {
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

/** One caller's KubeSphere API for one operation; cheap, built per request over the session. */
export class KubeSphereApi {
  readonly #session: KubeSphereSession;
  /** Writes (writes.ts): scale, restart, delete, patch, update, apply, projects and workspaces. */
  readonly writes: KubeSphereWrites;
  /** Metrics of objects and rankings by a metric (monitoring.ts). */
  readonly monitoring: MonitoringApi;

  constructor(session: KubeSphereSession) {
    this.#session = session;
    this.writes = new KubeSphereWrites(session);
    this.monitoring = new MonitoringApi(session);
  }

  #target(cluster: Cluster): Promise<Target> {
    return this.#session.target(cluster);
  }

  /**
   * A page of a list route, the way KubeSphere pages it (v1alpha3, tenant,
   * IAM). An upstream (or a proxy) that ignored `limit` and sent the whole
   * list still yields one page: it is cut here.
   */
  async #list<T extends KubeObject>(path: string, query: ListQuery, cluster: Cluster): Promise<ListResult<T>> {
    const result = await this.#session.list<T>(withQuery(path, listQuery(query)), { ...query, cluster });
    const limit = query.limit ?? -1;
    if (limit < 1 || result.items.length <= limit) return result;
    const start = result.items.length > limit * ((query.page ?? 1) - 1) + limit ? limit * ((query.page ?? 1) - 1) : 0;
    return { items: result.items.slice(start, start + limit), totalItems: Math.max(result.totalItems, result.items.length) };
  }

  // Kinds (resources.ts): v1alpha3 where the generation serves them, else the native API.

  /**
   * A list of a kind in a scope. Filters, sort and paging go upstream where
   * the route honours them: v1alpha3 does all of them, except that 3.x's
   * v1alpha2 fallback drops `labelSelector`; the native API takes only the
   * selectors. What is left is applied here, and then paging is done here
   * too, so that `totalItems` counts what matched.
   */
  async list<R extends string>(resource: R, scope: Scope, query: ListQuery = WHOLE, fieldSelector?: string): Promise<ListResult<ObjectOf<R>>> {
    const { cluster } = scope;
    const target = await this.#target(cluster);
    const native = servedNatively(resource, target.family);
    const fallback = !native && servedByFallback(resource, target.family);
    const selectHere = fallback && !!query.labelSelector;
    let result: ListResult;
    if (native) {
      const ref = { resource, namespace: native.namespaced ? scope.namespace : undefined };
      const path = nativeResource(target, native.apiVersion, ref);
      result = await this.#session.list(withQuery(path, nativeListQuery({ labelSelector: query.labelSelector, fieldSelector })), { cluster });
    } else {
      if (fieldSelector) throw badUserInput(`${resource} cannot be filtered by field selector.`);
      const path = resourcesV1alpha3(target, { resource, namespace: scope.namespace });
      // The fallback sorts by time only when asked for `createTime` (v1alpha3's alias of creationTimestamp).
      const sorted = fallback && query.sortBy !== 'name' ? { ...query, sortBy: 'createTime' } : query;
      const upstream = selectHere ? { ...sorted, labelSelector: undefined, page: undefined, limit: -1 } : sorted;
      result = await this.#list(path, upstream, cluster);
    }
    const kind = kindByPlural(resource)?.kind;
    if (kind) for (const item of result.items) tagKind(item, kind);
    if (!native && !selectHere) return result as ListResult<ObjectOf<R>>;
    let kept: KubeObject[];
    if (native) kept = result.items.filter(queryRule(resource, query, target.family));
    else {
      const selected = selectorMatcher(query.labelSelector!);
      kept = result.items.filter((item) => selected(item.metadata?.labels));
    }
    return pageHere(resource, kept, query) as ListResult<ObjectOf<R>>;
  }

  /** One object of a kind by name. */
  async get<R extends string>(resource: R, scope: Scope & { name: string }): Promise<ObjectOf<R>> {
    const target = await this.#target(scope.cluster);
    const object = await this.#session.get(kindPath(target, { resource, namespace: scope.namespace, name: scope.name }), scope.cluster);
    const kind = kindByPlural(resource)?.kind;
    return (kind ? tagKind(object, kind) : object) as ObjectOf<R>;
  }

  /** Whether the kind can be asked for by `names=` on this generation (v1alpha3); the native API cannot. */
  async listsByNames(resource: string, cluster: Cluster): Promise<boolean> {
    return !servedNatively(resource, (await this.#target(cluster)).family);
  }

  /**
   * Objects of a kind by name, in one namespace or cluster-wide, through
   * `names=` lists (chunked to keep URLs short). `exact`: the names are all
   * in this scope, so each chunk is limited to its size.
   */
  async byNames<R extends string>(resource: R, scope: Scope, names: readonly string[], exact: boolean): Promise<ObjectOf<R>[]> {
    const items: ObjectOf<R>[] = [];
    for (const chunk of chunkNames(names)) {
      items.push(...(await this.list(resource, scope, { names: chunk, limit: exact ? chunk.length : -1 })).items);
    }
    return items;
  }

  /** Events in a namespace (all namespaces when none), matched upstream by a native field selector. */
  events(scope: Scope, fieldSelector?: string): Promise<ListResult<EventResource>> {
    return this.list('events', scope, WHOLE, fieldSelector);
  }

  // Any native kind by apiVersion: the escape hatch.

  /** A native list with only the parameters Kubernetes documents. */
  async listNative(ref: NativeRef, query: NativeListQuery = {}): Promise<ListResult> {
    const target = await this.#target(ref.cluster);
    const path = nativeResource(target, checkApiVersion(ref.apiVersion), { resource: ref.resource, namespace: ref.namespace });
    return this.#session.list(withQuery(path, nativeListQuery(query)), { cluster: ref.cluster });
  }

  async getNative(ref: NativeRef & { name: string }): Promise<KubeObject> {
    const target = await this.#target(ref.cluster);
    return this.#session.get(nativeResource(target, checkApiVersion(ref.apiVersion), ref), ref.cluster);
  }

  // Tenant: workspaces, their projects, clusters.

  /**
   * Workspaces as their templates, which carry `spec.placement`: 3.x's
   * v1alpha2 `workspaces` returns templates; 4.x's v1beta1 `workspaces`
   * returns the per-cluster Workspace objects (no placement), so 4.x reads
   * `workspacetemplates`, as the 4.x console does
   * (release-4.1:pkg/kapis/tenant/v1beta1/register.go).
   */
  async workspaces(cluster: Cluster, query: ListQuery = WHOLE): Promise<ListResult<WorkspaceResource>> {
    const target = await this.#target(cluster);
    const path = target.family === 'v4' ? tenantWorkspaceTemplates(target) : tenant(target, 'workspaces');
    return this.#list<WorkspaceResource>(path, query, cluster);
  }

  /** One workspace: a non-member gets FORBIDDEN, not an empty list. */
  async workspace(cluster: Cluster, name: string): Promise<WorkspaceResource> {
    const target = await this.#target(cluster);
    return this.#session.get<WorkspaceResource>(target.family === 'v4' ? tenantWorkspaceTemplates(target, name) : tenantWorkspace(target, name), cluster);
  }

  async workspacesByNames(cluster: Cluster, names: readonly string[]): Promise<WorkspaceResource[]> {
    return this.#byNames(names, (chunk) => this.workspaces(cluster, { names: chunk, limit: chunk.length }));
  }

  /** The projects of one workspace, or (none given) every project the caller may see, through the tenant API. */
  async tenantNamespaces(cluster: Cluster, workspace?: string): Promise<NamespaceResource[]> {
    const target = await this.#target(cluster);
    const path = workspace === undefined ? tenant(target, 'namespaces') : tenantWorkspace(target, workspace, 'namespaces');
    const { items } = await this.#list<NamespaceResource>(path, WHOLE, cluster);
    for (const item of items) tagKind(item, 'Namespace');
    return items;
  }

  /** The clusters the caller may see (the tenant list; there is no tenant get of one cluster). */
  async clusters(cluster: Cluster, query: ListQuery = WHOLE): Promise<ListResult<ClusterResource>> {
    const target = await this.#target(cluster);
    const result = await this.#list<ClusterResource>(tenant(target, 'clusters'), query, cluster);
    this.#session.noteClusters(result.items.flatMap((c) => (c.metadata?.name ? [c.metadata.name] : [])));
    return result;
  }

  async clustersByNames(names: readonly string[]): Promise<ClusterResource[]> {
    return this.#byNames(names, (chunk) => this.clusters(undefined, { names: chunk, limit: chunk.length }));
  }

  // IAM: users and workspace members.

  async users(cluster: Cluster, query: ListQuery = WHOLE): Promise<ListResult<UserResource>> {
    const target = await this.#target(cluster);
    return this.#list<UserResource>(iam(target, 'users'), query, cluster);
  }

  /** One user: a user may always read themselves this way. */
  async user(cluster: Cluster, name: string): Promise<UserResource> {
    return this.#session.get<UserResource>(iamUser(await this.#target(cluster), name), cluster);
  }

  async usersByNames(cluster: Cluster, names: readonly string[]): Promise<UserResource[]> {
    return this.#byNames(names, (chunk) => this.users(cluster, { names: chunk, limit: chunk.length }));
  }

  /**
   * The members of one workspace, each a User with the workspace role in its
   * `iam.kubesphere.io/workspacerole` annotation. 4.1 returns stubs: the name
   * and the role annotation only (release-4.1:pkg/kapis/iam/v1beta1/handler.go,
   * ListWorkspaceMembers). So on 4.x the users are read by name and merged,
   * as the 4.x console does; a caller who may not list users keeps the stubs.
   */
  async workspaceMembers(cluster: Cluster, workspace: string): Promise<UserResource[]> {
    const target = await this.#target(cluster);
    const { items: members } = await this.#list<UserResource>(iamWorkspaceMembers(target, workspace), WHOLE, cluster);
    if (target.family !== 'v4' || members.length === 0) return members;
    let users: UserResource[];
    try {
      users = await this.usersByNames(cluster, [...new Set(members.map((m) => m.metadata?.name ?? ''))]);
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 403) return members;
      throw error;
    }
    const byName = new Map(users.map((u) => [u.metadata?.name, u]));
    return members.map((member) => {
      const user = byName.get(member.metadata?.name);
      if (!user) return member;
      return { ...user, metadata: { ...user.metadata, annotations: { ...user.metadata?.annotations, ...member.metadata?.annotations } } };
    });
  }

  /** `names=` lists of any route, chunked to keep URLs short. */
  async #byNames<T extends KubeObject>(names: readonly string[], list: (chunk: string[]) => Promise<ListResult<T>>): Promise<T[]> {
    const items: T[] = [];
    for (const chunk of chunkNames(names)) items.push(...(await list(chunk)).items);
    return items;
  }
}

/** The URL of a get of a kind on the API that serves it for the target's generation. */
function kindPath(target: Target, ref: ResourceRef & { name: string }): string {
  const native = servedNatively(ref.resource, target.family);
  return native
    ? nativeResource(target, native.apiVersion, { ...ref, namespace: native.namespaced ? ref.namespace : undefined })
    : resourcesV1alpha3(target, ref);
}

/** Sorts and pages items that were filtered here, with KubeSphere's order; a whole list (no positive limit) is only counted. */
function pageHere(resource: string, items: KubeObject[], query: ListQuery): ListResult {
  if (!query.limit || query.limit < 1) return { items, totalItems: items.length };
  return page(items, query.page ?? 1, query.limit, sortRule(resource, { field: query.sortBy, ascending: query.ascending }));
}
