/**
 * `tenant.kubesphere.io` (api doc §5): workspaces, their projects and
 * clusters, filtered by what the caller may see. 3.4 serves v1alpha2 (+
 * v1alpha3 templates), 4.1 serves v1beta1 (+ read-only v1alpha3).
 */
import { T } from './resources.ts';
import type { RequestContext } from './context.ts';
import { jsonReply, listReply, notFoundMessage, routerMethodNotAllowed, routerNotFound, textReply } from './errors.ts';
import { listObjects, parseListQuery } from './query.ts';
import { createObject, deleteCascade, parseBody } from './writes.ts';
import { HttpError } from './errors.ts';
import type { KObject, Reply } from './types.ts';

const GROUP = 'tenant.kubesphere.io';

type Route = 'full' | 'v1alpha3';

function routeKind(ctx: RequestContext, version: string): Route | undefined {
  if (version === 'v1alpha3') return 'v1alpha3';
  if (ctx.flavour === '3.4' && version === 'v1alpha2') return 'full';
  if (ctx.flavour === '4.1' && version === 'v1beta1') return 'full';
  return undefined;
}

export function handleTenant(ctx: RequestContext, version: string, segs: string[]): Reply {
  const route = routeKind(ctx, version);
  if (!route) return routerNotFound();
  const [first, ws, sub, subName, leaf, ...extra] = segs;
  if (extra.length) return routerNotFound();
  if (route === 'full' && (ctx.method === 'POST' || ctx.method === 'DELETE') && first === 'workspaces' && leaf === undefined) {
    const write = tenantWrite(ctx, ws, sub, subName);
    if (write) return write;
  }
  if (ctx.method !== 'GET') return routerMethodNotAllowed();
  const v34 = ctx.flavour === '3.4';

  switch (first) {
    case 'workspaces':
      if (ws === undefined) return listWorkspaces(ctx, workspacesType(route, v34));
      if (sub === undefined) return getWorkspace(ctx, workspacesType(route, v34), ws);
      if (sub === 'namespaces' && leaf === undefined) return subName === undefined ? listWorkspaceNamespaces(ctx, ws) : getWorkspaceNamespace(ctx, ws, subName);
      if (route === 'full' && sub === 'clusters' && subName === undefined) return listWorkspaceClusters(ctx, ws);
      if (route === 'full' && sub === 'workspacemembers' && subName !== undefined && leaf === 'namespaces') return listMemberNamespaces(ctx, ws, subName);
      return routerNotFound();
    case 'workspacetemplates':
      if (route === 'full' && v34) return routerNotFound();
      if (sub !== undefined) return routerNotFound();
      return ws === undefined ? listWorkspaces(ctx, T.workspacetemplate, first) : getWorkspace(ctx, T.workspacetemplate, ws, first);
    case 'namespaces':
      if (ws !== undefined || (route === 'v1alpha3' && v34)) return routerNotFound();
      return listVisibleNamespaces(ctx);
    case 'clusters':
      if (ws !== undefined || (route === 'v1alpha3' && v34)) return routerNotFound();
      return listVisibleClusters(ctx);
    default:
      return routerNotFound();
  }
}

/**
 * What `GET .../workspaces[/{ws}]` returns. 3.4 v1alpha2 and 4.1 v1alpha3 answer
 * WorkspaceTemplates; 3.4 v1alpha3 and 4.1 v1beta1 the per-cluster Workspace
 * objects. 4.1 registers both handlers on `v1alpha3/workspaces` and on
 * `v1beta1/workspaces`, and go-restful takes the first registered:
 * ListWorkspaceTemplates in release-4.1:pkg/kapis/tenant/v1alpha3/register.go,
 * ListWorkspaces/GetWorkspace in release-4.1:pkg/kapis/tenant/v1beta1/register.go.
 * Templates are read at `workspacetemplates` there, as the 4.x console does.
 */
function workspacesType(route: Route, v34: boolean): string {
  return (route === 'v1alpha3') === v34 ? T.workspace : T.workspacetemplate;
}

function list(ctx: RequestContext, type: string, objects: readonly KObject[]): Reply {
  const result = listObjects(objects, parseListQuery(ctx.query), { flavour: ctx.flavour, store: ctx.store, type });
  return listReply(
    {},
    result.items.map((o) => ctx.present(o, { typeMeta: false })),
    { totalItems: result.totalItems },
  );
}

