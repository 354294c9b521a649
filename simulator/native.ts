/**
 * The Kubernetes-native API (`/api`, `/apis`) that ks-apiserver proxies to
 * kube-apiserver: discovery, get, and list with label/field selectors and
 * limit/continue paging, with kube-apiserver's List and Status shapes.
 */
import { T } from './resources.ts';
import type { RequestContext } from './context.ts';
import { badRequest, HttpError, jsonReply, listReply, notFoundStatus, statusReply } from './errors.ts';
import type { ResourceType } from './resources.ts';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError, type FieldRequirement } from './selectors.ts';
import { keyOf } from './store.ts';
import { toTable, wantsTable } from './table.ts';
import type { KObject, Reply } from './types.ts';
import { podLog } from './logs.ts';
import { watchReply } from './watch.ts';
import { handleWrite, scale } from './writes.ts';

type Any = Record<string, any>;

const NOT_FOUND = () => new HttpError(statusReply(404, 'the server could not find the requested resource', {}));

export function handleNative(ctx: RequestContext, rest: string[]): Reply {
  const core = rest[0] === 'api';
  const group = core ? '' : (rest[1] ?? '');
  const version = core ? rest[1] : rest[2];
  const tail = rest.slice(core ? 2 : 3);

  if (version === undefined) {
    if (core)
      return discovery(ctx, () => ({
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '192.168.0.11:6443' }],
      }));
    if (rest.length === 1) return discovery(ctx, () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: ctx.sim.registry.groups().map(apiGroup) }));
    const g = ctx.sim.registry.groups().find((x) => x.name === group);
    if (!g) throw NOT_FOUND();
    return discovery(ctx, () => ({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) }));
  }
  const resources = ctx.sim.registry.groupVersionResources(group, version);
  if (!resources) throw NOT_FOUND();
  if (tail.length === 0) {
    return discovery(ctx, () => ({
      kind: 'APIResourceList',
      ...(core ? {} : { apiVersion: 'v1' }),
      groupVersion: core ? version : `${group}/${version}`,
      resources: resources.flatMap(apiResources),
    }));
  }

  let segs = tail;
  let watch = ['true', '1'].includes(ctx.query.get('watch') ?? '');
  if (segs[0] === 'watch') {
    watch = true;
    segs = segs.slice(1);
  }
  // [res] [res,name] [res,name,sub] [namespaces,ns,res] [namespaces,ns,res,name] [namespaces,ns,res,name,sub]
  let namespace: string | undefined;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  const [plural, name, subresource, ...extra] = segs;
  if (extra.length) throw NOT_FOUND();
  const type = ctx.sim.registry.find(group, version, plural!);
  if (!type || (namespace !== undefined && !type.namespaced) || (namespace === undefined && type.namespaced && name !== undefined)) throw NOT_FOUND();

  const WRITE_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name === undefined ? 'deletecollection' : 'delete' };
  const write = WRITE_VERBS[ctx.method];
  const verb = write ?? (watch ? 'watch' : name === undefined ? 'list' : 'get');
  ctx.authorize({
    verb,
    apiGroup: group,
    resource: type.plural,
    ...(subresource ? { subresource } : {}),
    ...(name ? { name } : {}),
    // For `/api/v1/namespaces/{ns}` the namespace is the object itself.
    ...(namespace ? { namespace } : type.plural === 'namespaces' && name ? { namespace: name } : {}),
  });
  const store = type.hostOnly ? ctx.hostStore : ctx.store;
  if (write) return handleWrite(ctx, { type, store, namespace, name, subresource });
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
    throw new HttpError(statusReply(405, 'the server does not allow this method on the requested resource', {}, 'MethodNotAllowed'));
  if (watch) {
    if (name !== undefined || subresource !== undefined) throw NOT_FOUND();
    return watchReply(ctx, type, store, namespace, selection(ctx, type));
  }
  if (subresource === 'scale' && name !== undefined) return scale(ctx, { type, store, namespace, name, subresource });

  if (name !== undefined) {
    const obj = store.get(type.id, namespace, name);
    if (!obj) throw new HttpError(notFoundStatus(type.plural, group, name));
    if (subresource === 'log' && type.id === T.pod) return podLog(ctx, obj);
    if (subresource !== undefined && subresource !== 'status') throw NOT_FOUND();
    if (wantsTable(ctx.headers.accept))
      return jsonReply(
        200,
        toTable(type.id, [ctx.present(obj)], { resourceVersion: obj.metadata.resourceVersion }, ctx.query.get('includeObject'), Date.now()),
      );
    return jsonReply(200, ctx.present(obj));
  }
  return list(ctx, type, store.listSorted(type.id, namespace), store.resourceVersion);
}

function discovery(ctx: RequestContext, body: () => unknown): Reply {
  ctx.authorize({ verb: 'get', apiGroup: '' });
  return jsonReply(200, body());
}

function apiGroup(g: { name: string; versions: string[] }) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

const SUBRESOURCES: Record<string, string[]> = {
  [T.pod]: ['log', 'status'],
  [T.deployment]: ['scale', 'status'],
  [T.statefulset]: ['scale', 'status'],
  [T.daemonset]: ['status'],
  [T.replicaset]: ['scale', 'status'],
  [T.job]: ['status'],
  [T.node]: ['status'],
  [T.namespace]: ['status'],
};

