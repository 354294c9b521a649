/**
 * Writes, as the KubeSphere console makes them: every object write goes to
 * the Kubernetes-native API (`/api`, `/apis`) through ks-apiserver's proxy;
 * projects and workspaces go to the tenant API. Everything a caller sent is
 * checked here before the first upstream call, and paths.ts builds the URLs.
 *
 * The tenant API ignores `dryRun` (release-3.4 and release-4.1
 * pkg/models/tenant/tenant.go create and delete without dry-run options), so
 * a dry run of a project or workspace write goes to the native API instead.
 *
 * Writes are never retried (client.ts retries GETs only). A write that got no
 * readable answer may still have happened: its error says so in
 * `writeOutcome: "unknown"`. A 409 Conflict carries the object's current
 * `resourceVersion`, read after the conflict, so that a UI can offer to
 * reload.
 */
import { badUserInput, FacadeError, notFound, toFacadeError } from '../errors.ts';
import type { KubeSphereSession, Method } from './client.ts';
import { servedKind } from './discovery.ts';
import {
  apiVersion as checkApiVersion,
  clusterName,
  labelValue,
  metadataKey,
  namespaceName,
  nativeResource,
  objectName,
  resourcePlural,
  tenant,
  tenantWorkspace,
  username,
  withQuery,
  workspaceName,
  writeQuery,
  type Target,
  type WriteQuery,
} from './paths.ts';
import { kindByPlural } from './resources.ts';
import {
  tagKind,
  type DaemonSetResource,
  type DeploymentResource,
  type KubeObject,
  type NamespaceResource,
  type NodeResource,
  type StatefulSetResource,
  type WorkspaceResource,
} from './types.ts';
import { UpstreamError } from './upstream-error.ts';

type Cluster = string | null | undefined;

/** What every write takes: where it goes, and whether it is only a dry run. */
export interface WriteScope {
  cluster?: Cluster;
  dryRun?: boolean | null | undefined;
}

/** One object of a kind that may not be modelled: its plural, and its apiVersion when the caller gave one. */
export interface ObjectRef extends WriteScope {
  resource: string;
  apiVersion?: string | null | undefined;
  namespace?: string | null | undefined;
  name: string;
}

/** What a delete left, whichever API answered it. */
export interface Deleted {
  kind: string;
  name: string;
  namespace: string | undefined;
  uid: string | undefined;
  dryRun: boolean;
  status: 'deleted' | 'terminating' | 'accepted';
  /** The object as the upstream answered the delete; undefined when it answered with a status or a message. */
  object: KubeObject | undefined;
  /** The plural and apiVersion the object was deleted by. */
  resource: string;
  apiVersion: string;
}

/** A manifest write's answer, with the plural and apiVersion it was written by. */
export interface Written {
  object: KubeObject;
  resource: string;
  apiVersion: string;
}

const MERGE_PATCH = 'application/merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';
const JSON_BODY = 'application/json';

export const RESTARTED_AT = 'kubesphere.io/restartedAt';
const WORKSPACE_LABEL = 'kubesphere.io/workspace';
const ALIAS_NAME = 'kubesphere.io/alias-name';
const DESCRIPTION = 'kubesphere.io/description';
const CREATOR = 'kubesphere.io/creator';

/** The console's limits on a display name and a description. */
const MAX_ALIAS_LENGTH = 63;
const MAX_DESCRIPTION_LENGTH = 256;
/** Kubernetes' limit on all annotations of one object together. */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;
const RESOURCE_VERSION = /^[\x21-\x7e]{1,128}$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const CONTROL = /\p{Cc}/u;

/** Transport failures that happen before a request leaves: nothing was sent, so nothing was written. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A write's URL and body, and the object path to read back after a conflict. */
interface WriteCall {
  method: Exclude<Method, 'GET'>;
  path: string;
  body?: unknown;
  contentType?: string;
  cluster: Cluster;
  /** The object's own URL, read after a 409 Conflict for its current resourceVersion. */
  objectPath?: string;
}

