/**
 * In-memory object store for one cluster. Objects are added while seeding
 * and then treated as immutable, which lets lists be sorted once and shared
 * between requests.
 */
import type { KObject } from './types.ts';

export class ClusterStore {
  readonly name: string;
  private readonly byType = new Map<string, KObject[]>();
  private readonly byKey = new Map<string, Map<string, KObject>>();
  private readonly byNamespace = new Map<string, Map<string, KObject[]>>();
  private readonly sorted = new Map<string, KObject[]>();
  private revision: number;

  constructor(name: string, firstRevision: number) {
    this.name = name;
    this.revision = firstRevision;
  }

  /** The newest resourceVersion handed out, as kube-apiserver reports on lists. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  add(type: string, obj: KObject): KObject {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    let keyed = this.byKey.get(type);
    if (!keyed) {
      keyed = new Map();
      this.byKey.set(type, keyed);
      this.byType.set(type, []);
      this.byNamespace.set(type, new Map());
    }
    if (keyed.has(key)) throw new Error(`duplicate ${type} ${key} in cluster ${this.name}`);
    this.revision += 1 + (this.revision % 7);
    // Builders put an empty placeholder first so the key keeps Go's field order.
    if (!obj.metadata.resourceVersion) obj.metadata.resourceVersion = String(this.revision);
    keyed.set(key, obj);
    this.byType.get(type)!.push(obj);
    const ns = obj.metadata.namespace ?? '';
    const nsMap = this.byNamespace.get(type)!;
    if (!nsMap.has(ns)) nsMap.set(ns, []);
    nsMap.get(ns)!.push(obj);
    this.sorted.delete(type);
    return obj;
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

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function compareKeys(a: KObject, b: KObject): number {
  const ka = keyOf(a.metadata.namespace, a.metadata.name);
  const kb = keyOf(b.metadata.namespace, b.metadata.name);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
