/**
 * Per-request DataLoaders, built fresh for every GraphQL request: nothing
 * cached here outlives it, because what a token may see is decided upstream.
 */
import type { KubeSphereApi } from '../kubesphere/api.ts';
import { createKubeLoaders } from './kube.ts';
import { createMetricLoaders } from './metrics.ts';
import { createTenancyLoaders } from './tenancy.ts';

export type { EventKey, ListKey, ObjectKey, ScopeKey } from './kube.ts';
export { latestFirst } from './kube.ts';
export type { NamedKey } from './tenancy.ts';
export type { MetricKey, ObjectSeries } from './metrics.ts';
export { WORKSPACE_LABEL } from './tenancy.ts';

type KubeLoaders = ReturnType<typeof createKubeLoaders>;
type TenancyLoaders = ReturnType<typeof createTenancyLoaders>;
type MetricLoaders = ReturnType<typeof createMetricLoaders>;
export type Loaders = KubeLoaders & TenancyLoaders & MetricLoaders;

const KUBE: (keyof KubeLoaders)[] = ['list', 'itemsByScope', 'prefetchScope', 'objectByName', 'eventsOf'];
const TENANCY: (keyof TenancyLoaders)[] = [
  'visibleWorkspaces',
  'tenantNamespaces',
  'workspaceByName',
  'userByName',
  'clusterByName',
  'namespacesOfWorkspace',
  'membersOfWorkspace',
  'workspacesOfUser',
];

/**
 * The loaders of one request, each group built when one of its loaders is
 * first used: most operations touch a few of them, and building all of them
 * on every request showed in the CPU profile of small pages.
 */
export function createLoaders(api: KubeSphereApi): Loaders {
  let kube: KubeLoaders | undefined;
  let tenancy: TenancyLoaders | undefined;
  let metrics: MetricLoaders | undefined;
  const kubeLoaders = () => (kube ??= createKubeLoaders(api));
  const tenancyLoaders = () => (tenancy ??= createTenancyLoaders(api, kubeLoaders()));
  const loaders = {} as Loaders;
  for (const name of KUBE) Object.defineProperty(loaders, name, { get: () => kubeLoaders()[name], enumerable: true });
  for (const name of TENANCY) Object.defineProperty(loaders, name, { get: () => tenancyLoaders()[name], enumerable: true });
  Object.defineProperty(loaders, 'metrics', { get: () => (metrics ??= createMetricLoaders(api)).metrics, enumerable: true });
  return loaders;
}
