/**
 * Optional OpenTelemetry tracing. Spans are always made through the API,
 * which does nothing until `startTracing` registers a provider: with tracing
 * off they cost a no-op call.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Config } from '../config.ts';

export const tracer = trace.getTracer('kubesphere-graphql');

export { context, propagation, SpanKind, SpanStatusCode, trace, type Span };

/**
 * Registers the global tracer provider with an OTLP/HTTP (JSON) exporter and
 * the W3C trace-context propagator. The SDK reads the other standard
 * variables itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*, OTEL_TRACES_SAMPLER…).
 * Returns the flush-and-stop for shutdown. The SDK is loaded here, not at
 * start-up: ~20 MB of resident code that a facade without tracing never runs.
 */
export async function startTracing(tracing: NonNullable<Config['tracing']>): Promise<() => Promise<void>> {
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, NodeTracerProvider }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': tracing.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracing.tracesUrl }))],
  });
  provider.register();
  return () => provider.shutdown();
}

/** Runs `fn` in a new active span that ends when its promise settles; a rejection marks the span as failed. */
export function inSpan<T>(name: string, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
