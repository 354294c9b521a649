/**
 * `iam.kubesphere.io` (api doc §6): users and the member lists of cluster,
 * workspace and project. Members are User objects carrying their role in an
 * annotation. 3.4 serves v1alpha2 (with role routes), 4.1 serves v1beta1
 * (with the user's role templates, and without GET on a single cluster or
 * namespace member).
 */
import { T } from './resources.ts';
import type { RequestContext } from './context.ts';
import { jsonReply, listReply, notFoundMessage, routerMethodNotAllowed, routerNotFound, textReply } from './errors.ts';
import { listObjects, parseListQuery } from './query.ts';
import { ROLE_TEMPLATE } from './roletemplates.ts';
import type { KObject, Reply } from './types.ts';

const GROUP = 'iam.kubesphere.io';

const ANNOTATION = {
  global: 'iam.kubesphere.io/globalrole',
  workspace: 'iam.kubesphere.io/workspacerole',
  namespace: 'iam.kubesphere.io/role',
  cluster: 'iam.kubesphere.io/clusterrole',
};

export function handleIam(ctx: RequestContext, version: string, segs: string[]): Reply {
  const v34 = ctx.flavour === '3.4';
  if ((v34 && version !== 'v1alpha2') || (!v34 && version !== 'v1beta1')) return routerNotFound();
  if (ctx.method !== 'GET') return routerMethodNotAllowed();
  const [a, b, c, d, e, ...extra] = segs;
  if (extra.length) return routerNotFound();

  if (a === 'users') {
    if (b === undefined) return listUsers(ctx);
    if (c === undefined) return getUser(ctx, b);
    if (v34 && c === 'globalroles' && d === undefined) return userGlobalRoles(ctx, b);
    if (c === 'loginrecords' && d === undefined) return emptyUserList(ctx, b, 'loginrecords');
    if (!v34 && c === 'roletemplates' && d === undefined) return userRoleTemplates(ctx, b);
    return routerNotFound();
  }
  if (a === 'clustermembers') {
    const members = ctx.sim.directory.clusterMembers(ctx.cluster);
    if (b === undefined) return memberList(ctx, { resource: 'clustermembers' }, members, ANNOTATION.cluster);
    // 4.1 registers only PUT and DELETE on a single cluster member, so go-restful answers GET with 405.
    if (c === undefined) return v34 ? memberGet(ctx, { resource: 'clustermembers', name: b }, members, ANNOTATION.cluster, b) : routerMethodNotAllowed();
    if (v34 && c === 'clusterroles' && d === undefined)
      return roleOfMember(ctx, { resource: 'clustermembers', name: b }, members, b, (role) => ctx.store.get(T.clusterrole, undefined, role));
    return routerNotFound();
  }
  if (v34 && a === 'globalroles') return roleList(ctx, { resource: 'globalroles' }, T.globalrole, ctx.hostStore.list(T.globalrole), b, c);
  if (v34 && a === 'clusterroles')
    return roleList(ctx, { resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' }, T.clusterrole, ctx.store.list(T.clusterrole), b, c);
  if (a === 'workspaces' && b !== undefined) {
    const ws = b;
    const scope = { workspace: ws };
    if (c === 'workspacemembers') {
      const members = ctx.sim.directory.workspaceMembers(ws);
      if (d === undefined)
        return v34
          ? memberList(ctx, { resource: 'workspacemembers', ...scope }, members, ANNOTATION.workspace, 'workspacerole')
          : stubMemberList(ctx, { resource: 'workspacemembers', ...scope }, members, ANNOTATION.workspace, 'workspacerole');
      if (e === undefined) return memberGet(ctx, { resource: 'workspacemembers', name: d, ...scope }, members, ANNOTATION.workspace, d);
      if (v34 && e === 'workspaceroles')
        return roleOfMember(ctx, { resource: 'workspacemembers', name: d, ...scope }, members, d, (role) =>
          ctx.hostStore.get(T.workspacerole, undefined, role),
        );
      return routerNotFound();
    }
    if (v34 && c === 'workspaceroles' && e === undefined) {
      const roles = ctx.hostStore.list(T.workspacerole).filter((r) => r.metadata.labels?.['kubesphere.io/workspace'] === ws);
      return roleList(ctx, { resource: 'workspaceroles', ...scope }, T.workspacerole, roles, d, undefined);
    }
    return routerNotFound();
  }
  if (a === 'namespaces' && b !== undefined) {
    const ns = b;
    const scope = { namespace: ns };
    const membersRoute = v34 ? 'members' : 'namespacemembers';
    if (c === membersRoute) {
      const members = ctx.sim.directory.namespaceMembers(ctx.cluster, ns);
      if (d === undefined) return memberList(ctx, { resource: membersRoute, ...scope }, members, ANNOTATION.namespace, 'role');
      // Likewise 4.1 has only PUT and DELETE on `namespacemembers/{m}`.
      if (e === undefined)
        return v34 ? memberGet(ctx, { resource: membersRoute, name: d, ...scope }, members, ANNOTATION.namespace, d) : routerMethodNotAllowed();
      if (v34 && e === 'roles') return roleOfMember(ctx, { resource: membersRoute, name: d, ...scope }, members, d, (role) => ctx.store.get(T.role, ns, role));
      return routerNotFound();
    }
    if (v34 && c === 'roles' && e === undefined) {
      return roleList(ctx, { resource: 'roles', apiGroup: 'rbac.authorization.k8s.io', ...scope }, T.role, ctx.store.list(T.role, ns), d, undefined);
    }
    return routerNotFound();
  }
  return routerNotFound();
}

interface Scope {
  resource: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
  workspace?: string;
}

function authorize(ctx: RequestContext, verb: 'get' | 'list', scope: Scope): void {
  ctx.authorize({
    verb,
    apiGroup: scope.apiGroup ?? GROUP,
    resource: scope.resource,
    ...(scope.name ? { name: scope.name } : {}),
    ...(scope.namespace ? { namespace: scope.namespace } : {}),
    ...(scope.workspace ? { workspace: scope.workspace } : {}),
  });
}

/** A User as the IAM API shows it: password stripped, role annotation added. */
function userView(user: KObject, annotation: string, role: string | undefined): KObject {
  const spec = { ...(user.spec as Record<string, unknown>) };
  delete spec.password;
  const annotations = { ...user.metadata.annotations, ...(role ? { [annotation]: role } : {}) };
  return { ...user, metadata: { ...user.metadata, annotations }, spec };
}

function respondList(ctx: RequestContext, type: string, objects: readonly KObject[], reserved: readonly string[] = []): Reply {
  const result = listObjects(objects, parseListQuery(ctx.query, reserved), { flavour: ctx.flavour, store: ctx.store, type });
  return listReply(
    {},
    result.items.map((o) => ctx.present(o, { typeMeta: false })),
    { totalItems: result.totalItems },
  );
}

function listUsers(ctx: RequestContext): Reply {
  authorize(ctx, 'list', { resource: 'users' });
  const globalrole = ctx.query.get('globalrole');
  const dir = ctx.sim.directory;
  const users = ctx.hostStore
    .list(T.user)
    .filter((u) => !globalrole || dir.globalRole(u.metadata.name) === globalrole)
    .map((u) => userView(u, ANNOTATION.global, dir.globalRole(u.metadata.name)));
  return respondList(ctx, T.user, users, ['globalrole']);
}

function getUser(ctx: RequestContext, name: string): Reply {
  authorize(ctx, 'get', { resource: 'users', name });
  const user = ctx.hostStore.get(T.user, undefined, name);
  if (!user) return textReply(404, notFoundMessage('users', GROUP, name));
  return jsonReply(200, ctx.present(userView(user, ANNOTATION.global, ctx.sim.directory.globalRole(name)), { typeMeta: false }));
}

function userGlobalRoles(ctx: RequestContext, name: string): Reply {
  authorize(ctx, 'get', { resource: 'users', name });
  if (!ctx.hostStore.get(T.user, undefined, name)) return textReply(404, notFoundMessage('users', GROUP, name));
  const role = ctx.sim.directory.globalRole(name);
  const obj = role ? ctx.hostStore.get(T.globalrole, undefined, role) : undefined;
  return jsonReply(200, { items: obj ? [ctx.present(obj, { typeMeta: false })] : [], totalItems: obj ? 1 : 0 });
}

/**
 * 4.1 `ListRoleTemplateOfUser`: the RoleTemplates that the user's role in the
 * `scope` query parameter aggregates. Only `scope=global` has aggregating
 * roles in the demo world; like the real handler, a missing or other scope,
 * an unknown user or a role without templates gives an empty list, and
 * template names that do not exist are skipped.
 */
function userRoleTemplates(ctx: RequestContext, name: string): Reply {
  // The filter allows users to read themselves; reading anyone else needs `get users`.
  ctx.authorize({ verb: 'get', apiGroup: GROUP, resource: 'users', subresource: 'roletemplates', name });
  const role = ctx.query.get('scope') === 'global' ? ctx.sim.directory.globalRole(name) : undefined;
  const obj = role ? ctx.hostStore.get(T.globalrole, undefined, role) : undefined;
  const names = (obj?.aggregationRoleTemplates as { templateNames?: string[] } | undefined)?.templateNames ?? [];
  const templates = names.map((n) => ctx.hostStore.get(ROLE_TEMPLATE, undefined, n)).filter((t): t is KObject => t !== undefined);
  return listReply(
    {},
    templates.map((t) => ctx.present(t, { typeMeta: false })),
    { totalItems: templates.length },
  );
}

function emptyUserList(ctx: RequestContext, name: string, sub: string): Reply {
  ctx.authorize({ verb: 'list', apiGroup: GROUP, resource: 'users', subresource: sub, name });
  if (!ctx.hostStore.get(T.user, undefined, name)) return textReply(404, notFoundMessage('users', GROUP, name));
  return jsonReply(200, { items: [], totalItems: 0 });
}

function memberList(ctx: RequestContext, scope: Scope, members: [string, string][], annotation: string, roleParam?: string): Reply {
  authorize(ctx, 'list', scope);
  const wanted = roleParam ? ctx.query.get(roleParam) : null;
  const users = members
    .filter(([, role]) => !wanted || role === wanted)
    .map(([user, role]) => {
      const obj = ctx.hostStore.get(T.user, undefined, user);
      return obj ? userView(obj, annotation, role) : undefined;
    })
    .filter((u): u is KObject => u !== undefined);
  return respondList(ctx, T.user, users, roleParam ? [roleParam] : []);
}

/**
 * 4.1 `ListWorkspaceMembers` builds a bare `iamv1beta1.User` per binding
 * subject instead of reading the User objects
 * (release-4.1:pkg/kapis/iam/v1beta1/handler.go). Go's encoding of that
 * struct keeps the non-omitempty zero values: `creationTimestamp: null`,
 * `spec.email: ""` and an empty `status`. Clients fetch the users themselves
 * (`users?names=...`). The list semantics are `DefaultList` with the default
 * filter, so no user-specific filters apply.
 */
function stubMemberList(ctx: RequestContext, scope: Scope, members: [string, string][], annotation: string, roleParam: string): Reply {
  authorize(ctx, 'list', scope);
  const wanted = ctx.query.get(roleParam);
  const stubs: KObject[] = members
    .filter(([, role]) => !wanted || role === wanted)
    .map(([user, role]) => ({
      metadata: { name: user, creationTimestamp: null as unknown as string, annotations: { [annotation]: role } },
      spec: { email: '' },
      status: {},
    }));
  return respondList(ctx, 'stub-user', stubs, [roleParam]);
}

function memberGet(ctx: RequestContext, scope: Scope, members: [string, string][], annotation: string, name: string): Reply {
  authorize(ctx, 'get', scope);
  const role = members.find(([user]) => user === name)?.[1];
  const obj = ctx.hostStore.get(T.user, undefined, name);
  if (!role || !obj) return textReply(404, notFoundMessage('users', GROUP, name));
  return jsonReply(200, ctx.present(userView(obj, annotation, role), { typeMeta: false }));
}

function roleOfMember(ctx: RequestContext, scope: Scope, members: [string, string][], name: string, lookup: (role: string) => KObject | undefined): Reply {
  authorize(ctx, 'get', scope);
  const role = members.find(([user]) => user === name)?.[1];
  const obj = role ? lookup(role) : undefined;
  if (!obj) return textReply(404, notFoundMessage('users', GROUP, name));
  return jsonReply(200, { items: [ctx.present(obj, { typeMeta: false })], totalItems: 1 });
}

function roleList(ctx: RequestContext, scope: Scope, type: string, roles: readonly KObject[], name: string | undefined, extra: string | undefined): Reply {
  if (extra !== undefined) return routerNotFound();
  if (name === undefined) {
    authorize(ctx, 'list', scope);
    return respondList(ctx, type, roles);
  }
  authorize(ctx, 'get', { ...scope, name });
  const obj = roles.find((r) => r.metadata.name === name);
  const t = ctx.sim.registry.get(type);
  if (!obj) return textReply(404, notFoundMessage(t.plural, t.group, name));
  return jsonReply(200, ctx.present(obj, { typeMeta: false }));
}
