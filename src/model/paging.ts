/** Local paging for lists the facade loads whole and slices itself. */

/** One page of items, sorted with `compare`; `totalItems` counts every item before paging. */
export function page<T>(items: T[], pageNumber: number, limit: number, compare?: (a: T, b: T) => number): { items: T[]; totalItems: number } {
  const sorted = compare ? [...items].sort(compare) : items;
  const start = (Math.max(pageNumber, 1) - 1) * limit;
  return { items: sorted.slice(start, start + limit), totalItems: sorted.length };
}