function apiResources(t: ResourceType) {
  const main = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
  };
  const subs = (SUBRESOURCES[t.id] ?? []).map((s) =>
    s === 'scale'
      ? {
          name: `${t.plural}/scale`,
          singularName: '',
          namespaced: t.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        }
      : { name: `${t.plural}/${s}`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get'] },
  );
  return [main, ...subs];
}

/** Field selectors kube-apiserver supports per kind (everything has metadata.name/namespace). */
function fieldValue(type: string, o: KObject, field: string): string | undefined {
  if (field === 'metadata.name') return o.metadata.name;
  if (field === 'metadata.namespace') return o.metadata.namespace ?? '';
  const s = (o.spec as Any | undefined) ?? {};
  const st = (o.status as Any | undefined) ?? {};
  switch (type) {
    case T.pod:
      switch (field) {
        case 'spec.nodeName':
          return s.nodeName ?? '';
        case 'spec.restartPolicy':
          return s.restartPolicy ?? '';
        case 'spec.schedulerName':
          return s.schedulerName ?? '';
        case 'spec.serviceAccountName':
          return s.serviceAccountName ?? '';
        case 'spec.hostNetwork':
          return String(s.hostNetwork ?? false);
        case 'status.phase':
          return st.phase ?? '';
        case 'status.podIP':
          return st.podIP ?? '';
        case 'status.nominatedNodeName':
          return st.nominatedNodeName ?? '';
      }
      return undefined;
    case T.event: {
      const io = (o.involvedObject as Any | undefined) ?? {};
      if (field.startsWith('involvedObject.')) {
        const key = field.slice('involvedObject.'.length);
        return ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].includes(key) ? String(io[key] ?? '') : undefined;
      }
      if (field === 'reason' || field === 'type' || field === 'reportingComponent') return String(o[field] ?? '');
      if (field === 'source') return String((o.source as Any | undefined)?.component ?? '');
      return undefined;
    }
    case T.secret:
      return field === 'type' ? String(o.type ?? '') : undefined;
    case T.node:
      return field === 'spec.unschedulable' ? String(s.unschedulable ?? false) : undefined;
    case T.namespace:
      return field === 'status.phase' ? (st.phase ?? '') : undefined;
    case T.replicaset:
      return field === 'status.replicas' ? String(st.replicas ?? 0) : undefined;
    case T.job:
      return field === 'status.successful' ? String(st.succeeded ?? 0) : undefined;
    case T.service:
      return field === 'spec.clusterIP' ? (s.clusterIP ?? '') : field === 'spec.type' ? (s.type ?? '') : undefined;
  }
  return undefined;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string' || typeof parsed.rv !== 'number') throw new Error('bad');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/** The list's label and field selectors as one predicate (a 400 for a bad or unsupported one); watches filter with it too. */
export function selection(ctx: RequestContext, type: ResourceType): (o: KObject) => boolean {
  let labelSel;
  let fieldSel: FieldRequirement[];
  try {
    labelSel = parseLabelSelector(ctx.query.get('labelSelector') ?? '');
    fieldSel = parseFieldSelector(ctx.query.get('fieldSelector') ?? '');
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
  for (const f of fieldSel) {
    if (fieldValue(type.id, { metadata: { name: '' } }, f.field) === undefined) throw badRequest(`field label not supported: ${f.field}`);
  }
  return (o) => matchesLabels(labelSel, o.metadata.labels) && matchesFields(fieldSel, (f) => fieldValue(type.id, o, f));
}

function list(ctx: RequestContext, type: ResourceType, all: readonly KObject[], resourceVersion: string): Reply {
  const filtered = all.filter(selection(ctx, type));
  const selected = !!ctx.query.get('labelSelector') || !!ctx.query.get('fieldSelector');

  let start = 0;
  const cont = ctx.query.get('continue');
  if (cont) {
    const token = decodeContinue(cont);
    start = filtered.findIndex((o) => keyOf(o.metadata.namespace, o.metadata.name) > token.start);
    if (start === -1) start = filtered.length;
  }
  const limitParam = Number(ctx.query.get('limit') ?? '');
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : undefined;
  const page = limit === undefined ? filtered.slice(start) : filtered.slice(start, start + limit);
  const metadata: Record<string, unknown> = { resourceVersion };
  const remaining = filtered.length - start - page.length;
  if (limit !== undefined && remaining > 0) {
    const last = page[page.length - 1]!;
    metadata.continue = Buffer.from(
      JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start: `${keyOf(last.metadata.namespace, last.metadata.name)}\u0000` }),
    ).toString('base64url');
    // kube-apiserver cannot count what a selector would skip, so it leaves the count out.
    if (!selected) metadata.remainingItemCount = remaining;
  }
  const items = page.map((o) => ctx.present(o));
  if (wantsTable(ctx.headers.accept)) return jsonReply(200, toTable(type.id, items, metadata, ctx.query.get('includeObject'), Date.now()));
  return listReply({ kind: `${type.kind}List`, apiVersion: ctx.sim.registry.apiVersionOf(type), metadata }, items);
}
