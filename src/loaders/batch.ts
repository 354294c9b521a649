/** Helpers shared by the loaders: key grouping, URL-sized name chunks, per-key errors. */
import DataLoader from 'dataloader';
import { UpstreamError } from '../kubesphere/upstream-error.ts';
import type { KubeSphereSession } from '../kubesphere/client.ts';
import type { Target } from '../kubesphere/paths.ts';

/** Upstream URLs stay under a few kilobytes: `names=` batches are split at this many characters. */
const MAX_NAMES_LENGTH = 2_000;

export type Cluster = string | null | undefined;

export const json = (...parts: unknown[]) => JSON.stringify(parts.map((p) => p ?? null));

/** Groups keys, keeping each key's position so results return in key order. */
export function groupBy<K>(keys: readonly K[], by: (key: K) => string): { first: K; indexes: number[] }[] {
  const groups = new Map<string, { first: K; indexes: number[] }>();
  keys.forEach((key, index) => {
    const id = by(key);
    const group = groups.get(id);
    if (group) group.indexes.push(index);
    else groups.set(id, { first: key, indexes: [index] });
  });
  return [...groups.values()];
}

/** Splits names into chunks whose comma-joined length stays under the URL budget. */
export function chunkNames(names: readonly string[], budget = MAX_NAMES_LENGTH): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    if (current.length > 0 && length + name.length + 1 > budget) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(name);
    length += name.length + 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export const isForbidden = (error: unknown) => error instanceof UpstreamError && error.status === 403;
export const settle = <T>(promise: Promise<T>): Promise<T | Error> => promise.catch((error: unknown) => toError(error));

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A loader that fetches each distinct key on its own, with the key's cluster routing resolved. */
export function perKey<K extends { cluster?: Cluster }, V>(
  kubesphere: KubeSphereSession,
  fetch: (key: K, target: Target) => Promise<V>,
  cacheKeyFn: (key: K) => string,
) {
  return new DataLoader<K, V, string>((keys) => Promise.all(keys.map((key) => settle(kubesphere.target(key.cluster).then((target) => fetch(key, target))))), {
    cacheKeyFn,
  });
}
