import type { QueryResolvers, RoleResolvers, UserResolvers } from '../generated/graphql.ts';
import { username } from '../kubesphere/paths.ts';
import { clusterOf, tagKind, type RoleResource, type UserResource } from '../kubesphere/types.ts';
import { enumValue } from '../model/enums.ts';
import { listAt, pageLocally } from './list.ts';
import { kubeObjectFields } from './object.ts';

export const iamQuery = {
  users: (_parent, args, ctx) => listAt('users', (cluster, query) => ctx.api.users(cluster, query), args, ctx),
  user: (_parent, { name, cluster }, { loaders }) => loaders.userByName.load({ cluster, name: username(name) }),
  me: (_parent, { cluster }, { loaders, kubesphere }) => loaders.userByName.load({ cluster, name: kubesphere.callerName() }),
} satisfies QueryResolvers;

const GLOBAL_ROLE = 'iam.kubesphere.io/globalrole';

export const User: UserResolvers = {
  ...kubeObjectFields<UserResource>('User'),
  username: (u) => u.metadata?.name ?? '',
  email: (u) => u.spec?.email ?? null,
  displayName: (u) => u.spec?.displayName ?? null,
  description: (u) => u.spec?.description ?? null,
  lang: (u) => u.spec?.lang ?? null,
  state: (u) => enumValue('UserState', u.status?.state),
  lastLoginTime: (u) => u.status?.lastLoginTime ?? null,
  globalRoleName: (u) => u.metadata?.annotations?.[GLOBAL_ROLE] ?? null,
  globalRole: async (u, _args, { loaders }) => {
    const role = u.metadata?.annotations?.[GLOBAL_ROLE];
    return role
      ? tagKind((await loaders.objectByName.load({ cluster: clusterOf(u), resource: 'globalroles', name: role })) as RoleResource, 'GlobalRole')
      : null;
  },
  workspaces: (u, args, ctx) =>
    pageLocally(
      args,
      ctx.lists,
      () => ctx.loaders.workspacesOfUser.load({ cluster: clusterOf(u), name: u.metadata?.name ?? '' }),
      (a, b) => a.workspace.localeCompare(b.workspace),
    ),
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
  ...kubeObjectFields<RoleResource>(),
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
};
