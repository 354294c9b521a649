/**
 * Writes on the Kubernetes-native paths (`/api`, `/apis`), with
 * kube-apiserver's semantics: create, update (optimistic concurrency on
 * resourceVersion), merge / strategic merge / JSON patch, server-side apply
 * with field managers, delete with propagationPolicy, the `scale`
 * subresource, and `dryRun=All`. Stored changes go through
 * ClusterStore.write/remove, then the controllers run.
 */
import { parse as parseYaml } from 'yaml';
import type { RequestContext } from './context.ts';
import { reconcile, ownedBy } from './controllers.ts';
import { uidFor } from './det.ts';
import { badRequest, HttpError, jsonReply, notFoundStatus, statusReply } from './errors.ts';
import {
  applyJsonPatch,
  canonical,
  changedPaths,
  describePath,
  fromFieldsV1,
  isObject,
  leafPaths,
  mergePatch,
  pathKey,
  removeAt,
  strategicMergePatch,
  toFieldsV1,
  valueAt,
  type FieldPath,
} from './patch.ts';
import { T, type ResourceType } from './resources.ts';
import type { ClusterStore } from './store.ts';
import type { KObject, Reply } from './types.ts';

type Any = Record<string, any>;

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Kinds whose objects carry `metadata.generation` (workloads and every KubeSphere CRD). */
function hasGeneration(t: ResourceType): boolean {
  return t.group.endsWith('kubesphere.io') || [T.deployment, T.replicaset, T.statefulset, T.daemonset, T.job, T.cronjob, T.ingress, T.hpa].includes(t.id);
}

