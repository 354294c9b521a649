/**
 * Just enough of kube-controller-manager, run synchronously after each
 * write and deterministic: ReplicaSets, StatefulSets and DaemonSets keep
 * their pod counts, a Deployment whose pod template changed rolls out a new
 * ReplicaSet (revision + 1, old ones scaled to 0), and workload status
 * counts follow. Every change goes through ClusterStore.write/remove.
 */
import { shortHash, uidFor } from './det.ts';
import { canonical } from './patch.ts';
import { T } from './resources.ts';
import type { ClusterStore } from './store.ts';
import type { KObject } from './types.ts';

type Any = Record<string, any>;

const spec = (o: KObject): Any => (o.spec as Any | undefined) ?? {};
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function ownedBy(child: KObject, owner: KObject): boolean {
  return (child.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

/** Runs the controllers for one user write (`after` undefined for a delete). */
export function reconcile(store: ClusterStore, type: string, before: KObject | undefined, after: KObject | undefined): void {
  if (!after) {
    if (type === T.pod && before) resyncOwner(store, before);
    return;
  }
  const templateChanged = before !== undefined && canonical(spec(before).template) !== canonical(spec(after).template);
  switch (type) {
    case T.deployment:
      if (!before || templateChanged) rollOut(store, after);
      else if (spec(before).replicas !== spec(after).replicas) {
        const current = currentReplicaSet(store, after);
        if (current) syncReplicaSet(store, setReplicas(store, T.replicaset, current, spec(after).replicas ?? 1));
        deploymentStatus(store, after);
      }
      break;
    case T.replicaset:
      if (!before || spec(before).replicas !== spec(after).replicas) syncReplicaSet(store, after);
      break;
    case T.statefulset:
      if (templateChanged) for (const p of podsOf(store, after)) store.remove(T.pod, p.metadata.namespace, p.metadata.name);
      if (!before || templateChanged || spec(before).replicas !== spec(after).replicas) syncStatefulSet(store, after);
      break;
    case T.daemonset:
      if (templateChanged) for (const p of podsOf(store, after)) store.remove(T.pod, p.metadata.namespace, p.metadata.name);
      if (!before || templateChanged) syncDaemonSet(store, after);
      break;
  }
}

function podsOf(store: ClusterStore, owner: KObject): KObject[] {
  return store.list(T.pod, owner.metadata.namespace).filter((p) => ownedBy(p, owner));
}

/** A deleted pod of a live ReplicaSet/StatefulSet/DaemonSet gets replaced. */
function resyncOwner(store: ClusterStore, pod: KObject): void {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return;
  const kinds: Record<string, string> = { ReplicaSet: T.replicaset, StatefulSet: T.statefulset, DaemonSet: T.daemonset };
  const type = kinds[ref.kind];
  if (!type) return;
  const owner = store.get(type, pod.metadata.namespace, ref.name);
  if (!owner || owner.metadata.uid !== ref.uid || owner.metadata.deletionTimestamp) return;
  if (type === T.replicaset) syncReplicaSet(store, owner);
  else if (type === T.statefulset) syncStatefulSet(store, owner);
  else syncDaemonSet(store, owner);
}

function setReplicas(store: ClusterStore, type: string, obj: KObject, replicas: number): KObject {
  if (spec(obj).replicas === replicas) return obj;
  return store.write(type, {
    ...obj,
    metadata: { ...obj.metadata, generation: (obj.metadata.generation ?? 0) + 1 },
    spec: { ...spec(obj), replicas },
  });
}

const revisionOf = (o: KObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '0');

function replicaSetsOf(store: ClusterStore, d: KObject): KObject[] {
  return store.list(T.replicaset, d.metadata.namespace).filter((rs) => ownedBy(rs, d));
}

function currentReplicaSet(store: ClusterStore, d: KObject): KObject | undefined {
  return replicaSetsOf(store, d).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
}

function templateWithoutHash(rs: KObject): unknown {
  const t = structuredClone(spec(rs).template) as Any;
  if (t?.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}

/** New pod template: a new ReplicaSet with the next revision; older ones go to 0. */
function rollOut(store: ClusterStore, d: KObject): void {
  const sets = replicaSetsOf(store, d);
  const replicas = spec(d).replicas ?? 1;
  const matching = sets.find((rs) => canonical(templateWithoutHash(rs)) === canonical(spec(d).template));
  const revision = Math.max(0, ...sets.map(revisionOf)) + 1;
  let next: KObject;
  if (matching) {
    // Rolling back to an existing template re-uses its ReplicaSet under the new revision.
    next = store.write(T.replicaset, {
      ...matching,
      metadata: { ...matching.metadata, annotations: { ...matching.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision) } },
    });
  } else {
    const hash = shortHash(10, d.metadata.namespace!, d.metadata.name, d.metadata.uid!, String(revision));
    const template = structuredClone(spec(d).template) as Any;
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
    const name = `${d.metadata.name}-${hash}`;
    next = store.write(T.replicaset, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        uid: uidFor(store.name, T.replicaset, d.metadata.namespace!, name, store.resourceVersion),
        resourceVersion: '',
        generation: 1,
        creationTimestamp: now(),
        labels: template.metadata.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
          'deployment.kubernetes.io/revision': String(revision),
        },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: { replicas: 0, selector: { matchLabels: { ...spec(d).selector?.matchLabels, 'pod-template-hash': hash } }, template },
      status: { replicas: 0 },
    });
  }
  for (const rs of sets) if (rs.metadata.uid !== next.metadata.uid) syncReplicaSet(store, setReplicas(store, T.replicaset, rs, 0));
  syncReplicaSet(store, setReplicas(store, T.replicaset, next, replicas));
  const fresh = store.get(T.deployment, d.metadata.namespace, d.metadata.name)!;
  deploymentStatus(
    store,
    store.write(T.deployment, {
      ...fresh,
      metadata: { ...fresh.metadata, annotations: { ...fresh.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision) } },
    }),
  );
}

