/**
 * Per-request DataLoaders, built fresh for every GraphQL request: nothing
 * cached here outlives it, because what a token may see is decided upstream.
 */
import type { KubeSphereSession } from '../kubesphere/client.ts';
import { createKubeLoaders } from './kube.ts';
import { createTenancyLoaders } from './tenancy.ts';

export type { EventKey, ListKey, ObjectKey, ScopeKey } from './kube.ts';
export { latestFirst } from './kube.ts';
export type { NamedKey } from './tenancy.ts';
export { WORKSPACE_LABEL } from './tenancy.ts';
export { chunkNames } from './batch.ts';

export function createLoaders(kubesphere: KubeSphereSession) {
  const kube = createKubeLoaders(kubesphere);
  return { ...kube, ...createTenancyLoaders(kubesphere, kube) };
}

export type Loaders = ReturnType<typeof createLoaders>;
