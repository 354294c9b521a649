import { enumValue } from '../model/enums.ts';
import type { ObjectMetaResolvers, OwnerReference, ResourceQuantities, Condition } from '../generated/graphql.ts';

export const ObjectMeta: ObjectMetaResolvers = {
  name: (meta) => meta.name ?? '',
  uid: (meta) => meta.uid ?? '',
  deletionTimestamp: (meta) => meta.deletionTimestamp ?? null,
  labels: (meta) => meta.labels ?? {},
  annotations: (meta) => meta.annotations ?? {},
  ownerReferences: (meta): OwnerReference[] =>
    (meta.ownerReferences ?? []).map((ref) => ({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      uid: ref.uid,
      controller: ref.controller ?? false,
    })),
};

/** Picks the common quantities out of a Kubernetes resource list. */
export function quantities(list: Record<string, string | undefined> | undefined): ResourceQuantities {
  return { cpu: list?.cpu ?? null, memory: list?.memory ?? null, pods: list?.pods ?? null, ephemeralStorage: list?.['ephemeral-storage'] ?? null };
}

interface RawCondition {
  type: string;
  status: string;
  reason?: string | undefined;
  message?: string | undefined;
  lastTransitionTime?: string | undefined;
}

export const conditions = (list: RawCondition[] | undefined): Condition[] =>
  (list ?? []).map((c) => ({
    type: c.type,
    status: enumValue('ConditionStatus', c.status) ?? 'Unknown',
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastTransitionTime: c.lastTransitionTime ?? null,
  }));
