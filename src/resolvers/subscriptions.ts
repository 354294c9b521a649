/**
 * Subscriptions over Kubernetes watch, and container logs. The source of a
 * subscription is a bounded stream from the LiveHub; each event then runs as
 * a fresh operation (its own session deadline, budget and loaders), because
 * one subscription's context lives for hours while nested fields (`Pod.node`)
 * must never be served from a stale cache or a long-spent budget.
 */
import type { IncomingMessage } from 'node:http';
import type { GraphQLContext } from '../context.ts';
import { FacadeError, toFacadeError } from '../errors.ts';
import type { PodResolvers, SubscriptionResolvers } from '../generated/graphql.ts';
import { KubeSphereApi } from '../kubesphere/api.ts';
import { OperationBudget } from '../kubesphere/client.ts';
import { apiVersion as checkApiVersion, fieldSelector, labelSelector, nativeResource, objectName, podLogPath, resourcePlural } from '../kubesphere/paths.ts';
import { kindByPlural } from '../kubesphere/resources.ts';
import { clusterOf, type KubeObject } from '../kubesphere/types.ts';
import { UpstreamError } from '../kubesphere/upstream-error.ts';
import { createLoaders } from '../loaders/index.ts';
import { readLog, type ChangePayload, type Holder, type LiveHub, type LogPayload } from '../subscriptions/hub.ts';
import { showResource } from './generic.ts';

/** What the transports add to the context: the hub, and (WebSocket) the connection a subscription belongs to. */
export interface LiveContext {
  live: LiveHub;
  /** WebSocket: the socket; SSE: none (Node's `req` is used). */
  connection?: object;
  disconnect?: () => void;
  /** WebSocket: aborted when the socket closes. */
  connectionSignal?: AbortSignal;
  req?: IncomingMessage;
}

const liveOf = (ctx: GraphQLContext) => ctx as GraphQLContext & LiveContext;

function holderOf(ctx: GraphQLContext): Holder {
  const c = liveOf(ctx);
  const socket = c.req?.socket;
  return {
    connection: c.connection ?? socket,
    disconnect: c.disconnect ?? (() => socket?.destroy()),
    signal: c.connectionSignal ?? ctx.request?.signal,
  };
}

/** Each event gets its own session, budget and loaders, as if it were a new operation. */
function freshOperation(ctx: GraphQLContext): void {
  const { timeoutMs, maxUpstreamCalls, maxInFlight } = liveOf(ctx).live.operation;
  const kubesphere = ctx.kubesphere.fork({ deadline: performance.now() + timeoutMs, budget: new OperationBudget(maxUpstreamCalls, maxInFlight) });
  const api = new KubeSphereApi(kubesphere);
  Object.assign(ctx, { kubesphere, api, loaders: createLoaders(api) });
}

function failure(error: Error): Error {
  return error instanceof UpstreamError ? toFacadeError(error) : error;
}

interface ScopeArgs {
  cluster?: string | null | undefined;
  namespace?: string | null | undefined;
  labelSelector?: string | null | undefined;
  initial?: boolean | null | undefined;
}

/** Validates the arguments and starts (or joins) the watch; any input error is thrown before an upstream call. */
async function changes(
  ctx: GraphQLContext,
  plural: string,
  version: string,
  args: ScopeArgs,
  extraFieldSelector?: string,
): Promise<AsyncIterable<ChangePayload>> {
  const info = kindByPlural(plural);
  const namespaced = info ? info.namespaced : true;
  if (args.labelSelector) labelSelector(args.labelSelector);
  if (extraFieldSelector) fieldSelector(extraFieldSelector);
  const target = await ctx.kubesphere.target(args.cluster);
  const path = nativeResource(target, version, { resource: plural, namespace: namespaced ? args.namespace : undefined });
  return liveOf(ctx).live.watch(
    ctx.kubesphere,
    {
      cluster: args.cluster,
      path,
      labelSelector: args.labelSelector,
      fieldSelector: extraFieldSelector,
      kind: info && info.apiVersion === version ? info.kind : undefined,
    },
    args.initial ?? true,
    holderOf(ctx),
  );
}

/** The GraphQL event of a payload; a terminal error payload becomes the event's error. */
function event(payload: ChangePayload, ctx: GraphQLContext, show: (object: KubeObject) => KubeObject = (o) => o) {
  if ('error' in payload) throw failure(payload.error);
  freshOperation(ctx);
  return { type: payload.type, object: payload.object ? show(payload.object) : null, resourceVersion: payload.resourceVersion };
}

const typed = (plural: string) => {
  const info = kindByPlural(plural)!;
  return {
    subscribe: (_parent: unknown, args: ScopeArgs, ctx: GraphQLContext) => changes(ctx, plural, info.apiVersion, args),
    resolve: (payload: ChangePayload, _args: unknown, ctx: GraphQLContext) => event(payload, ctx),
  };
};

export const subscriptionRoot: SubscriptionResolvers = {
  podChanges: {
    subscribe: (_parent, args, ctx) => changes(ctx, 'pods', 'v1', args, args.nodeName ? `spec.nodeName=${objectName(args.nodeName, 'nodeName')}` : undefined),
    resolve: (payload: ChangePayload, _args: unknown, ctx: GraphQLContext) => event(payload, ctx) as never,
  },
  deploymentChanges: typed('deployments') as never,
  statefulSetChanges: typed('statefulsets') as never,
  daemonSetChanges: typed('daemonsets') as never,
  nodeChanges: typed('nodes') as never,
  namespaceChanges: typed('namespaces') as never,
  eventChanges: typed('events') as never,
  resourceChanges: {
    subscribe: (_parent, args, ctx) => changes(ctx, resourcePlural(args.resource), checkApiVersion(args.apiVersion), args),
    resolve: (payload: ChangePayload, args: { resource: string; apiVersion: string; cluster?: string | null }, ctx: GraphQLContext) =>
      event(payload, ctx, (object) => showResource({ resource: args.resource, apiVersion: args.apiVersion, cluster: args.cluster }, object)) as never,
  },
  podLogs: {
    subscribe: async (_parent, args, ctx) => {
      const target = await ctx.kubesphere.target(args.cluster);
      const path = podLogPath(target, args.namespace, args.name);
      return liveOf(ctx).live.followLogs(
        ctx.kubesphere,
        { cluster: args.cluster, path, query: { container: args.container, tailLines: args.tailLines, sinceSeconds: args.sinceSeconds } },
        holderOf(ctx),
      );
    },
    resolve: (payload: LogPayload) => {
      if ('error' in payload) throw failure(payload.error);
      return payload;
    },
  },
};

export const podLogs: Pick<PodResolvers, 'logs'> = {
  logs: async (pod, args, ctx) => {
    const namespace = pod.metadata?.namespace;
    const name = pod.metadata?.name;
    if (!namespace || !name) throw new FacadeError('The pod has no namespace or name.', { code: 'BAD_USER_INPUT' });
    const cluster = clusterOf(pod);
    const target = await ctx.kubesphere.target(cluster);
    const query = {
      container: args.container,
      tailLines: args.tailLines,
      sinceSeconds: args.sinceSeconds,
      previous: args.previous,
      timestamps: args.timestamps,
    };
    return readLog(ctx.kubesphere, { cluster, path: podLogPath(target, namespace, name), query }, liveOf(ctx).live.logs.maxBytes, ctx.request?.signal);
  },
};
