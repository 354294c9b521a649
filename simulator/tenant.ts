/**
 * `tenant.kubesphere.io` (api doc §5): workspaces, their projects and
 * clusters, filtered by what the caller may see. 3.4 serves v1alpha2 (+
 * v1alpha3 templates), 4.1 serves v1beta1 (+ read-only v1alpha3).
 */
import { T } from './resources.ts';
import type { RequestContext } from './context.ts';
import { jsonReply, listReply, notFoundMessage, routerMethodNotAllowed, routerNotFound, textReply } from './errors.ts';
import { listObjects, parseListQuery } from './query.ts';
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
  if (ctx.method !== 'GET') return routerMethodNotAllowed();
  const [first, ws, sub, subName, leaf, ...extra] = segs;
  if (extra.length) return routerNotFound();
  const v34 = ctx.flavour === '3.4';

  switch (first) {
    case 'workspaces':
      if (ws === undefined) {
        // 3.4's v1alpha3 `workspaces` are the per-cluster Workspace objects.
        return route === 'v1alpha3' && v34 ? listWorkspaces(ctx, T.workspace) : listWorkspaces(ctx, T.workspacetemplate);
      }
      if (sub === undefined) return getWorkspace(ctx, route === 'v1alpha3' && v34 ? T.workspace : T.workspacetemplate, ws);
      if (sub === 'namespaces' && leaf === undefined) return subName === undefined ? listWorkspaceNamespaces(ctx, ws) : getWorkspaceNamespace(ctx, ws, subName);
      if (route === 'full' && sub === 'clusters' && subName === undefined) return listWorkspaceClusters(ctx, ws);
      if (route === 'full' && sub === 'workspacemembers' && subName !== undefined && leaf === 'namespaces') return listMemberNamespaces(ctx, ws, subName);
      return routerNotFound();
    case 'workspacetemplates':
      if (route === 'full' && v34) return routerNotFound();
      if (sub !== undefined) return routerNotFound();
      return ws === undefined ? listWorkspaces(ctx, T.workspacetemplate) : getWorkspace(ctx, T.workspacetemplate, ws);
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

function list(ctx: RequestContext, type: string, objects: readonly KObject[]): Reply {
  const result = listObjects(objects, parseListQuery(ctx.query), { flavour: ctx.flavour, store: ctx.store, type });
  return listReply(
    {},
    result.items.map((o) => ctx.present(o, { typeMeta: false })),
    { totalItems: result.totalItems },
  );
}

function listWorkspaces(ctx: RequestContext, type: string): Reply {
  requireUser(ctx, 'workspaces');
  const store = type === T.workspace ? ctx.store : ctx.hostStore;
  const visible = store.list(type).filter((w) => ctx.sim.directory.canSeeWorkspace(ctx.user, w.metadata.name));
  return list(ctx, type, visible);
}

/** Anyone authenticated may call the visibility-filtered lists; anonymous callers may not. */
function requireUser(ctx: RequestContext, resource: string): void {
  if (ctx.user === 'system:anonymous') ctx.authorize({ verb: 'list', apiGroup: GROUP, resource });
}

function getWorkspace(ctx: RequestContext, type: string, ws: string): Reply {
  ctx.authorize({ verb: 'get', apiGroup: GROUP, resource: 'workspaces', name: ws, workspace: ws });
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
