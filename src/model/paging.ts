/** Local paging for edges that load a whole scope once and slice it per parent. */
import type { KubeObject } from '../kubesphere/types.ts';

const byName = (a: KubeObject, b: KubeObject) => String(a.metadata?.name ?? '').localeCompare(String(b.metadata?.name ?? ''));

/** Newest first, ties by name: KubeSphere's default list order. */
export function newestFirst(a: KubeObject, b: KubeObject): number {
  const byTime = String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? ''));
  return byTime !== 0 ? byTime : byName(a, b);
}

export interface SortOptions {
  sortBy?: string | null | undefined;
  ascending?: boolean | null | undefined;
}

/** The comparator for v1alpha3's `sortBy`/`ascending`, applied locally (default: newest first). */
export function comparator({ sortBy, ascending }: SortOptions = {}): (a: KubeObject, b: KubeObject) => number {
  const descending = sortBy === 'name' ? (a: KubeObject, b: KubeObject) => byName(b, a) : newestFirst;
  return ascending ? (a, b) => descending(b, a) : descending;
}

/** One page of items, sorted with `compare`. */
export function page<T>(items: T[], pageNumber: number, limit: number, compare?: (a: T, b: T) => number): { items: T[]; totalItems: number } {
  const sorted = compare ? [...items].sort(compare) : items;
  const start = (Math.max(pageNumber, 1) - 1) * limit;
  return { items: sorted.slice(start, start + limit), totalItems: sorted.length };
}
