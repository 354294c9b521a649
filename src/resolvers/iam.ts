import type { QueryResolvers, RoleResolvers, UserResolvers } from '../generated/graphql.ts';
import { readBearerToken } from '../context.ts';
import { unauthenticated } from '../errors.ts';
import { iam, username } from '../kubesphere/paths.ts';
import { clusterOf, type RoleResource, type UserResource } from '../kubesphere/types.ts';
import { listAt } from './list.ts';

/**
 * The username a KubeSphere JWT names (its `username` claim). It only picks
 * which account to fetch: the fetch carries the token, so KubeSphere decides.
 */
function tokenUsername(header: string | null): string {
  const { token } = readBearerToken(header);
  if (!token) throw unauthenticated();
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { username?: unknown };
    if (typeof claims.username === 'string') return username(claims.username);
  } catch (error) {
    if (error instanceof Error && error.name === 'FacadeError') throw error;
  }
  throw unauthenticated('The token does not name a KubeSphere user.');
}

export const iamQuery = {
  users: (_parent, args, ctx) => listAt<UserResource>((target) => iam(target, 'users'), args, ctx),
  user: (_parent, { name, cluster }, { loaders }) => loaders.userByName.load({ cluster, name: username(name) }),
  me: (_parent, { cluster }, { loaders, request }) => loaders.userByName.load({ cluster, name: tokenUsername(request.headers.get('authorization')) }),
} satisfies QueryResolvers;

const GLOBAL_ROLE = 'iam.kubesphere.io/globalrole';

export const User: UserResolvers = {
  metadata: (u) => u.metadata ?? {},
  username: (u) => u.metadata?.name ?? '',
  email: (u) => u.spec?.email ?? null,
  displayName: (u) => u.spec?.displayName ?? null,
  description: (u) => u.spec?.description ?? null,
  lang: (u) => u.spec?.lang ?? null,
  state: (u) => u.status?.state ?? null,
  lastLoginTime: (u) => u.status?.lastLoginTime ?? null,
  globalRoleName: (u) => u.metadata?.annotations?.[GLOBAL_ROLE] ?? null,
  globalRole: (u, _args, { loaders }) => {
    const role = u.metadata?.annotations?.[GLOBAL_ROLE];
    return role ? (loaders.objectByName.load({ cluster: clusterOf(u), resource: 'globalroles', name: role }) as Promise<RoleResource>) : null;
  },
  workspaces: (u, _args, { loaders }) => loaders.workspacesOfUser.load({ cluster: clusterOf(u), name: u.metadata?.name ?? '' }),
  raw: (u) => {
    const { password: _password, ...spec } = u.spec ?? {};
    return { ...u, spec };
  },
};

function aggregationRoles(role: RoleResource): string[] {
  try {
    const parsed: unknown = JSON.parse(role.metadata?.annotations?.['iam.kubesphere.io/aggregation-roles'] ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

export const Role: RoleResolvers = {
  metadata: (r) => r.metadata ?? {},
  aliasName: (r) => r.metadata?.annotations?.['kubesphere.io/alias-name'] ?? null,
  rules: (r) =>
    (r.rules ?? []).map((rule) => ({
      verbs: rule.verbs ?? [],
      apiGroups: rule.apiGroups ?? [],
      resources: rule.resources ?? [],
      resourceNames: rule.resourceNames ?? [],
      nonResourceURLs: rule.nonResourceURLs ?? [],
    })),
  aggregationRoles: (r) => aggregationRoles(r),
  raw: (r) => r,
};
