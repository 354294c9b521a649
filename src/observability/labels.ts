/**
 * Label values that stay bounded whatever callers send: a Prometheus series
 * per distinct value lives until the process ends, so a value is taken only
 * when it has a safe shape and while fewer than `max` distinct ones are known;
 * anything else is `other`.
 */
export class BoundedLabel {
  readonly #shape: RegExp;
  readonly #max: number;
  readonly #known = new Set<string>();

  constructor(shape: RegExp, max: number) {
    this.#shape = shape;
    this.#max = max;
  }

  /** The value as a label, or `other`. */
  of(value: string): string {
    if (this.#known.has(value)) return value;
    if (!this.#shape.test(value) || this.#known.size >= this.#max) return 'other';
    this.#known.add(value);
    return value;
  }

  /** Whether the value is already a label, without adding it. */
  has(value: string): boolean {
    return this.#known.has(value);
  }

  /** Adds a value learnt from a trusted source (a cluster the upstream answered for). */
  learn(value: string): void {
    if (this.#shape.test(value) && this.#known.size < this.#max) this.#known.add(value);
  }
}

/**
 * The API group of an upstream path: `core` for `/api/v1`, the group of
 * `/apis/{group}` and `/kapis/{group}`, with the member-cluster prefix of
 * either version stripped; `oauth` for `/oauth/*`. Object names never
 * reach a label.
 */
export function apiGroup(path: string): string {
  const segments = path.split('?', 1)[0]!.split('/').filter(Boolean);
  if (segments[0] === 'clusters') segments.splice(0, 2);
  if (segments[0] === 'kapis' && segments[1] === 'clusters') segments.splice(1, 2);
  const [root, group] = segments;
  if (root === 'api') return 'core';
  if (root === 'oauth') return 'oauth';
  if ((root === 'apis' || root === 'kapis') && group !== undefined) return group;
  return 'other';
}