let podCounter = 0;

/** A running, ready pod from a template, placed round-robin on schedulable worker nodes. */
function newPod(store: ClusterStore, owner: KObject, template: Any, name: string, generateName?: string): KObject {
  const nodes = store
    .list(T.node)
    .filter((n) => !spec(n).unschedulable && !(n.metadata.labels ?? {})['node-role.kubernetes.io/control-plane'])
    .map((n) => n.metadata.name);
  const n = podCounter++;
  const node = nodes.length ? nodes[n % nodes.length] : undefined;
  const created = now();
  const podSpec = structuredClone(template.spec ?? {}) as Any;
  if (node) podSpec.nodeName = node;
  const containers = (podSpec.containers ?? []) as Any[];
  const ns = owner.metadata.namespace!;
  const ready = node !== undefined;
  const condition = (type: string) => ({ type, status: ready || type === 'PodScheduled' ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: created });
  return store.write(T.pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(generateName ? { generateName } : {}),
      namespace: ns,
      uid: uidFor(store.name, T.pod, ns, name, store.resourceVersion),
      resourceVersion: '',
      creationTimestamp: created,
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [
        { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: podSpec,
    status: ready
      ? {
          phase: 'Running',
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
          hostIP: `192.168.0.${20 + nodes.indexOf(node)}`,
          podIP: `10.244.${200 + Math.floor(n / 250)}.${(n % 250) + 2}`,
          startTime: created,
          containerStatuses: containers.map((c) => ({
            name: c.name,
            state: { running: { startedAt: created } },
            lastState: {},
            ready: true,
            restartCount: 0,
            image: c.image,
            imageID: '',
            started: true,
          })),
          qosClass: 'BestEffort',
        }
      : { phase: 'Pending', conditions: [condition('PodScheduled')], qosClass: 'BestEffort' },
  });
}

const isReady = (p: KObject) => ((p.status as Any | undefined)?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');

function syncReplicaSet(store: ClusterStore, rs: KObject): void {
  const want = spec(rs).replicas ?? 1;
  const pods = podsOf(store, rs);
  for (const p of pods.slice(want).reverse()) store.remove(T.pod, p.metadata.namespace, p.metadata.name);
  for (let i = pods.length; i < want; i++) {
    const prefix = `${rs.metadata.name}-`;
    let name: string;
    let k = 0;
    do name = `${prefix}${shortHash(5, rs.metadata.uid!, store.resourceVersion, String(k++))}`;
    while (store.get(T.pod, rs.metadata.namespace, name));
    newPod(store, rs, spec(rs).template, name, prefix);
  }
  const live = podsOf(store, rs);
  const ready = live.filter(isReady).length;
  const status: Any = { replicas: live.length };
  if (live.length) status.fullyLabeledReplicas = live.length;
  if (ready) status.readyReplicas = ready;
  if (ready) status.availableReplicas = ready;
  status.observedGeneration = rs.metadata.generation ?? 1;
  const fresh = store.get(T.replicaset, rs.metadata.namespace, rs.metadata.name)!;
  store.write(T.replicaset, { ...fresh, status });
  const owner = fresh.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
  const d = owner && store.get(T.deployment, rs.metadata.namespace, owner.name);
  if (d) deploymentStatus(store, d);
}

function deploymentStatus(store: ClusterStore, d: KObject): void {
  const fresh = store.get(T.deployment, d.metadata.namespace, d.metadata.name);
  if (!fresh) return;
  const sets = replicaSetsOf(store, fresh);
  const current = currentReplicaSet(store, fresh);
  const sum = (f: (rs: KObject) => number) => sets.reduce((a, rs) => a + f(rs), 0);
  const st = (rs: KObject) => (rs.status as Any | undefined) ?? {};
  const replicas = sum((rs) => st(rs).replicas ?? 0);
  const ready = sum((rs) => st(rs).readyReplicas ?? 0);
  const want = spec(fresh).replicas ?? 1;
  const status: Any = { ...(fresh.status as Any), observedGeneration: fresh.metadata.generation ?? 1 };
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) delete status[k];
  const conditions = status.conditions;
  delete status.conditions;
  if (replicas) {
    status.replicas = replicas;
    status.updatedReplicas = current ? (st(current).replicas ?? 0) : 0;
    if (ready) status.readyReplicas = ready;
    if (ready) status.availableReplicas = ready;
    if (want - ready > 0) status.unavailableReplicas = want - ready;
  }
  if (conditions) status.conditions = conditions;
  store.write(T.deployment, { ...fresh, status });
}

function syncStatefulSet(store: ClusterStore, sts: KObject): void {
  const want = spec(sts).replicas ?? 1;
  const ns = sts.metadata.namespace;
  for (const p of podsOf(store, sts)) {
    const ordinal = Number(p.metadata.name.slice(sts.metadata.name.length + 1));
    if (!(ordinal < want)) store.remove(T.pod, ns, p.metadata.name);
  }
  for (let i = 0; i < want; i++) {
    const name = `${sts.metadata.name}-${i}`;
    if (store.get(T.pod, ns, name)) continue;
    const template = structuredClone(spec(sts).template) as Any;
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'statefulset.kubernetes.io/pod-name': name } };
    newPod(store, sts, template, name, `${sts.metadata.name}-`);
  }
  workloadStatus(store, T.statefulset, sts, (live, ready) => ({
    replicas: live,
    readyReplicas: ready,
    currentReplicas: live,
    updatedReplicas: live,
    availableReplicas: ready,
  }));
}

