/** Metrics and a client span for every upstream call, and the `traceparent` it carries. */
import type { CallObservation, UpstreamObserver } from '../kubesphere/client.ts';
import { UpstreamError } from '../kubesphere/upstream-error.ts';
import { apiGroup } from './labels.ts';
import type { FacadeMetrics } from './metrics.ts';
import { operationStore } from './operation.ts';
import { context, propagation, SpanKind, SpanStatusCode, trace, tracer } from './tracing.ts';

export function upstreamObserver(metrics: FacadeMetrics, origin: string): UpstreamObserver {
  const host = new URL(origin);
  return {
    call({ method, path, cluster }): CallObservation {
      const group = metrics.apiGroups.of(apiGroup(path));
      const span = tracer.startSpan(`${method} ${group}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'server.address': host.hostname,
          // The path names objects but never carries a token; the query string is left out.
          'url.path': path.split('?', 1)[0]!,
          'kubesphere.api_group': group,
          'kubesphere.cluster': cluster ?? 'host',
        },
      });
      const headers: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), headers);
      const operation = operationStore.getStore();
      let attempts = 0;
      let status: number | undefined;
      let started = 0;
      const labels = (error: unknown) => ({ method, api_group: group, cluster: metrics.cluster(cluster), status: statusLabel(status, error) });
      return {
        headers,
        attempt() {
          attempts++;
          status = undefined;
          started = performance.now();
          if (operation) operation.upstreamCalls++;
        },
        response(code) {
          status = code;
          // A cluster is a label only once KubeSphere has answered for it: a caller cannot invent series.
          if (cluster !== null && code >= 200 && code < 300) metrics.clusters.learn(cluster);
        },
        attemptEnd(error) {
          const values = labels(error);
          metrics.upstreamRequests.inc(values);
          metrics.upstreamDuration.observe(values, (performance.now() - started) / 1000);
        },
        end(error) {
          if (attempts > 1) metrics.upstreamRetries.inc({ method, api_group: group, cluster: metrics.cluster(cluster) }, attempts - 1);
          span.setAttribute('kubesphere.attempts', attempts);
          if (status !== undefined) span.setAttribute('http.response.status_code', status);
          if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: statusLabel(status, error) });
          span.end();
        },
      };
    },
  };
}

function statusLabel(status: number | undefined, error: unknown): string {
  // A failure after the status line (body timeout, oversize, not JSON) is named by what failed.
  if (error instanceof UpstreamError && error.kind !== 'status') return error.kind.replace('-', '_');
  if (status !== undefined) return String(status);
  if (error === undefined) return 'ok';
  if ((error as { code?: unknown }).code === 'EOPENBREAKER') return 'breaker_open';
  if (error instanceof UpstreamError) return error.kind.replace('-', '_');
  return 'error';
}
