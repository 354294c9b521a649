/**
 * The console's write actions as mutations. Resolvers only pass arguments to
 * the API module's writes (src/kubesphere/writes.ts), which checks them and
 * builds the upstream calls, and show the answers as the typed objects.
 */
import type { MutationResolvers, ResolversTypes } from '../generated/graphql.ts';
import type { Deleted, Written } from '../kubesphere/writes.ts';
import type { PodResource } from '../kubesphere/types.ts';
import { drainPlan } from '../model/drain.ts';
import { objectName } from '../kubesphere/paths.ts';
import { shown } from './generic.ts';
import { HOST_CLUSTER } from './object.ts';

const asResource = ({ object, resource, apiVersion }: Written) => shown({ resource, apiVersion }, object);

function deleteResult(result: Deleted, cluster: string | null | undefined): ResolversTypes['DeleteResult'] {
  return {
    kind: result.kind,
    name: result.name,
    namespace: result.namespace ?? null,
    cluster: cluster ?? HOST_CLUSTER,
    uid: result.uid ?? null,
    dryRun: result.dryRun,
    status: result.status,
    object: result.object ? shown({ resource: result.resource, apiVersion: result.apiVersion }, result.object) : null,
  };
}

export const writeMutation = {
  scaleDeployment: (_parent, args, { api, writes }) => api.writes.scale('deployments', args, writes.maxReplicas),
  scaleStatefulSet: (_parent, args, { api, writes }) => api.writes.scale('statefulsets', args, writes.maxReplicas),
  restartDeployment: (_parent, args, { api }) => api.writes.restart('deployments', args),
  restartStatefulSet: (_parent, args, { api }) => api.writes.restart('statefulsets', args),
  restartDaemonSet: (_parent, args, { api }) => api.writes.restart('daemonsets', args),
  deletePod: async (_parent, args, { api }) =>
    deleteResult(await api.writes.delete({ ...args, resource: 'pods', apiVersion: 'v1' }, { gracePeriodSeconds: args.gracePeriodSeconds }), args.cluster),
  deleteResource: async (_parent, args, { api }) =>
    deleteResult(await api.writes.delete(args, { propagationPolicy: args.propagationPolicy ?? 'Background' }), args.cluster),
  cordonNode: (_parent, args, { api }) => api.writes.setUnschedulable(args, true),
  uncordonNode: (_parent, args, { api }) => api.writes.setUnschedulable(args, false),
  drainNodePreview: async (_parent, { name, cluster }, { api }) => {
    const node = await api.get('nodes', { cluster, name: objectName(name, 'node name') });
    const { items } = await api.list('pods', { cluster }, { nodeName: name, limit: -1 });
    return { node, ...drainPlan(items as PodResource[]) };
  },
  setLabels: async (_parent, args, { api }) => asResource(await api.writes.setMetadata('labels', args, args.labels)),
  setAnnotations: async (_parent, args, { api }) => asResource(await api.writes.setMetadata('annotations', args, args.annotations)),
  setNodeTaints: (_parent, args, { api }) => api.writes.setTaints(args, args.taints),
  createProject: (_parent, args, { api }) => api.writes.createProject(args),
  deleteProject: async (_parent, args, { api }) => deleteResult(await api.writes.deleteProject(args), args.cluster),
  createWorkspace: (_parent, args, { api }) => api.writes.createWorkspace(args),
  updateResource: async (_parent, { manifest, ...scope }, { api }) => asResource(await api.writes.update(manifest, scope)),
  applyResource: async (_parent, { manifest, fieldManager, ...scope }, { api }) =>
    asResource(await api.writes.apply(manifest, { ...scope, fieldManager: fieldManager ?? 'kubesphere-graphql' })),
} satisfies MutationResolvers;
