/** Local paging for edges that load a whole scope once and slice it per parent. */
import type { KubeObject, ListResult } from '../kubesphere/types.ts';

/** Newest first, ties by name: KubeSphere's default list order. */
export function newestFirst(a: KubeObject, b: KubeObject): number {
  const byTime = String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? ''));
  return byTime !== 0 ? byTime : String(a.metadata?.name ?? '').localeCompare(String(b.metadata?.name ?? ''));
}

export function page<T extends KubeObject>(items: T[], pageNumber: number, limit: number): ListResult<T> {
  const sorted = [...items].sort(newestFirst);
  const start = (Math.max(pageNumber, 1) - 1) * limit;
  return { items: sorted.slice(start, start + limit), totalItems: sorted.length };
}
