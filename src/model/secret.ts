/**
 * What `Secret.data` shows: the one path by which Secret values leave the
 * facade. Every other path goes through src/model/redaction.ts.
 */
import type { SecretResource } from '../kubesphere/types.ts';

export const secretKeys = (secret: SecretResource) => [...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])].sort();

/** The entries asked for (all when `keys` is omitted), in key order. */
export function secretEntries(secret: SecretResource, keys: readonly string[] | null | undefined) {
  const wanted = keys ? new Set(keys) : undefined;
  return secretKeys(secret)
    .filter((key) => !wanted || wanted.has(key))
    .map((key) => {
      const base64 = secret.data?.[key] ?? Buffer.from(secret.stringData?.[key] ?? '', 'utf8').toString('base64');
      return { key, base64, value: Buffer.from(base64, 'base64').toString('utf8') };
    });
}
