/**
 * Kubernetes discovery (`/api/v1`, `/apis/{group}/{version}`): which kinds
 * a cluster serves under an apiVersion, their plurals and scope. A manifest
 * names a kind; the URL needs its plural, and a kind the cluster does not
 * serve is the caller's mistake, found before any write is sent.
 *
 * Discovery says the same to every authenticated caller, so it is cached per
 * upstream, cluster and apiVersion, not per token; the write that follows
 * still carries the caller's token.
 */
import type { KubeSphereSession } from './client.ts';
import { nativeDiscovery, type Target } from './paths.ts';
import { UpstreamError } from './upstream-error.ts';

export interface ApiResource {
  /** The plural; subresources appear as `pods/log` and are never matched. */
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface Entry {
  expires: number;
  resources: Promise<ApiResource[]>;
}

/** Long enough to spare a discovery call per write, short enough that a new CRD shows soon. */
const TTL_MS = 60_000;
/** Entries are small; the cap only keeps a stream of made-up apiVersions from growing the map. */
const MAX_ENTRIES = 512;
const cache = new Map<string, Entry>();

/** The kind as the cluster serves it under `apiVersion`, or undefined when it does not. */
export async function servedKind(session: KubeSphereSession, target: Target, apiVersion: string, kind: string): Promise<ApiResource | undefined> {
  const resources = await discover(session, target, apiVersion);
  return resources.find((r) => r.kind === kind && !r.name.includes('/'));
}

function discover(session: KubeSphereSession, target: Target, apiVersion: string): Promise<ApiResource[]> {
  const key = `${session.origin} ${target.cluster ?? ''} ${apiVersion}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.resources;
  const resources = session
    .get<{ resources?: ApiResource[] }>(nativeDiscovery(target, apiVersion), target.cluster)
    .then((list) => (Array.isArray(list.resources) ? list.resources : []))
    .catch((error: unknown) => {
      // A group/version the cluster does not serve: no kinds, cached like any answer.
      if (error instanceof UpstreamError && error.status === 404) return [];
      cache.delete(key);
      throw error;
    });
  cache.delete(key);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { expires: now + TTL_MS, resources });
  return resources;
}