/** `resource` only names the route in Forbidden messages: who may see what is the same on `workspaces` and `workspacetemplates`. */
function listWorkspaces(ctx: RequestContext, type: string, resource = 'workspaces'): Reply {
  requireUser(ctx, resource);
  const store = type === T.workspace ? ctx.store : ctx.hostStore;
  const visible = store.list(type).filter((w) => ctx.sim.directory.canSeeWorkspace(ctx.user, w.metadata.name));
  return list(ctx, type, visible);
}

/** Anyone authenticated may call the visibility-filtered lists; anonymous callers may not. */
function requireUser(ctx: RequestContext, resource: string): void {
  if (ctx.user === 'system:anonymous') ctx.authorize({ verb: 'list', apiGroup: GROUP, resource });
}

function getWorkspace(ctx: RequestContext, type: string, ws: string, resource = 'workspaces'): Reply {
  ctx.authorize({ verb: 'get', apiGroup: GROUP, resource, name: ws, workspace: ws });
  const store = type === T.workspace ? ctx.store : ctx.hostStore;
  const obj = store.get(type, undefined, ws);
  if (!obj) return textReply(404, notFoundMessage(type === T.workspace ? 'workspaces' : 'workspacetemplates', GROUP, ws));
  return jsonReply(200, ctx.present(obj, { typeMeta: false }));
}

function workspaceNamespaces(ctx: RequestContext, ws: string): KObject[] {
  return ctx.store
    .list(T.namespace)
    .filter((n) => n.metadata.labels?.['kubesphere.io/workspace'] === ws && ctx.sim.directory.canUseNamespace(ctx.user, ctx.cluster, n.metadata.name));
}

function listWorkspaceNamespaces(ctx: RequestContext, ws: string): Reply {
  ctx.authorize({ verb: 'list', apiGroup: '', resource: 'namespaces', workspace: ws });
  return list(ctx, T.namespace, workspaceNamespaces(ctx, ws));
}

function getWorkspaceNamespace(ctx: RequestContext, ws: string, name: string): Reply {
  ctx.authorize({ verb: 'get', apiGroup: '', resource: 'namespaces', name, namespace: name });
  const ns = ctx.store.get(T.namespace, undefined, name);
  if (!ns || ns.metadata.labels?.['kubesphere.io/workspace'] !== ws) return textReply(404, notFoundMessage('namespaces', '', name));
  return jsonReply(200, ctx.present(ns, { typeMeta: false }));
}

function listVisibleNamespaces(ctx: RequestContext): Reply {
  requireUser(ctx, 'namespaces');
  const visible = ctx.store.list(T.namespace).filter((n) => ctx.sim.directory.canUseNamespace(ctx.user, ctx.cluster, n.metadata.name));
  return list(ctx, T.namespace, visible);
}

function listVisibleClusters(ctx: RequestContext): Reply {
  requireUser(ctx, 'clusters');
  const visible = ctx.hostStore.list(T.cluster).filter((c) => ctx.sim.directory.canSeeCluster(ctx.user, c.metadata.name));
  return list(ctx, T.cluster, visible);
}

function listWorkspaceClusters(ctx: RequestContext, ws: string): Reply {
  ctx.authorize({ verb: 'list', apiGroup: 'cluster.kubesphere.io', resource: 'clusters', workspace: ws });
  const tpl = ctx.hostStore.get(T.workspacetemplate, undefined, ws);
  const placed = ((tpl?.spec as { placement?: { clusters?: { name: string }[] } } | undefined)?.placement?.clusters ?? []).map((c) => c.name);
  return list(
    ctx,
    T.cluster,
    ctx.hostStore.list(T.cluster).filter((c) => placed.includes(c.metadata.name)),
  );
}

function listMemberNamespaces(ctx: RequestContext, ws: string, member: string): Reply {
  ctx.authorize({ verb: 'list', apiGroup: '', resource: 'namespaces', workspace: ws });
  const namespaces = ctx.store
    .list(T.namespace)
    .filter((n) => n.metadata.labels?.['kubesphere.io/workspace'] === ws && ctx.sim.directory.canUseNamespace(member, ctx.cluster, n.metadata.name));
  return list(ctx, T.namespace, namespaces);
}

// ---- writes ----------------------------------------------------------------------------

/**
 * POST/DELETE `workspaces` and `workspaces/{ws}/namespaces[/{ns}]`. Like the
 * real handlers these IGNORE `dryRun`: `pkg/models/tenant/tenant.go` calls
 * client.Create/Delete without dry-run options (release-3.4 and
 * release-4.1), so `?dryRun=All` creates or deletes for real. Errors from
 * the client come back through api.HandleBadRequest/HandleNotFound as text
 * (release-4.1:pkg/kapis/tenant/v1beta1/handler.go), success of a delete is
 * `servererr.None` (`{"message":"success"}`).
 */
