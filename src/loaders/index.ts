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

export function createLoaders(api: KubeSphereApi) {
  const kube = createKubeLoaders(api);
  return { ...kube, ...createTenancyLoaders(api, kube), ...createMetricLoaders(api) };
}

export type Loaders = ReturnType<typeof createLoaders>;
