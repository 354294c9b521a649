/**
 * In-memory object store for one cluster. Stored objects are immutable:
 * seeding adds them, and every later write (`write`/`remove`) replaces an
 * object by a new one. That keeps serialised-JSON caches keyed by identity
 * valid, and is the one place that bumps the cluster's resourceVersion and
 * records the change history a watch can replay.
 */
import type { KObject } from './types.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One stored change, as a watch would stream it. */
export interface Change {
  type: ChangeType;
  /** Storage key of the kind (`apps/deployments`, `/pods`). */
  resource: string;
  object: KObject;
  resourceVersion: string;
}

/** How many changes each cluster keeps (older ones are dropped, as etcd compacts). */
export const HISTORY_LIMIT = 10_000;

export class ClusterStore {
  readonly name: string;
  private readonly byType = new Map<string, KObject[]>();
  private readonly byKey = new Map<string, Map<string, KObject>>();
  private readonly byNamespace = new Map<string, Map<string, KObject[]>>();
  private readonly sorted = new Map<string, KObject[]>();
  private revision: number;
  private readonly history: Change[] = [];
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(name: string, firstRevision: number) {
    this.name = name;
    this.revision = firstRevision;
  }

  /** The newest resourceVersion handed out, as kube-apiserver reports on lists. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** Seeding: adds a new object (resourceVersions there grow in uneven steps, like a busy etcd). */
  add(type: string, obj: KObject): KObject {
    this.revision += 1 + (this.revision % 7);
    // Builders put an empty placeholder first so the key keeps Go's field order.
    if (!obj.metadata.resourceVersion) obj.metadata.resourceVersion = String(this.revision);
    return this.insert(type, obj);
  }

  private insert(type: string, obj: KObject): KObject {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    let keyed = this.byKey.get(type);
    if (!keyed) {
      keyed = new Map();
      this.byKey.set(type, keyed);
      this.byType.set(type, []);
      this.byNamespace.set(type, new Map());
    }
    if (keyed.has(key)) throw new Error(`duplicate ${type} ${key} in cluster ${this.name}`);
    keyed.set(key, obj);
    this.byType.get(type)!.push(obj);
    const ns = obj.metadata.namespace ?? '';
    const nsMap = this.byNamespace.get(type)!;
    if (!nsMap.has(ns)) nsMap.set(ns, []);
    nsMap.get(ns)!.push(obj);
    this.sorted.delete(type);
    return obj;
  }

  /**
   * Stores a new version of an object (create or replace), with the next
   * resourceVersion, and records ADDED or MODIFIED. The object is stored as
   * given (plus the resourceVersion): callers pass a fresh object.
   */
  write(type: string, obj: KObject): KObject {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const old = this.byKey.get(type)?.get(key);
    this.revision += 1;
    const stored: KObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.revision) } };
    if (!old) this.insert(type, stored);
    else {
      this.byKey.get(type)!.set(key, stored);
      replaceIn(this.byType.get(type)!, old, stored);
      replaceIn(this.byNamespace.get(type)!.get(old.metadata.namespace ?? '')!, old, stored);
      this.sorted.delete(type);
    }
    this.record(old ? 'MODIFIED' : 'ADDED', type, stored);
    return stored;
  }

  /** Removes an object and records DELETED with the deletion's resourceVersion. */
  remove(type: string, namespace: string | undefined, name: string): KObject | undefined {
    const key = keyOf(namespace, name);
    const old = this.byKey.get(type)?.get(key);
    if (!old) return undefined;
    this.byKey.get(type)!.delete(key);
    removeFrom(this.byType.get(type)!, old);
    removeFrom(this.byNamespace.get(type)!.get(old.metadata.namespace ?? '')!, old);
    this.sorted.delete(type);
    this.revision += 1;
    const gone: KObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(this.revision) } };
    this.record('DELETED', type, gone);
    return gone;
  }

  /** The recorded changes, oldest first (at most HISTORY_LIMIT). */
  changes(): readonly Change[] {
    return this.history;
  }

  /** Every kind that has (or had) objects here. */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Calls `listener` with every change after it is recorded (open watches); returns the unsubscribe. */
  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(type: ChangeType, resource: string, object: KObject): void {
    const change: Change = { type, resource, object, resourceVersion: object.metadata.resourceVersion! };
    this.history.push(change);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) listener(change);
  }

  get(type: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.byKey.get(type)?.get(keyOf(namespace, name));
  }

  /** Objects in insertion order; all namespaces when `namespace` is undefined. */
  list(type: string, namespace?: string): readonly KObject[] {
    if (namespace === undefined) return this.byType.get(type) ?? [];
    return this.byNamespace.get(type)?.get(namespace) ?? [];
  }

  /** Objects in etcd key order (namespace, then name), as kube-apiserver lists them. */
  listSorted(type: string, namespace?: string): readonly KObject[] {
    let all = this.sorted.get(type);
    if (!all) {
      all = [...(this.byType.get(type) ?? [])].sort((a, b) => compareKeys(a, b));
      this.sorted.set(type, all);
    }
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  count(type: string): number {
    return this.byType.get(type)?.length ?? 0;
  }
}

function replaceIn(list: KObject[], old: KObject, next: KObject): void {
  const i = list.indexOf(old);
  if (i !== -1) list[i] = next;
}

function removeFrom(list: KObject[], old: KObject): void {
  const i = list.indexOf(old);
  if (i !== -1) list.splice(i, 1);
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function compareKeys(a: KObject, b: KObject): number {
  const ka = keyOf(a.metadata.namespace, a.metadata.name);
  const kb = keyOf(b.metadata.namespace, b.metadata.name);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
