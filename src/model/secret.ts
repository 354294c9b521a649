/**
 * Secret values leave the facade only through `Secret.data`. Everything else
 * that shows a Secret (`raw`, `metadata`, the generic `Resource`) goes
 * through these functions, which drop the values and the annotation
 * kubectl writes a copy of them into.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { KubeObject, SecretResource } from '../kubesphere/types.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata without the last-applied-configuration annotation. */
export function redactedMeta(meta: ObjectMeta | undefined): ObjectMeta {
  if (!meta?.annotations || !(LAST_APPLIED in meta.annotations)) return meta ?? {};
  const { [LAST_APPLIED]: _dropped, ...annotations } = meta.annotations;
  return { ...meta, annotations };
}

/** The object without `data`, `stringData` or the last-applied-configuration annotation. */
export function redactSecret<T extends KubeObject>(secret: T): T {
  const { data: _data, stringData: _stringData, ...rest } = secret;
  return { ...rest, metadata: redactedMeta(secret.metadata) } as T;
}

/**
 * Kinds that carry secret values under another shape, such as 3.x's
 * FederatedSecret (`spec.template.data`), reached through the escape hatch.
 */
export const holdsSecretValues = (plural: string) => /secrets$/.test(plural);

/** Any object of a secret-holding kind without its values, wherever the kind keeps them. */
export function redactSecretLike<T extends KubeObject>(object: T): T {
  const redacted = redactSecret(object) as KubeObject;
  const spec = redacted.spec as { template?: Record<string, unknown> } | undefined;
  if (!spec?.template) return redacted as T;
  const { data: _data, stringData: _stringData, ...template } = spec.template;
  return { ...redacted, spec: { ...spec, template } } as unknown as T;
}

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
