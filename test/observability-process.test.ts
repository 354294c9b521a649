/**
 * Traces and request logs of the facade as a real process: spans exported
 * over OTLP/HTTP to a collector in this test, the `traceparent` KubeSphere
 * received, and the one log line per operation on stdout.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { startFacadeProcess, type FacadeProcess } from './helpers/process.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue !== undefined ? Number(value.intValue) : undefined);
};

async function until<T>(what: () => T | undefined, description: () => string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('traces and request logs', () => {
  let sim: Simulator;
  let facade: FacadeProcess;
  let collector: Server;
  const spans: OtlpSpan[] = [];
  const exports: { path: string; contentType: string }[] = [];

  beforeAll(async () => {
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        exports.push({ path: request.url ?? '', contentType: String(request.headers['content-type']) });
        const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of parsed.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    sim = await startSimulator({ flavour: '4.1' });
    facade = await startFacadeProcess({
      KUBESPHERE_URL: sim.url,
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_SERVICE_NAME: 'graphql-under-test',
      // Read by the SDK itself: export within 100 ms instead of 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  });
  afterAll(async () => {
    await facade.stop('SIGKILL');
    await sim.close();
    collector.close();
  });

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${facade.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.issueToken('admin')}`, ...headers },
      body: JSON.stringify({ query, variables: { secret: 'do-not-log-me' } }),
    });

  it('exports a span per operation, DataLoader batch and upstream call, and KubeSphere gets the call span as traceparent', async () => {
    sim.clearRequests();
    const response = await post(
      'query PodsWithNodes($secret: String) { pods(namespace: "demo-app", limit: 3, filter: { name: $secret }) { totalItems } nodes(limit: 2) { items { metadata { name } } } pod(namespace: "demo-app", name: "x") { metadata { name } } }',
    );
    expect(response.status).toBe(200);
    const operation = await until(
      () => spans.find((s) => s.name === 'query PodsWithNodes'),
      () => `the operation span among ${JSON.stringify(spans.map((s) => s.name))}`,
    );
    expect(exports[0]).toEqual({ path: '/v1/traces', contentType: 'application/json' });
    expect(operation.kind).toBe(2); // SERVER
    expect(attribute(operation, 'graphql.operation.type')).toBe('query');
    expect(attribute(operation, 'graphql.operation.name')).toBe('PodsWithNodes');
    // The version read at start-up may land here, in a trace of its own.
    const requests = sim.requests.filter((r) => r.path !== '/kapis/version');
    const upstreamCalls = requests.length;
    expect(upstreamCalls).toBeGreaterThanOrEqual(3);
    expect(attribute(operation, 'kubesphere_graphql.upstream_calls')).toBe(upstreamCalls);

    const inTrace = await until(
      () => {
        const found = spans.filter((s) => s.traceId === operation.traceId);
        return found.filter((s) => s.kind === 3).length >= upstreamCalls ? found : undefined;
      },
      () => 'the upstream spans',
    );
    const batch = inTrace.find((s) => s.name === 'dataloader objectByName');
    expect(batch?.parentSpanId).toBe(operation.spanId);
    expect(attribute(batch!, 'dataloader.batch_size')).toBe(1);

    // Every upstream request carried the traceparent of its own client span, in the operation's trace.
    for (const request of requests) {
      const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(request.headers.traceparent ?? '');
      expect(match, `${request.path}: ${request.headers.traceparent}`).not.toBeNull();
      expect(match![1]).toBe(operation.traceId);
      const client = inTrace.find((s) => s.spanId === match![2])!;
      expect(client.kind).toBe(3); // CLIENT
      expect(attribute(client, 'url.path')).toBe(request.path);
      expect(attribute(client, 'http.response.status_code')).toBe(request.status);
    }
    // The pod lookup ran inside its DataLoader batch's span.
    const podCall = inTrace.find((s) => s.kind === 3 && String(attribute(s, 'url.path')).endsWith('/pods/x'));
    expect(podCall?.parentSpanId).toBe(batch!.spanId);
  });

  it('continues a caller trace from its traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await post('query Caller { version { kubesphere { gitVersion } } }', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const operation = await until(
      () => spans.find((s) => s.name === 'query Caller'),
      () => 'the Caller span',
    );
    expect(operation.traceId).toBe(traceId);
    expect(operation.parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('logs one info line per operation with the request id it returns, and no token or variables', async () => {
    const token = sim.issueToken('admin');
    const ok = await fetch(`${facade.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'req-42.abc' },
      body: JSON.stringify({
        query: 'query Missing($name: String!) { pod(namespace: "demo-app", name: $name) { metadata { name } } }',
        variables: { name: 'secret-pod-name' },
      }),
    });
    expect(ok.headers.get('x-request-id')).toBe('req-42.abc');
    await ok.json();
    // An id that is not short and plain is replaced, never echoed.
    const replaced = await post('{ version { kubesphere { gitVersion } } }', { 'x-request-id': `bad id\u00e9${'x'.repeat(200)}` });
    const generated = replaced.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const lines = () =>
      facade
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'graphql operation');
    const line = await until(
      () => lines().find((l) => l.requestId === 'req-42.abc'),
      () => facade.output(),
    );
    expect(line).toMatchObject({
      level: 30,
      requestId: 'req-42.abc',
      operation: 'Missing',
      type: 'query',
      status: 200,
      outcome: 'error',
      upstreamCalls: 1,
      errorCodes: ['NOT_FOUND'],
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    await until(
      () => lines().find((l) => l.requestId === generated),
      () => 'the generated id',
    );
    expect(lines().filter((l) => l.requestId === 'req-42.abc')).toHaveLength(1);
    const output = facade.output();
    expect(output).not.toContain(token);
    expect(output).not.toContain('secret-pod-name');
    expect(output).not.toContain('do-not-log-me');
    // Probes are not operations.
    await fetch(`${facade.url}/healthz`);
    expect(lines().every((l) => l.operation !== undefined)).toBe(true);
  });
});
