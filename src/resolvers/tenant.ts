import type { QueryResolvers, WorkspaceMemberResolvers, WorkspaceResolvers } from '../generated/graphql.ts';
import { clusterName, workspaceName } from '../kubesphere/paths.ts';
import { clusterOf, tagKind, type NamespaceResource, type RoleResource, type WorkspaceResource } from '../kubesphere/types.ts';
import { listAt, pageItems, pageLocally } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { metricsField } from './metrics.ts';

export const tenantQuery = {
  workspaces: (_parent, args, ctx) => listAt('workspaces', (cluster, query) => ctx.api.workspaces(cluster, query), args, ctx),
  workspace: (_parent, { name, cluster }, { loaders }) => loaders.workspaceByName.load({ cluster, name: workspaceName(name) }),
} satisfies QueryResolvers;

export const Workspace: WorkspaceResolvers = {
  ...kubeObjectFields<WorkspaceResource>('WorkspaceTemplate'),
  // Workspaces are global; their metrics are per cluster, the host unless the field names one.
  metrics: metricsField('workspace', (ws: WorkspaceResource, args) => ({
    cluster: args.cluster ? clusterName(args.cluster) : clusterOf(ws),
    name: ws.metadata?.name ?? '',
  })),
  aliasName: (ws) => ws.metadata?.annotations?.['kubesphere.io/alias-name'] ?? null,
  description: (ws) => ws.metadata?.annotations?.['kubesphere.io/description'] ?? null,
  manager: (ws) => ws.spec?.template?.spec?.manager ?? ws.spec?.manager ?? null,
  clusterNames: (ws) => (ws.spec?.placement?.clusters ?? []).map((c) => c.name),
  clusters: (ws, _args, { loaders }) => Promise.all((ws.spec?.placement?.clusters ?? []).map((c) => loaders.clusterByName.load({ name: c.name }))),
  namespaces: async (ws, args, ctx) =>
    pageItems(
      'namespaces',
      args,
      ctx,
      (await ctx.kubesphere.target(args.cluster)).family,
      async () => (await ctx.loaders.namespacesOfWorkspace.load({ cluster: args.cluster, name: ws.metadata?.name ?? '' })) as NamespaceResource[],
    ),
  members: (ws, args, ctx) =>
    pageLocally(
      args,
      ctx.lists,
      () => ctx.loaders.membersOfWorkspace.load({ name: ws.metadata?.name ?? '' }),
      (a, b) => String(a.user.metadata?.name).localeCompare(String(b.user.metadata?.name)),
    ),
};

export const WorkspaceMember: WorkspaceMemberResolvers = {
  workspaceName: (m) => m.workspace,
  workspace: (m, _args, { loaders }) => loaders.workspaceByName.load({ cluster: m.cluster, name: m.workspace }),
  roleName: (m) => m.role ?? null,
  role: async (m, _args, { loaders }) =>
    m.role ? tagKind((await loaders.objectByName.load({ resource: 'workspaceroles', name: m.role })) as RoleResource, 'WorkspaceRole') : null,
  user: (m) => m.user,
};
