/**
 * The one redaction policy: what of an object, by kind, may leave the facade.
 * Every path that shows a whole object or its metadata (`raw`, `metadata`,
 * the generic `resources`/`resource` query, `object(id:)`) goes through
 * `redact`/`redactedMetadata`, so a new path cannot forget a kind. Secret
 * values leave only through `Secret.data`, which reads the unredacted object
 * on purpose.
 *
 * Credentials by kind:
 * - Secret: `data`, `stringData`.
 * - User: `spec.password` (a bcrypt hash, or plaintext before the controller hashes it).
 * - Cluster: `spec.connection.kubeconfig` (a member's admin kubeconfig) and
 *   `spec.connection.token` (the proxy agent's token)
 *   (release-3.4:staging/src/kubesphere.io/api/cluster/v1alpha1/cluster_types.go).
 * - Federated* (3.x KubeFed): the same paths inside `spec.template`, and
 *   `spec.overrides[].clusterOverrides[]` entries that patch `/data/*` or `/stringData/*`.
 * - The last-applied annotation on all of these: `kubectl apply` writes a
 *   full copy of the object into it, values and passwords included.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../kubesphere/types.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;
type Rule = (object: Json) => Json;

const without = (object: unknown, ...keys: string[]): Json | undefined => {
  if (!object || typeof object !== 'object') return object as undefined;
  const copy = { ...(object as Json) };
  for (const key of keys) delete copy[key];
  return copy;
};

const secretValues: Rule = (o) => without(o, 'data', 'stringData')!;
const userPassword: Rule = (o) => (o.spec ? { ...o, spec: without(o.spec, 'password') } : o);
const clusterCredentials: Rule = (o) => {
  const spec = o.spec as { connection?: unknown } | undefined;
  return spec?.connection ? { ...o, spec: { ...spec, connection: without(spec.connection, 'kubeconfig', 'token') } } : o;
};

/** A JSON-patch path under a Secret's values: `/data`, `/data/key`, `/stringData/...`. */
const SECRET_VALUE_PATH = /^\/(?:data|stringData)(?:\/|$)/;

/** The inner kind's rule applied to `spec.template`, and value-patching overrides dropped. */
const federated =
  (inner: Rule | undefined): Rule =>
  (o) => {
    const spec = o.spec as { template?: Json; overrides?: unknown } | undefined;
    if (!spec) return o;
    const template = spec.template && inner ? inner(spec.template) : spec.template;
    const overrides = Array.isArray(spec.overrides)
      ? spec.overrides.map((override: unknown) => {
          const patches = (override as { clusterOverrides?: unknown })?.clusterOverrides;
          if (!Array.isArray(patches)) return override;
          const kept = patches.filter((p: unknown) => !SECRET_VALUE_PATH.test(String((p as { path?: unknown })?.path ?? '')));
          return { ...(override as Json), clusterOverrides: kept };
        })
      : spec.overrides;
    return { ...o, spec: { ...spec, ...(template !== undefined && { template }), ...(overrides !== undefined && { overrides }) } };
  };

const RULES: Record<string, Rule> = {
  Secret: secretValues,
  User: userPassword,
  Cluster: clusterCredentials,
};

/** Plurals of the kinds with rules, for objects that arrive without `kind` (v1alpha3 lists). */
const KIND_BY_PLURAL: Record<string, string> = { secrets: 'Secret', users: 'User', clusters: 'Cluster' };

/**
 * The kind the policy applies to: the object's own, else the one it was
 * loaded as, else what its plural means. Federated kinds wrap another
 * (`FederatedSecret` → `Secret`); any other federated kind still loses
 * value-patching overrides, since its template may be a Secret's shape.
 */
export function policyKind(kind: string | undefined, plural?: string): string | undefined {
  if (kind) return kind;
  if (!plural) return undefined;
  const lower = plural.toLowerCase();
  if (lower.startsWith('federated')) return `Federated${KIND_BY_PLURAL[lower.slice('federated'.length)] ?? ''}`;
  return KIND_BY_PLURAL[lower];
}

function ruleFor(kind: string | undefined): Rule | undefined {
  if (!kind) return undefined;
  if (kind.startsWith('Federated')) return federated(RULES[kind.slice('Federated'.length)] ?? secretValues);
  return RULES[kind];
}

/** Whether the kind holds credentials at all (so its last-applied annotation goes too). */
export const isSensitiveKind = (kind: string | undefined): boolean => ruleFor(kind) !== undefined;

/** Metadata as it may be shown for this kind: sensitive kinds lose the last-applied annotation. */
export function redactedMetadata(kind: string | undefined, meta: ObjectMeta | undefined): ObjectMeta {
  if (!meta?.annotations || !(LAST_APPLIED in meta.annotations) || !isSensitiveKind(kind)) return meta ?? {};
  const { [LAST_APPLIED]: _dropped, ...annotations } = meta.annotations;
  return { ...meta, annotations };
}

/** The object as it may be shown: a copy without the kind's credentials; other kinds come back as they are. */
export function redact<T extends KubeObject>(kind: string | undefined, object: T): T {
  const rule = ruleFor(kind);
  if (!rule) return object;
  const redacted = rule(object as unknown as Json) as unknown as T;
  return { ...redacted, metadata: redactedMetadata(kind, object.metadata) };
}