const SCALABLE = new Set<string>([T.deployment, T.statefulset, T.replicaset]);

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface WriteTarget {
  type: ResourceType;
  store: ClusterStore;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

/** `dryRun`: only `All` exists; any other value fails CreateOptions/UpdateOptions/... validation. */
export function dryRun(ctx: RequestContext, options: string): boolean {
  const values = ctx.query.getAll('dryRun');
  const bad = values.find((v) => v !== 'All');
  if (bad !== undefined) throw invalid(`${options}.meta.k8s.io ""`, `dryRun[0]: Unsupported value: "${bad}": supported values: "All"`, {});
  return values.length > 0;
}

function invalid(what: string, cause: string, details: Any): HttpError {
  return new HttpError(statusReply(422, `${what} is invalid: ${cause}`, details, 'Invalid'));
}

function conflict(t: ResourceType, name: string): HttpError {
  const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
  return new HttpError(
    statusReply(
      409,
      `Operation cannot be fulfilled on ${gr} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, ...(t.group ? { group: t.group } : {}), kind: t.plural },
      'Conflict',
    ),
  );
}

export function parseBody(ctx: RequestContext, yamlAllowed = false): unknown {
  const contentType = String(ctx.headers['content-type'] ?? 'application/json');
  try {
    if (yamlAllowed || /yaml/.test(contentType)) return parseYaml(ctx.body);
    return JSON.parse(ctx.body);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Validates a new object for the target kind, as the REST create strategy and ObjectMeta validation do. */
function validateObject(ctx: RequestContext, t: ResourceType, obj: unknown, urlNamespace: string | undefined): KObject {
  if (!isObject(obj) || !isObject(obj.metadata)) {
    if (!isObject(obj)) throw badRequest("Object 'Kind' is missing in the request body");
  }
  const o = obj as KObject;
  o.metadata ??= { name: '' };
  const apiVersion = ctx.sim.registry.apiVersionOf(t);
  if (o.apiVersion !== undefined && o.apiVersion !== apiVersion)
    throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${apiVersion})`);
  if (o.kind !== undefined && o.kind !== t.kind) throw badRequest(`the kind in the data (${o.kind}) does not match the expected kind (${t.kind})`);
  if (t.namespaced) {
    if (o.metadata.namespace !== undefined && o.metadata.namespace !== '' && o.metadata.namespace !== urlNamespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    o.metadata.namespace = urlNamespace;
  } else delete o.metadata.namespace;
  const name = o.metadata.name ?? '';
  const kindName = t.group ? `${t.kind}.${t.group}` : t.kind;
  if (!name)
    throw invalid(`${kindName} ""`, 'metadata.name: Required value: name or generateName is required', {
      kind: t.kind,
      ...(t.group ? { group: t.group } : {}),
    });
  const label = t.id === T.namespace || t.id === T.service;
  if (!(label ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name) || name.length > (label ? 63 : 253)) {
    const rule = label
      ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
      : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
    throw invalid(`${kindName} "${name}"`, `metadata.name: Invalid value: "${name}": ${rule}`, { name, ...(t.group ? { group: t.group } : {}), kind: t.kind });
  }
  return { apiVersion, kind: t.kind, ...o } as KObject;
}

function managerOf(ctx: RequestContext): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const agent = String(ctx.headers['user-agent'] ?? 'unknown');
  return agent.split('/')[0] || 'unknown';
}

/** Records an Update by `manager`: it takes the fields that changed, other managers lose them. */
function trackUpdate(before: KObject | undefined, after: KObject, manager: string, apiVersion: string, subresource?: string): void {
  const changed = changedPaths(before ? strip(before) : {}, strip(after)).filter((p) => valueAt(after, p) !== undefined);
  const changedKeys = new Set(changed.map(pathKey));
  const entries = (after.metadata.managedFields ?? [])
    .map((e) => ({ ...e, fieldsV1: toFieldsV1(fromFieldsV1(e.fieldsV1).filter((p) => !changedKeys.has(pathKey(p)))) }))
    .filter((e) => Object.keys(e.fieldsV1).length > 0);
  if (changed.length === 0 && before) {
    after.metadata.managedFields = before.metadata.managedFields;
    return;
  }
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && (e as Any).subresource === subresource);
  const owned = [...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed];
  const entry = {
    manager,
    operation: 'Update',
    apiVersion,
    time: now(),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(owned),
    ...(subresource ? { subresource } : {}),
  };
  after.metadata.managedFields = [...entries.filter((e) => e !== mine), entry] as KObject['metadata']['managedFields'];
}

/** The parts of an object fields can be owned in. */
function strip(o: KObject): Any {
  const { apiVersion: _a, kind: _k, status: _s, ...rest } = o;
  const { labels, annotations } = o.metadata;
  return { ...rest, metadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } };
}

/** Stores (unless dry-run) and runs the controllers; the one path native and tenant writes share. */
export function commit(store: ClusterStore, t: ResourceType, before: KObject | undefined, after: KObject, dry: boolean): KObject {
  if (dry) return after;
  const stored = store.write(t.id, after);
  reconcile(store, t.id, before, stored);
  return store.get(t.id, stored.metadata.namespace, stored.metadata.name) ?? stored;
}