/** One caller's writes for one operation; cheap, built per request over the session. */
export class KubeSphereWrites {
  readonly #session: KubeSphereSession;

  constructor(session: KubeSphereSession) {
    this.#session = session;
  }

  // Workloads.

  /** A merge patch of `spec.replicas`, with an optional resourceVersion precondition. */
  async scale<R extends 'deployments' | 'statefulsets'>(
    resource: R,
    ref: WriteScope & { namespace: string; name: string; replicas: number; resourceVersion?: string | null | undefined },
    maxReplicas: number,
  ): Promise<R extends 'deployments' ? DeploymentResource : StatefulSetResource> {
    const path = workloadPath(ref, resource);
    if (!Number.isInteger(ref.replicas) || ref.replicas < 0 || ref.replicas > maxReplicas)
      throw badUserInput(`Invalid replicas ${ref.replicas}: an integer from 0 to ${maxReplicas}.`);
    const precondition = resourceVersionPrecondition(ref.resourceVersion);
    return this.#patch(path, { ...precondition, spec: { replicas: ref.replicas } }, ref, resource === 'deployments' ? 'Deployment' : 'StatefulSet');
  }

  /** The console's redeploy: a merge patch stamping the pod template, so the controller rolls out new pods. */
  async restart<R extends 'deployments' | 'statefulsets' | 'daemonsets'>(
    resource: R,
    ref: WriteScope & { namespace: string; name: string; resourceVersion?: string | null | undefined },
    now = new Date(),
  ): Promise<R extends 'deployments' ? DeploymentResource : R extends 'statefulsets' ? StatefulSetResource : DaemonSetResource> {
    const path = workloadPath(ref, resource);
    const precondition = resourceVersionPrecondition(ref.resourceVersion);
    const patch = { ...precondition, spec: { template: { metadata: { annotations: { [RESTARTED_AT]: rfc3339(now) } } } } };
    return this.#patch(path, patch, ref, kindByPlural(resource)!.kind);
  }

  // Nodes.

  /** Cordon (`true`) or uncordon (`false`): a merge patch of `spec.unschedulable`; null removes the field, as kubectl does. */
  async setUnschedulable(ref: WriteScope & { name: string }, unschedulable: boolean): Promise<NodeResource> {
    const path = nodePath(ref);
    return this.#patch(path, { spec: { unschedulable: unschedulable ? true : null } }, ref, 'Node');
  }

  /** Replaces a node's taints: a merge patch replaces the whole list; none left removes the field. */
  async setTaints(
    ref: WriteScope & { name: string },
    taints: readonly { key: string; value?: string | null | undefined; effect: string }[],
  ): Promise<NodeResource> {
    const path = nodePath(ref);
    const seen = new Set<string>();
    const list = taints.map(({ key, value, effect }) => {
      metadataKey(key, 'taint key');
      if (value !== undefined && value !== null) labelValue(value, 'taint value');
      const id = `${key}:${effect}`;
      if (seen.has(id)) throw badUserInput(`Duplicate taint ${JSON.stringify(id)}: a key may appear once per effect.`);
      seen.add(id);
      return { key, ...(value !== undefined && value !== null && { value }), effect };
    });
    return this.#patch(path, { spec: { taints: list.length > 0 ? list : null } }, ref, 'Node');
  }

  // Any object.

  /** A merge patch of `metadata.labels` or `metadata.annotations`; a null value removes the key. */
  async setMetadata(field: 'labels' | 'annotations', ref: ObjectRef, values: Record<string, unknown>): Promise<Written> {
    const { path, apiVersion } = await this.#objectPath(ref);
    let bytes = 0;
    for (const [key, value] of Object.entries(values)) {
      metadataKey(key, field === 'labels' ? 'label key' : 'annotation key');
      if (value === null) continue;
      if (typeof value !== 'string') throw badUserInput(`Invalid ${field} value for ${JSON.stringify(key)}: a string, or null to remove it.`);
      if (field === 'labels') labelValue(value);
      bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) throw badUserInput(`Annotations too large: at most ${MAX_ANNOTATIONS_BYTES} bytes together.`);
    const object = await this.#patch(path, { metadata: { [field]: values } }, ref);
    return { object, resource: ref.resource, apiVersion };
  }

