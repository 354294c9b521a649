/** Helpers shared by the loaders: key grouping and per-key errors. */
import DataLoader from 'dataloader';
import { UpstreamError } from '../kubesphere/upstream-error.ts';
import { observedBatch } from '../observability/batch.ts';

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

export const isForbidden = (error: unknown) => error instanceof UpstreamError && error.status === 403;
export const settle = <T>(promise: Promise<T>): Promise<T | Error> => promise.catch((error: unknown) => toError(error));

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A DataLoader whose batches are measured and traced under a fixed `name` (a metric label). */
export class ObservedLoader<K, V, C = K> extends DataLoader<K, V, C> {
  constructor(name: string, batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V, C>) {
    super(observedBatch(name, batch), options);
  }
}

/** A loader that fetches each distinct key on its own (identical keys in one request once). */
export function perKey<K, V>(name: string, fetch: (key: K) => Promise<V>, cacheKeyFn: (key: K) => string) {
  return new ObservedLoader<K, V, string>(name, (keys) => Promise.all(keys.map((key) => settle(fetch(key)))), { cacheKeyFn });
}
