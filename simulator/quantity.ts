/** Just enough of Kubernetes `resource.Quantity` to sum pod requests the way KubeSphere does. */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** Parses a quantity into milli-units (so `100m` → 100, `2` → 2000, `1Ki` → 1024000). */
export function parseMilli(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  if (typeof quantity === 'number') return Math.round(quantity * 1000);
  const m = /^([+-]?\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(quantity.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix === 'm') return Math.round(n);
  return Math.round(n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1) * 1000);
}

/** CPU in the canonical form `Quantity.String()` gives: `1250m`, `2`, `0`. */
export function formatCpu(milli: number): string {
  if (milli % 1000 === 0) return String(milli / 1000);
  return `${milli}m`;
}

/** Memory (bytes, binary-SI format) in canonical form: the largest exact binary suffix. */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0';
  for (const suffix of ['Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suffix]!;
    if (bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