  /** DELETE on the object's native path; `propagationPolicy` and `gracePeriodSeconds` go in the query. */
  async delete(ref: ObjectRef, options: Pick<WriteQuery, 'propagationPolicy' | 'gracePeriodSeconds'> = {}): Promise<Deleted> {
    const { path, apiVersion } = await this.#objectPath(ref);
    const query = writeQuery({ dryRun: ref.dryRun, ...options });
    const answer = await this.#send<KubeObject>({ method: 'DELETE', path: withQuery(path, query), cluster: ref.cluster, objectPath: path });
    return deleted(answer, { ...ref, apiVersion, dryRun: !!ref.dryRun });
  }

  // Manifests.

  /** The edit-YAML flow: PUT of the whole object, which must carry the resourceVersion it was read at. */
  async update(manifest: Record<string, unknown>, scope: WriteScope & { namespace?: string | null | undefined }): Promise<Written> {
    const checked = checkManifest(manifest, scope.namespace, true);
    const { path, resource } = await this.#manifestPath(checked, scope.cluster, 'update');
    const object = await this.#send<KubeObject>({
      method: 'PUT',
      path: withQuery(path, writeQuery({ dryRun: scope.dryRun })),
      body: manifest,
      contentType: JSON_BODY,
      cluster: scope.cluster,
      objectPath: path,
    });
    return { object, resource, apiVersion: checked.apiVersion };
  }

  /** Server-side apply: the manifest is the set of fields `fieldManager` owns. JSON is YAML, so it goes as it is. */
  async apply(
    manifest: Record<string, unknown>,
    scope: WriteScope & { namespace?: string | null | undefined; fieldManager: string; force?: boolean | null | undefined },
  ): Promise<Written> {
    const checked = checkManifest(manifest, scope.namespace, false);
    const query = writeQuery({ dryRun: scope.dryRun, fieldManager: scope.fieldManager, force: scope.force });
    const { path, resource } = await this.#manifestPath(checked, scope.cluster, 'patch');
    const object = await this.#send<KubeObject>({
      method: 'PATCH',
      path: withQuery(path, query),
      body: manifest,
      contentType: APPLY_PATCH,
      cluster: scope.cluster,
      objectPath: path,
    });
    return { object, resource, apiVersion: checked.apiVersion };
  }

  // Tenant: projects and workspaces.

  /** A namespace labelled with its workspace: the tenant API, or for a dry run the native API with the same body. */
  async createProject(
    ref: WriteScope & { workspace: string; name: string; aliasName?: string | null | undefined; description?: string | null | undefined },
  ): Promise<NamespaceResource> {
    workspaceName(ref.workspace);
    namespaceName(ref.name);
    const annotations = this.#displayAnnotations(ref);
    const body = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ref.name, labels: { [WORKSPACE_LABEL]: ref.workspace }, annotations },
    };
    const target = await this.#session.target(ref.cluster);
    const path = ref.dryRun
      ? withQuery(nativeResource(target, 'v1', { resource: 'namespaces' }), writeQuery({ dryRun: true }))
      : tenantWorkspace(target, ref.workspace, 'namespaces');
    return tagKind(await this.#send<NamespaceResource>({ method: 'POST', path, body, contentType: JSON_BODY, cluster: ref.cluster }), 'Namespace');
  }

  /**
   * The tenant API's delete of a workspace's project. The dry run asks the
   * native API and, as the tenant API would, refuses a namespace of another
   * workspace.
   */
  async deleteProject(ref: WriteScope & { workspace: string; name: string }): Promise<Deleted> {
    workspaceName(ref.workspace);
    namespaceName(ref.name);
    const target = await this.#session.target(ref.cluster);
    const common = { resource: 'namespaces', apiVersion: 'v1', name: ref.name, namespace: undefined, dryRun: !!ref.dryRun };
    if (!ref.dryRun) {
      const answer = await this.#send<KubeObject>({
        method: 'DELETE',
        path: tenantWorkspace(target, ref.workspace, 'namespaces', ref.name),
        cluster: ref.cluster,
      });
      return deleted(answer, common);
    }
    const path = nativeResource(target, 'v1', { resource: 'namespaces', name: ref.name });
    const answer = await this.#send<KubeObject>({ method: 'DELETE', path: withQuery(path, writeQuery({ dryRun: true })), cluster: ref.cluster });
    if (answer.metadata?.labels?.[WORKSPACE_LABEL] !== ref.workspace) throw notFound(`namespaces "${ref.name}" not found in workspace "${ref.workspace}"`);
    return deleted(answer, common);
  }

  /** A WorkspaceTemplate: through the tenant API, or for a dry run through its CRD on the native API. */
  async createWorkspace(
    ref: WriteScope & {
      name: string;
      manager?: string | null | undefined;
      clusters?: readonly string[] | null | undefined;
      aliasName?: string | null | undefined;
      description?: string | null | undefined;
    },
  ): Promise<WorkspaceResource> {
    workspaceName(ref.name);
    if (ref.manager) username(ref.manager);
    const clusters = [...new Set((ref.clusters ?? []).map(clusterName))];
    const annotations = this.#displayAnnotations(ref);
    const target = await this.#session.target(ref.cluster);
    const apiVersion = workspaceTemplateVersion(target);
    const body = {
      apiVersion,
      kind: 'WorkspaceTemplate',
      metadata: { name: ref.name, annotations },
      spec: {
        template: { spec: { ...(ref.manager && { manager: ref.manager }) } },
        ...(clusters.length > 0 && { placement: { clusters: clusters.map((name) => ({ name })) } }),
      },
    };
    const path = ref.dryRun
      ? withQuery(nativeResource(target, apiVersion, { resource: 'workspacetemplates' }), writeQuery({ dryRun: true }))
      : tenant(target, 'workspaces');
    return tagKind(await this.#send<WorkspaceResource>({ method: 'POST', path, body, contentType: JSON_BODY, cluster: ref.cluster }), 'WorkspaceTemplate');
  }

  /** The console's display annotations, and who created the object (the token's user, as the console records it). */
  #displayAnnotations(ref: { aliasName?: string | null | undefined; description?: string | null | undefined }): Record<string, string> {
    const alias = displayText(ref.aliasName, 'aliasName', MAX_ALIAS_LENGTH);
    const description = displayText(ref.description, 'description', MAX_DESCRIPTION_LENGTH);
    return { ...(alias && { [ALIAS_NAME]: alias }), ...(description && { [DESCRIPTION]: description }), [CREATOR]: this.#session.callerName() };
  }

  // Plumbing.

  async #patch<T extends KubeObject>(object: PatchTarget | string, patch: object, scope: WriteScope, kind?: string): Promise<T> {
    const objectPath = typeof object === 'string' ? object : nativeResource(await this.#session.target(scope.cluster), object.apiVersion, object);
    const answer = await this.#send<T>({
      method: 'PATCH',
      path: withQuery(objectPath, writeQuery({ dryRun: scope.dryRun })),
      body: patch,
      contentType: MERGE_PATCH,
      cluster: scope.cluster,
      objectPath,
    });
    return kind ? tagKind(answer, kind) : answer;
  }

  /** The native path of an object named by plural; the apiVersion defaults to the modelled kind's. */
  async #objectPath(ref: ObjectRef): Promise<{ path: string; apiVersion: string }> {
    resourcePlural(ref.resource);
    const apiVersion = ref.apiVersion ? checkApiVersion(ref.apiVersion) : kindByPlural(ref.resource)?.apiVersion;
    if (!apiVersion) throw badUserInput(`apiVersion is required for ${JSON.stringify(ref.resource)}: the schema does not model that kind.`);
    if (ref.namespace) namespaceName(ref.namespace);
    objectName(ref.name);
    const target = await this.#session.target(ref.cluster);
    return { path: nativeResource(target, apiVersion, ref), apiVersion };
  }

  /** The manifest's object URL, once discovery says the cluster serves its kind and in which scope. */
  async #manifestPath(manifest: CheckedManifest, cluster: Cluster, verb: string): Promise<{ path: string; resource: string }> {
    const target = await this.#session.target(cluster);
    const served = await servedKind(this.#session, target, manifest.apiVersion, manifest.kind);
    if (!served) throw badUserInput(`The cluster does not serve kind ${manifest.kind} in ${manifest.apiVersion}.`);
    if (served.verbs && !served.verbs.includes(verb)) throw badUserInput(`${manifest.kind} cannot be changed with ${verb}.`);
    if (served.namespaced && !manifest.namespace) throw badUserInput(`${manifest.kind} is namespaced: give a namespace (argument or metadata.namespace).`);
    if (!served.namespaced && manifest.namespace) throw badUserInput(`${manifest.kind} is cluster-scoped: it takes no namespace.`);
    const path = nativeResource(target, manifest.apiVersion, { resource: served.name, namespace: manifest.namespace, name: manifest.name });
    return { path, resource: served.name };
  }

  async #send<T extends KubeObject>(call: WriteCall): Promise<T> {
    const body = call.body === undefined ? undefined : { contentType: call.contentType ?? JSON_BODY, text: JSON.stringify(call.body) };
    try {
      return await this.#session.send<T>({ method: call.method, path: call.path, body, cluster: call.cluster });
    } catch (error) {
      throw await this.#explain(error, call);
    }
  }

  /** Adds what a UI needs to recover: whether a failed write may have happened, and the resourceVersion a conflict lost to. */
  async #explain(error: unknown, call: WriteCall): Promise<unknown> {
    if (!(error instanceof UpstreamError)) return error;
    if (outcomeUnknown(error)) {
      const coded = toFacadeError(error);
      return new FacadeError(`${coded.message} The write may or may not have happened: read the object again before retrying.`, {
        ...coded.extensions,
        writeOutcome: 'unknown',
      });
    }
    if (error.status !== 409 || error.reason !== 'Conflict' || !call.objectPath) return error;
    let current: string | undefined;
    try {
      current = (await this.#session.get(call.objectPath, call.cluster)).metadata?.resourceVersion;
    } catch {
      return error;
    }
    const coded = toFacadeError(error);
    return new FacadeError(coded.message, { ...coded.extensions, ...(current !== undefined && { currentResourceVersion: current }) });
  }
}

