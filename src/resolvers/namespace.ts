import type { NamespaceResolvers, QueryResolvers, WorkspaceResolvers } from '../generated/graphql.ts';
import type { DeploymentResource, NamespaceResource, PodResource } from '../kubesphere/types.ts';
import { clusterOf } from '../kubesphere/types.ts';
import { podFilterStatus } from '../model/pod.ts';
import { getResource, listResources, pageLocally } from './list.ts';

const WORKSPACE_LABEL = 'kubesphere.io/workspace';

export const namespaceQuery = {
  namespaces: (_parent, args, ctx) => listResources<NamespaceResource>('namespaces', args, ctx),
  namespace: (_parent, args, ctx) => getResource<NamespaceResource>('namespaces', args, ctx),
} satisfies QueryResolvers;

export const Namespace: NamespaceResolvers = {
  metadata: (ns) => ns.metadata ?? {},
  phase: (ns) => ns.status?.phase ?? null,
  aliasName: (ns) => ns.metadata?.annotations?.['kubesphere.io/alias-name'] ?? null,
  workspaceName: (ns) => ns.metadata?.labels?.[WORKSPACE_LABEL] ?? null,
  workspace: (ns, _args, { loaders }) => {
    const name = ns.metadata?.labels?.[WORKSPACE_LABEL];
    return name ? loaders.workspaceByName.load(name) : null;
  },
  deployments: async (ns, args, ctx) => {
    const items = await ctx.loaders.itemsByScope.load({ cluster: clusterOf(ns), resource: 'deployments', namespace: ns.metadata?.name ?? '' });
    return pageLocally(items as DeploymentResource[], args, ctx.lists);
  },
  pods: async (ns, args, ctx) => {
    const items = (await ctx.loaders.itemsByScope.load({ cluster: clusterOf(ns), resource: 'pods', namespace: ns.metadata?.name ?? '' })) as PodResource[];
    return pageLocally(args.status ? items.filter((pod) => podFilterStatus(pod) === args.status) : items, args, ctx.lists);
  },
  raw: (ns) => ns,
};

export const Workspace: WorkspaceResolvers = {
  metadata: (ws) => ws.metadata ?? {},
  manager: (ws) => ws.spec?.template?.spec?.manager ?? null,
  clusterNames: (ws) => (ws.spec?.placement?.clusters ?? []).map((c) => c.name),
  raw: (ws) => ws,
};
