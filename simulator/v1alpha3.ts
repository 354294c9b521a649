/**
 * `GET /kapis/resources.kubesphere.io/v1alpha3/[namespaces/{ns}/]{resources}[/{name}]`
 * (api doc §4): `{items,totalItems}` lists with KubeSphere's filter/sort/page
 * semantics, bare objects on get, and the flavour's not-found status.
 */
import { T } from './resources.ts';
import type { RequestContext } from './context.ts';
import { jsonReply, listReply, notFoundMessage, routerMethodNotAllowed, routerNotFound, textReply } from './errors.ts';
import { enrichNode } from './kinds.ts';
import { listObjects, parseListQuery } from './query.ts';
import { v1alpha3Route } from './resources.ts';
import { listFallback } from './fallback.ts';
import type { KObject, Reply } from './types.ts';

export function handleResources(ctx: RequestContext, segs: string[]): Reply {
  let namespace: string | undefined;
  let rest = segs;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    namespace = segs[1];
    rest = segs.slice(2);
  }
  const [plural, name, ...extra] = rest;
  if (!plural || extra.length) return routerNotFound();
  if (ctx.method !== 'GET') return routerMethodNotAllowed();

  const route = v1alpha3Route(ctx.flavour, plural, namespace !== undefined);
  const type = route ? ctx.sim.registry.get(route.type) : undefined;
  const scopeNamespace = namespace ?? (plural === 'namespaces' ? name : undefined);
  const workspace = !namespace && (plural === 'workspaces' || plural === 'workspacetemplates') ? name : undefined;
  ctx.authorize({
    verb: name === undefined ? 'list' : 'get',
    apiGroup: type?.group ?? '',
    resource: plural,
    ...(name ? { name } : {}),
    ...(scopeNamespace ? { namespace: scopeNamespace } : {}),
    ...(workspace ? { workspace } : {}),
  });
  if (!type) return textReply(404, 'resource is not supported');

  const store = type.hostOnly ? ctx.hostStore : ctx.store;
  if (name !== undefined) {
    const obj = store.get(type.id, type.namespaced ? namespace : undefined, name);
    // 3.x sends every v1alpha3 getter error to HandleInternalError; its v1alpha2
    // fallback and 4.x map the NotFound status (api.HandleError).
    if (!obj || (type.namespaced && namespace === undefined))
      return textReply(ctx.flavour === '3.4' && !route!.fallback ? 500 : 404, notFoundMessage(type.plural, type.group, name));
    return jsonReply(200, transform(ctx, type.id, obj, true));
  }
  const query = parseListQuery(ctx.query);
  const result = route!.fallback
    ? listFallback(store.list(type.id, namespace), query, type.id, ctx.store)
    : listObjects(store.list(type.id, namespace), query, { flavour: ctx.flavour, store: ctx.store, type: type.id });
  return listReply(
    {},
    result.items.map((o) => transform(ctx, type.id, o, false)),
    { totalItems: result.totalItems },
  );
}

/**
 * What the getters add on the way out: node request annotations. Pods keep
 * their raw `status.phase` on both flavours: 4.1's `setPodStatus` is never
 * called (release-4.1:pkg/models/resources/v1alpha3/pod/pods.go).
 */
function transform(ctx: RequestContext, type: string, obj: KObject, single: boolean): KObject {
  const out = type === T.node ? enrichNode(obj, ctx.store, single) : obj;
  return ctx.present(out, { typeMeta: false });
}