/** A native object to patch, its names checked before any upstream call. */
interface PatchTarget {
  resource: string;
  apiVersion: string;
  namespace?: string | undefined;
  name: string;
}

function workloadPath(ref: { namespace: string; name: string }, resource: string): PatchTarget {
  return { resource, apiVersion: 'apps/v1', namespace: namespaceName(ref.namespace), name: objectName(ref.name) };
}

function nodePath(ref: { name: string }): PatchTarget {
  return { resource: 'nodes', apiVersion: 'v1', name: objectName(ref.name, 'node name') };
}

function resourceVersionPrecondition(resourceVersion: string | null | undefined): { metadata?: { resourceVersion: string } } {
  if (resourceVersion === undefined || resourceVersion === null) return {};
  if (!RESOURCE_VERSION.test(resourceVersion)) throw badUserInput('Invalid resourceVersion: pass the `metadata.resourceVersion` of an object as read.');
  return { metadata: { resourceVersion } };
}

/** RFC 3339 to the second, as kubectl's restart annotation is. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function displayText(value: string | null | undefined, what: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value.length > max || CONTROL.test(value)) throw badUserInput(`Invalid ${what}: at most ${max} characters, no control characters.`);
  return value;
}

/** WorkspaceTemplate is `tenant.kubesphere.io/v1alpha2` on 3.x and `v1beta1` on 4.x. */
function workspaceTemplateVersion(target: Target): string {
  return target.family === 'v4' ? 'tenant.kubesphere.io/v1beta1' : 'tenant.kubesphere.io/v1alpha2';
}

