/**
 * Kubernetes patch semantics over plain JSON: JSON merge patch (RFC 7386),
 * a minimal strategic merge patch (lists of named things merge by key), JSON
 * patch (RFC 6902, via fast-json-patch) and the field ownership that
 * server-side apply keeps in `metadata.managedFields` (fieldsV1 sets).
 */
import jsonPatch from 'fast-json-patch';

type Any = Record<string, any>;

export const isObject = (v: unknown): v is Any => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merge recursively, `null` deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Any = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * The list merge keys strategic merge patch uses for the lists clients
 * edit (k8s.io/api `patchMergeKey` tags). Other lists are replaced.
 */
const MERGE_KEYS: Record<string, (item: Any) => string | undefined> = {
  containers: () => 'name',
  initContainers: () => 'name',
  ephemeralContainers: () => 'name',
  volumes: () => 'name',
  env: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  // Container ports merge on containerPort, Service ports on port.
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port' in item ? 'port' : undefined),
};

/**
 * Strategic merge patch, kept minimal: merge patch, except lists named in
 * MERGE_KEYS merge item by item on their key, and the `$patch: delete|replace`
 * item directive and `$setElementOrder`/`$retainKeys` keys are understood.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Any = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys' || k === '$patch') continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v) && k in MERGE_KEYS && Array.isArray(out[k])) out[k] = mergeList(out[k] as unknown[], v, MERGE_KEYS[k]!);
    else out[k] = strategicMergePatch(out[k], v);
  }
  return out;
}

function mergeList(target: unknown[], patch: unknown[], keyOf: (item: Any) => string | undefined): unknown[] {
  const out = [...target];
  for (const item of patch) {
    const key = isObject(item) ? keyOf(item) : undefined;
    if (!key || !isObject(item)) {
      out.push(structuredClone(item));
      continue;
    }
    const i = out.findIndex((x) => isObject(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i !== -1) out.splice(i, 1);
    } else if (i === -1) out.push(strategicMergePatch({}, item));
    else out[i] = strategicMergePatch(out[i], item);
  }
  return out;
}

/** RFC 6902 on a copy; throws a message kube-apiserver would put in the 422/400. */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const error = jsonPatch.validate(ops as jsonPatch.Operation[], target);
  if (error) throw new Error(error.message.split('\n')[0]!);
  return jsonPatch.applyPatch(structuredClone(target), ops as jsonPatch.Operation[], true, false).newDocument;
}

// ---- field ownership (server-side apply) ---------------------------------------------

/** A field path as fieldsV1 spells its steps: `f:spec`, `f:replicas`, `k:{"name":"web"}`. */
export type FieldPath = string[];

/** The leaf fields an applied configuration sets (metadata name/namespace and TypeMeta are not owned). */
export function leafPaths(obj: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isObject(obj)) return [prefix];
  const out: FieldPath[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (prefix.length === 0 && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue;
    if (prefix.length === 1 && prefix[0] === 'f:metadata' && !['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(k)) continue;
    const step = `f:${k}`;
    if (isObject(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, [...prefix, step]));
    else if (Array.isArray(v) && k in MERGE_KEYS && v.every((i) => isObject(i) && MERGE_KEYS[k]!(i))) {
      for (const item of v as Any[]) {
        const key = MERGE_KEYS[k]!(item)!;
        const itemStep = `k:${JSON.stringify({ [key]: item[key] })}`;
        const { [key]: _k, ...rest } = item;
        const inner = leafPaths(rest, [...prefix, step, itemStep]);
        out.push([...prefix, step, itemStep, `f:${key}`], ...inner.filter((p) => p.length > prefix.length + 2));
      }
    } else out.push([...prefix, step]);
  }
  return out;
}

export const pathKey = (p: FieldPath) => p.join('\u0000');

/** Reads the value at a field path (undefined when absent). */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const step of path) {
    if (step.startsWith('f:')) {
      if (!isObject(cur)) return undefined;
      cur = cur[step.slice(2)];
    } else {
      if (!Array.isArray(cur)) return undefined;
      const [key, value] = Object.entries(JSON.parse(step.slice(2)) as Any)[0]!;
      cur = cur.find((i) => isObject(i) && i[key] === value);
    }
  }
  return cur;
}

/** Removes the field at a path, and the list item or object it leaves empty. */
export function removeAt(obj: Any, path: FieldPath): void {
  const parents: [unknown, string][] = [];
  let cur: unknown = obj;
  for (const step of path) {
    parents.push([cur, step]);
    cur = valueAt(cur, [step]);
    if (cur === undefined) return;
  }
  for (let i = parents.length - 1; i >= 0; i--) {
    const [parent, step] = parents[i]!;
    const child = valueAt(parent, [step]);
    const isLeaf = i === parents.length - 1;
    const empty = isObject(child) && Object.keys(child).length === 0;
    if (!isLeaf && !empty) return;
    if (step.startsWith('f:') && isObject(parent)) delete parent[step.slice(2)];
    else if (Array.isArray(parent)) parent.splice(parent.indexOf(child), 1);
  }
}

/** `.spec.template.spec.containers[name="web"].image`, as apply conflicts name fields. */
export function describePath(path: FieldPath): string {
  return path
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      const [key, value] = Object.entries(JSON.parse(s.slice(2)) as Any)[0]!;
      return `[${key}=${JSON.stringify(value)}]`;
    })
    .join('');
}

/** fieldsV1 from a set of leaf paths. */
export function toFieldsV1(paths: FieldPath[]): Any {
  const root: Any = {};
  for (const p of paths) {
    let cur = root;
    p.forEach((step, i) => {
      cur[step] ??= {};
      cur = cur[step] as Any;
      if (step.startsWith('k:') && i < p.length - 1) cur['.'] = {};
    });
  }
  return root;
}

/** Leaf paths from fieldsV1 (`.` markers dropped). */
export function fromFieldsV1(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isObject(fields)) return [];
  const keys = Object.keys(fields).filter((k) => k !== '.');
  if (keys.length === 0) return prefix.length ? [prefix] : [];
  return keys.flatMap((k) => fromFieldsV1(fields[k], [...prefix, k]));
}

/** Leaf paths whose values differ between two objects (for Update operations taking ownership). */
export function changedPaths(before: unknown, after: unknown): FieldPath[] {
  const seen = new Set<string>();
  const out: FieldPath[] = [];
  for (const p of [...leafPaths(after), ...leafPaths(before)]) {
    const k = pathKey(p);
    if (seen.has(k)) continue;
    seen.add(k);
    if (canonical(valueAt(before, p)) !== canonical(valueAt(after, p))) out.push(p);
  }
  return out;
}

/** JSON with sorted keys, for comparing specs and templates. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
