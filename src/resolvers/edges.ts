/** Edges shared by several types: controller owner, controlled pods, events, images. */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { GraphQLContext } from '../context.ts';
import type { ResolversTypes } from '../generated/graphql.ts';
import { kindByName } from '../kubesphere/resources.ts';
import { clusterOf, tagKind, type KubeObject, type PodResource, type WorkloadResource } from '../kubesphere/types.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { eventRule, type EventListFilter } from '../model/filters.ts';
import { selectorString } from '../model/selector.ts';
import { inNamespace, pageEdge, pageLocally, type EdgeArgs } from './list.ts';

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** The `ownerReferences` entry with `controller: true`. */
export const controllerRef = (object: KubeObject) => object.metadata?.ownerReferences?.find((ref) => ref.controller);

/** True when `owner` is the controller of `object` (matched by UID). */
export const controls = (owner: KubeObject) => (object: KubeObject) => {
  const ref = controllerRef(object);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
};

type WorkloadValue = ResolversTypes['Workload'];

/**
 * A workload of the given kind in the namespace of `from`, through the
 * batched by-name loader, marked with its GraphQL type; null for kinds that
 * are not workloads.
 */
export async function workload(from: KubeObject, ref: { kind: string; name: string } | undefined, { loaders }: GraphQLContext): Promise<WorkloadValue | null> {
  const info = ref && WORKLOAD_KINDS.has(ref.kind) ? kindByName(ref.kind) : undefined;
  if (!ref || !info) return null;
  const object = (await loaders.objectByName.load({
    cluster: clusterOf(from),
    resource: info.plural,
    namespace: from.metadata?.namespace,
    name: ref.name,
  })) as WorkloadResource;
  return tagKind(object, info.kind) as WorkloadValue;
}

/** The workload that controls an object; null for other owners (a static pod's Node). */
export const ownerWorkload = (object: KubeObject, ctx: GraphQLContext) => workload(object, controllerRef(object), ctx);

/**
 * Objects of a kind in the owner's namespace that the owner controls. They
 * are read narrowed upstream to what the owner's selector matches (a
 * controller's objects always match it), or to the owner's UID for owners
 * without one (CronJob), and controller ownership is checked here.
 */
export async function controlled<T extends KubeObject>(owner: KubeObject, resource: string, ctx: GraphQLContext): Promise<T[]> {
  const spec = (owner as WorkloadResource).spec as { selector?: LabelSelector } | undefined;
  if (spec?.selector !== undefined) {
    const labelSelector = selectorString(spec.selector);
    if (labelSelector === undefined) return [];
    return (await inNamespace<T>(owner, resource, ctx, undefined, { labelSelector })).filter(controls(owner));
  }
  const uid = owner.metadata?.uid;
  return (await inNamespace<T>(owner, resource, ctx, undefined, uid ? { ownerReference: uid } : {})).filter(controls(owner));
}

/** Pods a workload controls directly. */
const controlledPods = (owner: KubeObject, ctx: GraphQLContext) => controlled<PodResource>(owner, 'pods', ctx);

/** Events about an object, newest first, filtered and paged. */
export async function eventsAbout(object: KubeObject, args: EventArgs, ctx: GraphQLContext) {
  return pageLocally(args, ctx.lists, async () => {
    const uid = object.metadata?.uid;
    if (!uid) return [];
    const events = await ctx.loaders.eventsOf.load({ cluster: clusterOf(object), namespace: object.metadata?.namespace, uid });
    return events.filter(eventRule(args.filter));
  });
}

/** The arguments of an events edge. */
export interface EventArgs {
  filter?: EventListFilter | null | undefined;
  page?: number | null | undefined;
  limit?: number | null | undefined;
}

/** A pods edge of a workload: the pods it controls, filtered, sorted and paged like `Query.pods`. */
export const controlledPodsPage = (owner: KubeObject, args: EdgeArgs, ctx: GraphQLContext) =>
  pageEdge('pods', owner, args, ctx, () => controlledPods(owner, ctx));

/** Images of a pod template's containers. */
export const images = (template: PodTemplateSpec | undefined) => (template?.spec?.containers ?? []).map((c) => c.image ?? '');

/** The kinds the `Workload` interface holds. */
export { WORKLOAD_KINDS };