interface CheckedManifest {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
}

/** A manifest's identity, checked; a namespace argument must agree with `metadata.namespace`. */
function checkManifest(manifest: Record<string, unknown>, namespaceArg: string | null | undefined, needsResourceVersion: boolean): CheckedManifest {
  const { apiVersion, kind, metadata } = manifest;
  if (typeof apiVersion !== 'string' || apiVersion === '') throw badUserInput('The manifest needs `apiVersion`.');
  checkApiVersion(apiVersion);
  if (typeof kind !== 'string' || !KIND.test(kind)) throw badUserInput('The manifest needs `kind`, for example `Deployment`.');
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) throw badUserInput('The manifest needs `metadata.name`.');
  const meta = metadata as Record<string, unknown>;
  if (typeof meta.name !== 'string' || meta.name === '') throw badUserInput('The manifest needs `metadata.name`.');
  objectName(meta.name);
  if (meta.namespace !== undefined && meta.namespace !== null && typeof meta.namespace !== 'string')
    throw badUserInput('`metadata.namespace` must be a string.');
  const inManifest = meta.namespace || undefined;
  if (inManifest) namespaceName(inManifest);
  if (namespaceArg) namespaceName(namespaceArg);
  if (inManifest && namespaceArg && inManifest !== namespaceArg)
    throw badUserInput(`The manifest's namespace ${JSON.stringify(inManifest)} disagrees with the namespace argument ${JSON.stringify(namespaceArg)}.`);
  if (needsResourceVersion) {
    const rv = meta.resourceVersion;
    if (typeof rv !== 'string' || !RESOURCE_VERSION.test(rv))
      throw badUserInput('The manifest needs `metadata.resourceVersion` (as read), so that a concurrent change is not overwritten.');
  }
  return { apiVersion, kind, name: meta.name, namespace: inManifest ?? namespaceArg ?? undefined };
}