export function createObject(ctx: RequestContext, target: WriteTarget, body: unknown, dry: boolean, manager = managerOf(ctx)): KObject {
  const t = target.type;
  const obj = validateObject(ctx, t, body, target.namespace);
  if (t.namespaced && !target.store.get(T.namespace, undefined, obj.metadata.namespace!))
    throw new HttpError(notFoundStatus('namespaces', '', obj.metadata.namespace!));
  if (target.store.get(t.id, obj.metadata.namespace, obj.metadata.name)) {
    const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
    throw new HttpError(
      statusReply(409, `${gr} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, ...(t.group ? { group: t.group } : {}), kind: t.plural }),
    );
  }
  const { name, namespace, labels, annotations, ownerReferences, finalizers, generateName } = obj.metadata;
  obj.metadata = {
    name,
    ...(generateName ? { generateName } : {}),
    ...(namespace ? { namespace } : {}),
    uid: uidFor(target.store.name, t.id, namespace ?? '', name, target.store.resourceVersion, 'created'),
    ...(dry ? {} : { resourceVersion: '' }),
    ...(hasGeneration(t) ? { generation: 1 } : {}),
    creationTimestamp: now(),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    ...(ownerReferences ? { ownerReferences } : {}),
    ...(finalizers ? { finalizers } : {}),
  };
  if (t.id === T.namespace) {
    obj.spec = { finalizers: ['kubernetes'], ...(obj.spec as Any) };
    obj.status = { phase: 'Active' };
  }
  trackUpdate(undefined, obj, manager, ctx.sim.registry.apiVersionOf(t));
  return commit(target.store, t, undefined, obj, dry);
}

/** A replacement of `before` by `next`, keeping server-owned fields (the update strategy). */
function updateObject(ctx: RequestContext, target: WriteTarget, before: KObject, candidate: unknown, dry: boolean, track: (after: KObject) => void): KObject {
  const t = target.type;
  const next = validateObject(ctx, t, candidate, before.metadata.namespace);
  if (next.metadata.name !== before.metadata.name)
    throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${before.metadata.name})`);
  const rv = next.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== before.metadata.resourceVersion) throw conflict(t, before.metadata.name);
  next.metadata = {
    ...next.metadata,
    uid: before.metadata.uid,
    resourceVersion: before.metadata.resourceVersion,
    creationTimestamp: before.metadata.creationTimestamp,
    ...(before.metadata.deletionTimestamp ? { deletionTimestamp: before.metadata.deletionTimestamp } : {}),
    managedFields: before.metadata.managedFields,
  };
  if (before.metadata.generation !== undefined)
    next.metadata.generation = before.metadata.generation + (canonical(next.spec) !== canonical(before.spec) ? 1 : 0);
  // The main resource ignores status changes (they go through /status).
  if (before.status !== undefined) next.status = before.status;
  else delete next.status;
  track(next);
  if (canonical(next) === canonical(before)) return before;
  return commit(target.store, t, before, next, dry);
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/** Entry point from handleNative for POST/PUT/PATCH/DELETE. */
export function handleWrite(ctx: RequestContext, target: WriteTarget): Reply {
  const t = target.type;
  const method = ctx.method;
  if (target.subresource === 'scale') return scale(ctx, target);
  if (target.subresource !== undefined)
    throw new HttpError(statusReply(405, `the server does not allow this method on the requested resource`, {}, 'MethodNotAllowed'));
  if (method === 'POST') {
    if (target.name !== undefined)
      throw new HttpError(statusReply(405, 'the server does not allow this method on the requested resource', {}, 'MethodNotAllowed'));
    const dry = dryRun(ctx, 'CreateOptions');
    return jsonReply(201, ctx.present(createObject(ctx, target, parseBody(ctx), dry)));
  }
  if (target.name === undefined)
    throw new HttpError(statusReply(405, 'the server does not allow this method on the requested resource', {}, 'MethodNotAllowed'));
  const before = target.store.get(t.id, target.namespace, target.name);
  if (method === 'DELETE') return deleteReply(ctx, target, before);
  const apiVersion = ctx.sim.registry.apiVersionOf(t);
  const manager = managerOf(ctx);
  if (method === 'PUT') {
    const dry = dryRun(ctx, 'UpdateOptions');
    if (!before) throw new HttpError(notFoundStatus(t.plural, t.group, target.name));
    return jsonReply(200, ctx.present(updateObject(ctx, target, before, parseBody(ctx), dry, (after) => trackUpdate(before, after, manager, apiVersion))));
  }
  if (method === 'PATCH') {
    const dry = dryRun(ctx, 'PatchOptions');
    const contentType = String(ctx.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (!PATCH_TYPES.includes(contentType))
      throw new HttpError(
        statusReply(
          415,
          `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
          undefined,
          'UnsupportedMediaType',
        ),
      );
    if (contentType === 'application/apply-patch+yaml') return apply(ctx, target, before, dry);
    if (ctx.query.has('force')) throw invalid('PatchOptions.meta.k8s.io ""', 'force: Forbidden: may not be specified for non-apply patch', {});
    if (!before) throw new HttpError(notFoundStatus(t.plural, t.group, target.name));
    const patched = patchWith(contentType, before, parseBody(ctx));
    return jsonReply(200, ctx.present(updateObject(ctx, target, before, patched, dry, (after) => trackUpdate(before, after, manager, apiVersion))));
  }
  throw new HttpError(statusReply(405, 'the server does not allow this method on the requested resource', {}, 'MethodNotAllowed'));
}

function patchWith(contentType: string, before: KObject, patch: unknown): unknown {
  const base = structuredClone(before);
  try {
    if (contentType === 'application/json-patch+json') return applyJsonPatch(base, patch);
    if (contentType === 'application/merge-patch+json') return mergePatch(base, patch);
    return strategicMergePatch(base, patch);
  } catch (error) {
    throw new HttpError(statusReply(422, (error as Error).message, undefined, 'Invalid'));
  }
}

// ---- server-side apply ---------------------------------------------------------------

function apply(ctx: RequestContext, target: WriteTarget, before: KObject | undefined, dry: boolean): Reply {
  const t = target.type;
  const manager = ctx.query.get('fieldManager');
  if (!manager) throw invalid('PatchOptions.meta.k8s.io ""', 'fieldManager: Required value: is required for apply patch', {});
  const force = ctx.query.get('force') === 'true';
  const config = parseBody(ctx, true);
  if (!isObject(config)) throw badRequest('error decoding YAML: the applied configuration is not an object');
  const applied = validateObject(ctx, t, structuredClone(config), target.namespace ?? (config.metadata as Any | undefined)?.namespace);
  if (applied.metadata.name !== target.name)
    throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${target.name})`);
  const apiVersion = ctx.sim.registry.apiVersionOf(t);
  const paths = leafPaths(strip(applied)).filter((p) => valueAt(applied, p) !== undefined);
  if (!before) {
    const created = createObject(ctx, target, config, true, manager);
    created.metadata.managedFields = [{ manager, operation: 'Apply', apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths) }];
    return jsonReply(201, ctx.present(commit(target.store, t, undefined, created, dry)));
  }
  const rv = applied.metadata.resourceVersion;
  if (rv && rv !== before.metadata.resourceVersion) throw conflict(t, before.metadata.name);
  // Conflicts: fields another manager owns, set here to a different value.
  const entries = before.metadata.managedFields ?? [];
  const conflicts: [string, FieldPath][] = [];
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Apply') continue;
    const owned = new Set(fromFieldsV1(e.fieldsV1).map(pathKey));
    for (const p of paths) if (owned.has(pathKey(p)) && canonical(valueAt(before, p)) !== canonical(valueAt(applied, p))) conflicts.push([e.manager!, p]);
  }
  if (conflicts.length && !force) {
    const lines = conflicts.map(([m, p]) => `conflict with "${m}"${conflicts.length === 1 ? '' : ''}: ${describePath(p)}`);
    const message =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: conflict with "${conflicts[0]![0]}" using ${apiVersion}: ${describePath(conflicts[0]![1])}`
        : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
    const body = JSON.parse(statusReply(409, message, undefined, 'Conflict').body as string) as Any;
    body.details = {
      causes: conflicts.map(([m, p]) => ({ type: 'FieldManagerConflict', message: `conflict with "${m}" using ${apiVersion}`, field: describePath(p) })),
    };
    delete body.code;
    body.code = 409;
    throw new HttpError(jsonReply(409, body));
  }
  // Merge the configuration; fields this manager applied before and dropped now are removed.
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const appliedKeys = new Set(paths.map(pathKey));
  const othersOwn = new Set(entries.filter((e) => e !== mine).flatMap((e) => fromFieldsV1(e.fieldsV1).map(pathKey)));
  const merged = strategicMergePatch(structuredClone(before), strip(applied)) as KObject;
  for (const p of mine ? fromFieldsV1(mine.fieldsV1) : []) if (!appliedKeys.has(pathKey(p)) && !othersOwn.has(pathKey(p))) removeAt(merged as Any, p);
  const result = updateObject(ctx, target, before, merged, dry, (after) => {
    const taken = new Set(conflicts.map(([, p]) => pathKey(p)));
    const rest = entries
      .filter((e) => e !== mine)
      .map((e) => ({ ...e, fieldsV1: toFieldsV1(fromFieldsV1(e.fieldsV1).filter((p) => !taken.has(pathKey(p)))) }))
      .filter((e) => Object.keys(e.fieldsV1).length > 0);
    after.metadata.managedFields = [
      ...rest,
      { manager, operation: 'Apply', apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths) },
    ] as KObject['metadata']['managedFields'];
  });
  return jsonReply(200, ctx.present(result));
}

// ---- delete ---------------------------------------------------------------------------

interface DeleteOptions {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
}

function deleteOptions(ctx: RequestContext): DeleteOptions {
  let body: DeleteOptions = {};
  if (ctx.body.trim() !== '') {
    const parsed = parseBody(ctx);
    if (isObject(parsed)) body = parsed as DeleteOptions;
  }
  const q = ctx.query;
  return {
    ...body,
    ...(q.has('propagationPolicy') ? { propagationPolicy: q.get('propagationPolicy')! } : {}),
    ...(q.has('gracePeriodSeconds') ? { gracePeriodSeconds: Number(q.get('gracePeriodSeconds')) } : {}),
    ...(q.has('orphanDependents') ? { orphanDependents: q.get('orphanDependents') === 'true' } : {}),
  };
}

function deleteReply(ctx: RequestContext, target: WriteTarget, before: KObject | undefined): Reply {
  const t = target.type;
  const dry = dryRun(ctx, 'DeleteOptions');
  const options = deleteOptions(ctx);
  const policy = options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : 'Background');
  if (!['Background', 'Foreground', 'Orphan'].includes(policy))
    throw invalid(
      'DeleteOptions.meta.k8s.io ""',
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      {},
    );
  if (options.gracePeriodSeconds !== undefined && !(Number.isInteger(options.gracePeriodSeconds) && options.gracePeriodSeconds >= 0))
    throw badRequest(`invalid gracePeriodSeconds: ${String(options.gracePeriodSeconds)}`);
  if (!before) throw new HttpError(notFoundStatus(t.plural, t.group, target.name!));
  const pre = options.preconditions ?? {};
  if ((pre.uid && pre.uid !== before.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== before.metadata.resourceVersion)) {
    const which =
      pre.uid && pre.uid !== before.metadata.uid
        ? `UID in precondition: ${pre.uid}, UID in object meta: ${before.metadata.uid}`
        : `ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${before.metadata.resourceVersion}`;
    const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
    throw new HttpError(
      statusReply(
        409,
        `Operation cannot be fulfilled on ${gr} "${before.metadata.name}": Precondition failed: ${which}`,
        { name: before.metadata.name, ...(t.group ? { group: t.group } : {}), kind: t.plural },
        'Conflict',
      ),
    );
  }
  // Pods stop gracefully: the answer shows deletionTimestamp, then the simulated kubelet removes them at once.
  const grace =
    t.id === T.pod ? (options.gracePeriodSeconds ?? ((before.spec as Any | undefined)?.terminationGracePeriodSeconds as number | undefined) ?? 30) : 0;
  const marked: KObject =
    grace > 0 || policy === 'Foreground'
      ? {
          ...before,
          metadata: {
            ...before.metadata,
            deletionTimestamp: new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            ...(grace > 0 ? { deletionGracePeriodSeconds: grace } : {}),
            ...(policy === 'Foreground' ? { finalizers: [...(before.metadata.finalizers ?? []), 'foregroundDeletion'] } : {}),
          } as KObject['metadata'],
        }
      : before;
  if (dry) return jsonReply(200, ctx.present(marked));
  deleteCascade(target.store, t.id, marked === before ? before : target.store.write(t.id, marked), policy);
  return jsonReply(200, ctx.present(marked === before ? before : (target.store.get(t.id, before.metadata.namespace, before.metadata.name) ?? marked)));
}

/** Deletes an object and, per propagation policy, its dependents (ownerReferences) or orphans them. */
export function deleteCascade(store: ClusterStore, type: string, obj: KObject, policy: string): void {
  const dependents: [string, KObject][] = [];
  for (const depType of store.types())
    for (const d of store.list(depType, type === T.namespace ? obj.metadata.name : obj.metadata.namespace)) if (ownedBy(d, obj)) dependents.push([depType, d]);
  if (type === T.namespace) for (const depType of store.types()) for (const d of store.list(depType, obj.metadata.name)) dependents.push([depType, d]);
  const foreground = policy === 'Foreground' || type === T.namespace;
  if (policy === 'Orphan') {
    for (const [depType, d] of dependents) {
      const current = store.get(depType, d.metadata.namespace, d.metadata.name);
      if (current)
        store.write(depType, {
          ...current,
          metadata: { ...current.metadata, ownerReferences: current.metadata.ownerReferences?.filter((r) => r.uid !== obj.metadata.uid) },
        });
    }
  }
  if (!foreground) {
    store.remove(type, obj.metadata.namespace, obj.metadata.name);
    reconcile(store, type, obj, undefined);
  }
  if (policy !== 'Orphan')
    for (const [depType, d] of dependents) {
      const current = store.get(depType, d.metadata.namespace, d.metadata.name);
      if (current) deleteCascade(store, depType, current, policy === 'Foreground' ? 'Foreground' : 'Background');
    }
  if (foreground) store.remove(type, obj.metadata.namespace, obj.metadata.name);
}

// ---- /scale ----------------------------------------------------------------------------

function toScale(o: KObject): KObject {
  const labels = ((o.spec as Any).selector?.matchLabels ?? {}) as Record<string, string>;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: (o.spec as Any).replicas ?? 1 },
    status: {
      replicas: (o.status as Any | undefined)?.replicas ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

/** GET/PUT/PATCH `…/{name}/scale` (autoscaling/v1 Scale) for deployments, statefulsets, replicasets. */
export function scale(ctx: RequestContext, target: WriteTarget): Reply {
  const t = target.type;
  if (!SCALABLE.has(t.id)) throw new HttpError(statusReply(404, 'the server could not find the requested resource', {}));
  const before = target.store.get(t.id, target.namespace, target.name!);
  if (!before) throw new HttpError(notFoundStatus(t.plural, t.group, target.name!));
  if (ctx.method === 'GET') return jsonReply(200, toScale(before));
  const current = toScale(before);
  let next: unknown;
  if (ctx.method === 'PUT') {
    dryRun(ctx, 'UpdateOptions');
    next = parseBody(ctx);
  } else if (ctx.method === 'PATCH') {
    dryRun(ctx, 'PatchOptions');
    const contentType = String(ctx.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    next = contentType === 'application/apply-patch+yaml' ? mergePatch(current, parseBody(ctx, true)) : patchWith(contentType, current, parseBody(ctx));
  } else throw new HttpError(statusReply(405, 'the server does not allow this method on the requested resource', {}, 'MethodNotAllowed'));
  const dry = ctx.query.has('dryRun');
  const replicas = (next as Any)?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0)
    throw invalid(`Scale.autoscaling "${before.metadata.name}"`, `spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`, {
      name: before.metadata.name,
      group: 'autoscaling',
      kind: 'Scale',
    });
  const rv = (next as Any)?.metadata?.resourceVersion;
  if (rv && rv !== before.metadata.resourceVersion) throw conflict(t, before.metadata.name);
  const updated = structuredClone(before);
  (updated.spec as Any).replicas = replicas;
  const result = updateObject(ctx, target, before, updated, dry, (after) =>
    trackUpdate(before, after, managerOf(ctx), ctx.sim.registry.apiVersionOf(t), 'scale'),
  );
  return jsonReply(200, toScale(result));
}