function tenantWrite(ctx: RequestContext, ws: string | undefined, sub: string | undefined, name: string | undefined): Reply | undefined {
  const success = () => jsonReply(200, { message: 'success' });
  const asText = (fn: () => Reply): Reply => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof HttpError) || error.reply.status === 403) throw error;
      const status = error.reply.status === 404 ? 404 : error.reply.status >= 500 ? 500 : 400;
      const message = (JSON.parse(String(error.reply.body)) as { message?: string }).message ?? '';
      return textReply(status, message);
    }
  };
  const registry = ctx.sim.registry;
  if (sub === undefined && ws === undefined && ctx.method === 'POST') {
    ctx.authorize({ verb: 'create', apiGroup: GROUP, resource: 'workspaces' });
    return asText(() => {
      const body = parseBody(ctx) as KObject;
      const tplType = registry.get(T.workspacetemplate);
      const created = createObject(ctx, { type: tplType, store: ctx.hostStore, namespace: undefined, name: undefined, subresource: undefined }, body, false);
      const spec = (created.spec ?? {}) as { template?: { spec?: Record<string, unknown> }; placement?: { clusters?: { name: string }[] } };
      const clusters = ctx.flavour === '4.1' || spec.placement ? (spec.placement?.clusters ?? []).map((c) => c.name) : [];
      const wsType = registry.get(T.workspace);
      for (const cluster of clusters) {
        const store = ctx.sim.world.clusters.get(cluster);
        if (!store || store.get(T.workspace, undefined, created.metadata.name)) continue;
        createObject(
          ctx,
          { type: wsType, store, namespace: undefined, name: undefined, subresource: undefined },
          {
            metadata: {
              name: created.metadata.name,
              labels: { ...created.metadata.labels },
              ownerReferences: [
                {
                  apiVersion: created.apiVersion!,
                  kind: created.kind!,
                  name: created.metadata.name,
                  uid: created.metadata.uid!,
                  controller: true,
                  blockOwnerDeletion: true,
                },
              ],
            },
            spec: { ...(spec.template?.spec ?? {}) },
          },
          false,
        );
      }
      return jsonReply(200, ctx.present(created, { typeMeta: true }));
    });
  }
  if (sub === undefined && ws !== undefined && ctx.method === 'DELETE') {
    ctx.authorize({ verb: 'delete', apiGroup: GROUP, resource: 'workspaces', name: ws, workspace: ws });
    return asText(() => {
      const tpl = ctx.hostStore.get(T.workspacetemplate, undefined, ws);
      if (!tpl) return textReply(404, notFoundMessage('workspacetemplates', GROUP, ws));
      deleteCascade(ctx.hostStore, T.workspacetemplate, tpl, 'Background');
      for (const store of ctx.sim.world.clusters.values()) {
        const w = store.get(T.workspace, undefined, ws);
        if (w) deleteCascade(store, T.workspace, w, 'Background');
      }
      return success();
    });
  }
  if (sub === 'namespaces' && ws !== undefined && name === undefined && ctx.method === 'POST') {
    ctx.authorize({ verb: 'create', apiGroup: '', resource: 'namespaces', workspace: ws });
    return asText(() => {
      const body = parseBody(ctx) as KObject;
      const meta = (body?.metadata ?? {}) as KObject['metadata'];
      const ns = { ...body, metadata: { ...meta, labels: { ...meta.labels, 'kubesphere.io/workspace': ws } } };
      const created = createObject(
        ctx,
        { type: registry.get(T.namespace), store: ctx.store, namespace: undefined, name: undefined, subresource: undefined },
        ns,
        false,
      );
      return jsonReply(200, ctx.present(created));
    });
  }
  if (sub === 'namespaces' && ws !== undefined && name !== undefined && ctx.method === 'DELETE') {
    ctx.authorize({ verb: 'delete', apiGroup: '', resource: 'namespaces', name, namespace: name });
    return asText(() => {
      const ns = ctx.store.get(T.namespace, undefined, name);
      if (!ns || ns.metadata.labels?.['kubesphere.io/workspace'] !== ws) return textReply(404, notFoundMessage('namespaces', '', name));
      deleteCascade(ctx.store, T.namespace, ns, 'Background');
      return success();
    });
  }
  return undefined;
}