/** Whether a failed write may still have happened: no answer came back, or the answer could not be read. */
function outcomeUnknown(error: UpstreamError): boolean {
  switch (error.kind) {
    case 'timeout':
    case 'cancelled':
    case 'oversize':
    case 'bad-body':
      return true;
    case 'unavailable':
      return !NOT_SENT.has(transportCode(error.cause) ?? '');
    case 'status':
      return error.status === 504;
    default:
      return false;
  }
}

function transportCode(error: unknown): string | undefined {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * A delete's answer: the object (terminating while a grace period or
 * finalizers hold it), a Kubernetes Status, or the tenant API's
 * `{"message":"success"}`.
 */
function deleted(
  answer: KubeObject,
  ref: { resource: string; apiVersion: string; name: string; namespace?: string | null | undefined; dryRun: boolean },
): Deleted {
  const isObject = answer.kind !== 'Status' && answer.metadata !== undefined && typeof answer.metadata === 'object' && !!answer.metadata.name;
  const details = (answer as { details?: { uid?: string; kind?: string } }).details;
  const object = isObject ? answer : undefined;
  return {
    kind: object?.kind ?? kindByPlural(ref.resource)?.kind ?? details?.kind ?? ref.resource,
    name: ref.name,
    namespace: ref.namespace ?? undefined,
    uid: object?.metadata?.uid ?? details?.uid,
    dryRun: ref.dryRun,
    status: object ? (object.metadata?.deletionTimestamp ? 'terminating' : 'deleted') : answer.kind === 'Status' ? 'deleted' : 'accepted',
    object,
    resource: ref.resource,
    apiVersion: ref.apiVersion,
  };
}
