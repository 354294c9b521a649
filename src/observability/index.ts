/**
 * Metrics, traces and request logs of one facade, wired in as one Yoga
 * plugin and one upstream observer (see README, "Operating it").
 */
import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { KubeSphereClient } from '../kubesphere/client.ts';
import type { LiveHub } from '../subscriptions/hub.ts';
import { FacadeMetrics } from './metrics.ts';
import { operationStore, type OperationState } from './operation.ts';
import { logOperation, outcome, REQUEST_ID_HEADER, requestId } from './request-log.ts';
import { context, propagation, SpanKind, SpanStatusCode, tracer, type Span } from './tracing.ts';
import { upstreamObserver } from './upstream.ts';

export { FacadeMetrics } from './metrics.ts';

export interface Observability {
  metrics: FacadeMetrics;
  plugin: Plugin;
}

export function createObservability(
  client: KubeSphereClient,
  live: LiveHub,
  logger: Logger,
  options: { requestLog: boolean; graphqlEndpoint: string },
): Observability {
  const metrics = new FacadeMetrics(client, live);
  client.observe(upstreamObserver(metrics, client.origin));
  return { metrics, plugin: useObservability(metrics, logger, options) };
}

interface RequestState extends OperationState {
  span?: Span;
  /** The request reached GraphQL (parameters or a result), so it counts as an operation. */
  graphql: boolean;
}

function useObservability(metrics: FacadeMetrics, logger: Logger, options: { requestLog: boolean; graphqlEndpoint: string }): Plugin {
  const states = new WeakMap<Request, RequestState>();
  const named = (state: RequestState, name: unknown, type: string | undefined) => {
    // `operationName` comes straight from the request: anything but a string is for Yoga to refuse.
    if (typeof name === 'string' && name !== '') state.operationName = name;
    if (type) state.operationType = type;
    state.span?.updateName(`${state.operationType ?? 'graphql'}${state.operationName ? ` ${state.operationName.slice(0, 64)}` : ''}`);
  };
  return {
    onRequest({ request }) {
      states.set(request, {
        requestId: requestId(request.headers.get(REQUEST_ID_HEADER)),
        startedAt: performance.now(),
        metrics,
        upstreamCalls: 0,
        operationName: null,
        operationType: null,
        errorCodes: [],
        hasData: false,
        graphql: false,
      });
    },
    instrumentation: {
      // Everything the operation does, DataLoader batches and upstream calls included, runs inside its span and state.
      operation({ request }, wrapped) {
        const state = states.get(request);
        if (!state) return wrapped();
        // Only the W3C trace headers: the rest (the Authorization header above all) is none of the propagator's business.
        const carrier: Record<string, string> = {};
        for (const name of ['traceparent', 'tracestate']) {
          const value = request.headers.get(name);
          if (value !== null) carrier[name] = value;
        }
        const parent = propagation.extract(context.active(), carrier);
        return operationStore.run(state, () =>
          tracer.startActiveSpan('graphql', { kind: SpanKind.SERVER, attributes: { 'kubesphere_graphql.request_id': state.requestId } }, parent, (span) => {
            state.span = span;
            return wrapped();
          }),
        );
      },
    },
    onParams({ params, request }) {
      const state = states.get(request);
      if (!state) return;
      state.graphql = true;
      named(state, params.operationName, undefined);
    },
    // Before validation, so that a refused document still has its name and type.
    onValidate({ params, context }) {
      const state = states.get((context as { request?: Request }).request as Request);
      if (!state) return;
      const operation = getOperationAST(params.documentAST, state.operationName ?? undefined);
      named(state, operation?.name?.value, operation?.operation);
    },
    onExecute({ args }) {
      const state = states.get((args.contextValue as { request?: Request }).request as Request);
      if (state) named(state, getOperationAST(args.document, args.operationName)?.name?.value, getOperationAST(args.document, args.operationName)?.operation);
    },
    onSubscribe({ args }) {
      const state = states.get((args.contextValue as { request?: Request }).request as Request);
      if (state) named(state, getOperationAST(args.document, args.operationName)?.name?.value, 'subscription');
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state) return;
      state.graphql = true;
      if (isAsyncIterable(result)) return;
      for (const one of Array.isArray(result) ? result : [result]) {
        const execution = one as ExecutionResult;
        // `{ nodes: null }` with an error is a failure, not a partial answer.
        if (execution.data && Object.values(execution.data).some((value) => value !== null)) state.hasData = true;
        for (const error of execution.errors ?? []) {
          const code = error.extensions?.code;
          state.errorCodes.push(typeof code === 'string' ? code : 'UNCODED');
        }
      }
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      response.headers.set(REQUEST_ID_HEADER, state.requestId);
      if (!state.graphql || new URL(request.url).pathname !== options.graphqlEndpoint) return;
      const durationMs = performance.now() - state.startedAt;
      const result = outcome(state, response.status);
      const type = state.operationType ?? 'unknown';
      const operation = state.operationName === null ? 'anonymous' : metrics.operationNames.of(state.operationName);
      metrics.operations.inc({ operation, type, outcome: result });
      metrics.operationDuration.observe({ operation, type, outcome: result }, durationMs / 1000);
      for (const code of state.errorCodes) metrics.operationErrors.inc({ code: metrics.errorCodes.of(code) });
      if (state.span) {
        state.span.setAttributes({
          'graphql.operation.type': type,
          ...(state.operationName !== null && { 'graphql.operation.name': state.operationName.slice(0, 64) }),
          'http.response.status_code': response.status,
          'kubesphere_graphql.upstream_calls': state.upstreamCalls,
        });
        if (result === 'error') state.span.setStatus({ code: SpanStatusCode.ERROR, message: state.errorCodes.join(',') });
        state.span.end();
      }
      if (options.requestLog) logOperation(logger, state, response.status, durationMs);
    },
  };
}