function syncDaemonSet(store: ClusterStore, ds: KObject): void {
  const nodes = store.list(T.node).filter((n) => !spec(n).unschedulable);
  const pods = podsOf(store, ds);
  for (const node of nodes) {
    if (pods.some((p) => spec(p).nodeName === node.metadata.name)) continue;
    const name = `${ds.metadata.name}-${shortHash(5, ds.metadata.uid!, node.metadata.name, store.resourceVersion)}`;
    const pod = newPod(store, ds, spec(ds).template, name, `${ds.metadata.name}-`);
    if (spec(pod).nodeName !== node.metadata.name) store.write(T.pod, { ...pod, spec: { ...spec(pod), nodeName: node.metadata.name } });
  }
  workloadStatus(store, T.daemonset, ds, (live, ready) => ({
    currentNumberScheduled: live,
    numberMisscheduled: 0,
    desiredNumberScheduled: nodes.length,
    numberReady: ready,
    updatedNumberScheduled: live,
    numberAvailable: ready,
  }));
}

function workloadStatus(store: ClusterStore, type: string, obj: KObject, counts: (live: number, ready: number) => Any): void {
  const fresh = store.get(type, obj.metadata.namespace, obj.metadata.name);
  if (!fresh) return;
  const live = podsOf(store, fresh);
  const ready = live.filter(isReady).length;
  store.write(type, { ...fresh, status: { ...(fresh.status as Any), observedGeneration: fresh.metadata.generation ?? 1, ...counts(live.length, ready) } });
}
