import type { QueryResolvers, WorkspaceMemberResolvers, WorkspaceResolvers } from '../generated/graphql.ts';
import { tenant, workspaceName } from '../kubesphere/paths.ts';
import type { NamespaceResource, RoleResource, WorkspaceResource } from '../kubesphere/types.ts';
import { page } from '../model/paging.ts';
import { listAt, pageLocally, paging } from './list.ts';

export const tenantQuery = {
  workspaces: (_parent, args, ctx) => listAt<WorkspaceResource>((target) => tenant(target, 'workspaces'), args, ctx),
  workspace: (_parent, { name, cluster }, { loaders }) => loaders.workspaceByName.load({ cluster, name: workspaceName(name) }),
} satisfies QueryResolvers;

export const Workspace: WorkspaceResolvers = {
  metadata: (ws) => ws.metadata ?? {},
  aliasName: (ws) => ws.metadata?.annotations?.['kubesphere.io/alias-name'] ?? null,
  description: (ws) => ws.metadata?.annotations?.['kubesphere.io/description'] ?? null,
  manager: (ws) => ws.spec?.template?.spec?.manager ?? ws.spec?.manager ?? null,
  clusterNames: (ws) => (ws.spec?.placement?.clusters ?? []).map((c) => c.name),
  clusters: (ws, _args, { loaders }) => Promise.all((ws.spec?.placement?.clusters ?? []).map((c) => loaders.clusterByName.load({ name: c.name }))),
  namespaces: async (ws, args, ctx) => {
    paging(args, ctx.lists);
    const items = await ctx.loaders.namespacesOfWorkspace.load({ cluster: args.cluster, name: ws.metadata?.name ?? '' });
    return pageLocally(items as NamespaceResource[], args, ctx.lists);
  },
  members: async (ws, args, ctx) => {
    const { page: pageNumber, limit } = paging(args, ctx.lists);
    const members = await ctx.loaders.membersOfWorkspace.load({ name: ws.metadata?.name ?? '' });
    return page(members, pageNumber, limit, (a, b) => String(a.user.metadata?.name).localeCompare(String(b.user.metadata?.name)));
  },
  raw: (ws) => ws,
};

export const WorkspaceMember: WorkspaceMemberResolvers = {
  workspaceName: (m) => m.workspace,
  workspace: (m, _args, { loaders }) => loaders.workspaceByName.load({ cluster: m.cluster, name: m.workspace }),
  roleName: (m) => m.role ?? null,
  role: (m, _args, { loaders }) => (m.role ? (loaders.objectByName.load({ resource: 'workspaceroles', name: m.role }) as Promise<RoleResource>) : null),
  user: (m) => m.user,
};
