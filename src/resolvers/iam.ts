import type { QueryResolvers, RoleResolvers, UserResolvers } from '../generated/graphql.ts';
import { username } from '../kubesphere/paths.ts';
import { clusterOf, type RoleResource } from '../kubesphere/types.ts';
import { listAt } from './list.ts';

export const iamQuery = {
  users: (_parent, args, ctx) => listAt((cluster, query) => ctx.api.users(cluster, query), args, ctx),
  user: (_parent, { name, cluster }, { loaders }) => loaders.userByName.load({ cluster, name: username(name) }),
  me: (_parent, { cluster }, { loaders, kubesphere }) => loaders.userByName.load({ cluster, name: kubesphere.callerName() }),
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
