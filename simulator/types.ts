/** Types shared by the simulator's modules (none of them is public API). */
import type { ManagedFieldsEntry, OwnerReference } from 'kubernetes-types/meta/v1.js';

export type Flavour = '3.4' | '4.1';

/**
 * Any stored object. The simulator keeps objects in their `kubectl get -o json`
 * shape (with apiVersion and kind set) and never mutates them after seeding:
 * every response that changes an object works on a shallow copy.
 */
/** ObjectMeta with writable fields (kubernetes-types marks the server-set ones readonly). */
export interface Meta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  [field: string]: unknown;
}

/** A buffered HTTP answer. Every handler produces one; the server writes it in one place. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** A streamed answer (watch, followed logs): called with the response after the head is written, instead of `body`. */
  stream?: (res: import('node:http').ServerResponse) => void;
}

/** Recursively readonly-ish plain JSON value, for building bodies. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
