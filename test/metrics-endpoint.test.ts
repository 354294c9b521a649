/**
 * The Prometheus series after a known sequence of operations, read from the
 * separate `/metrics` listener over HTTP; and no label carries a token, a
 * user name or a value a caller can multiply.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from './helpers/stack.ts';

/** `name{a="1",b="2"} value` lines → value by `name{labels}` with labels sorted. */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    const labels = (match[2] ?? '').match(/[a-zA-Z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
    series.set(`${match[1]}{${labels.sort().join(',')}}`, Number(match[3]));
  }
  return series;
}

describe('Prometheus /metrics', () => {
  let stack: Stack;
  let server: Server;
  let metricsUrl: string;
  let admin: string;
  const scrape = async () => {
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    stack = await startStack({ flavour: '4.1', env: { UPSTREAM_RETRIES: '2', BREAKER_MIN_CALLS: '3', BREAKER_RESET_MS: '60000' } });
    server = stack.facade.metrics.server();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    admin = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    server.close();
    await stack.close();
  });

  it('counts operations, upstream calls, retries, batches and breakers of a known sequence', async () => {
    const pods = 'query ListPods { pods(namespace: "demo-app", limit: 5) { items { metadata { name } node { metadata { name } } } } }';
    expect((await stack.gql(pods, { token: admin })).errors).toBeUndefined();
    expect((await stack.gql(pods, { token: admin })).errors).toBeUndefined();
    // One 503, then the retry succeeds.
    stack.sim.faults.add({ path: /\/v1alpha3\/nodes$/, fault: { kind: 'status', status: 503 }, times: 1 });
    expect((await stack.gql('query Nodes { nodes(limit: 2) { totalItems } }', { token: admin })).errors).toBeUndefined();
    // A partial answer: one field NOT_FOUND, the other with data.
    const partial = await stack.gql(
      'query Partial { version { kubesphere { gitVersion } } pod(namespace: "demo-app", name: "no-such-pod") { metadata { name } } }',
      {
        token: admin,
      },
    );
    expect(partial.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    // Refused before any resolver: no token, and a document that does not validate.
    await stack.gql('query NoToken { nodes { totalItems } }');
    await stack.gql('query Bad { noSuchField }', { token: admin });
    // Names a caller invents must not become series: a cluster that does not exist, and a name past the cap.
    await stack.gql('query Ghost { nodes(cluster: "no-such-cluster") { totalItems } }', { token: admin });
    await stack.gql(`query ${'N'.repeat(80)} { version { kubesphere { gitVersion } } }`, { token: admin });
    // A cluster that never answered is `other`, and gets no breaker: breakers exist only for clusters known to exist.
    stack.sim.faults.add({ path: /^\/clusters\/ghost-cluster\//, fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 4; i++) await stack.gql('{ namespaces(cluster: "ghost-cluster") { totalItems } }', { token: admin });
    stack.sim.faults.clear();
    // 500s on a known route open its breaker (BREAKER_MIN_CALLS=3): the next call fails fast.
    stack.sim.faults.add({ path: /\/v1alpha3\/namespaces$/, fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 10; i++) await stack.gql('{ namespaces { totalItems } }', { token: admin });
    stack.sim.faults.clear();

    const text = await scrape();
    const m = parse(text);
    const get = (name: string) => m.get(name);

    expect(get('kubesphere_graphql_operations_total{operation="ListPods",outcome="success",type="query"}')).toBe(2);
    expect(get('kubesphere_graphql_operations_total{operation="Nodes",outcome="success",type="query"}')).toBe(1);
    expect(get('kubesphere_graphql_operations_total{operation="Partial",outcome="partial",type="query"}')).toBe(1);
    expect(get('kubesphere_graphql_operations_total{operation="NoToken",outcome="error",type="query"}')).toBe(1);
    expect(get('kubesphere_graphql_operations_total{operation="Bad",outcome="error",type="query"}')).toBe(1);
    expect(get('kubesphere_graphql_operations_total{operation="anonymous",outcome="success",type="mutation"}')).toBe(1);
    expect(get('kubesphere_graphql_operations_total{operation="other",outcome="success",type="query"}')).toBe(1);
    expect(get('kubesphere_graphql_operation_duration_seconds_count{operation="ListPods",outcome="success",type="query"}')).toBe(2);
    expect(get('kubesphere_graphql_operation_errors_total{code="NOT_FOUND"}')).toBe(1);
    expect(get('kubesphere_graphql_operation_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(get('kubesphere_graphql_operation_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);

    // ListPods: pods, then the page's nodes in one batch, twice.
    expect(
      get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="host",method="GET",status="200"}'),
    ).toBeGreaterThanOrEqual(4);
    expect(get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="host",method="GET",status="503"}')).toBe(1);
    expect(get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="host",method="GET",status="404"}')).toBe(1);
    expect(get('kubesphere_graphql_upstream_requests_total{api_group="oauth",cluster="host",method="POST",status="200"}')).toBe(1);
    expect(get('kubesphere_graphql_upstream_request_duration_seconds_count{api_group="oauth",cluster="host",method="POST",status="200"}')).toBe(1);
    expect(get('kubesphere_graphql_upstream_retries_total{api_group="resources.kubesphere.io",cluster="host",method="GET"}')).toBe(1);
    // Two ListPods node batches and the Partial pod lookup.
    // (A page's node lookups may land in two ticks on a loaded machine, so two or three batches for the pages.)
    expect(get('kubesphere_graphql_dataloader_batch_size_count{loader="objectByName"}')).toBeGreaterThanOrEqual(3);
    expect(get('kubesphere_graphql_dataloader_batch_size_count{loader="objectByName"}')).toBeLessThanOrEqual(5);
    expect(get('kubesphere_graphql_dataloader_batch_size_sum{loader="objectByName"}')).toBeGreaterThanOrEqual(2);

    // Clusters KubeSphere never answered for are `other`.
    expect([...m.keys()].filter((k) => k.includes('no-such-cluster') || k.includes('ghost-cluster'))).toEqual([]);
    expect(get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="other",method="GET",status="500"}')).toBe(4);
    expect(get('kubesphere_graphql_upstream_breaker_state{cluster="other"}')).toBeUndefined();
    // The route's earlier successes count too: it opens once half of its calls failed, and then fails fast.
    const failed = get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="host",method="GET",status="500"}')!;
    const refused = get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="host",method="GET",status="breaker_open"}')!;
    expect(failed).toBeGreaterThanOrEqual(3);
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(failed + refused).toBe(10);
    // The host's state is the worst of its routes' breakers.
    expect(get('kubesphere_graphql_upstream_breaker_state{cluster="host"}')).toBe(2);
    expect(get('kubesphere_graphql_subscriptions_open{}')).toBe(0);
    expect(get('kubesphere_graphql_upstream_pool_connections{pool="calls",state="connected"}')).toBeGreaterThanOrEqual(1);
    expect(get('kubesphere_graphql_upstream_pool_requests{pool="calls",state="running"}')).toBe(0);
    expect(get('process_resident_memory_bytes{}')).toBeGreaterThan(0);

    // No token, no user name, no object name anywhere in the labels.
    expect(text).not.toContain(admin);
    expect(text).not.toMatch(/admin|no-such-pod|demo-app|NNNNNNNNNN/);
  });

  it('learns a member cluster once KubeSphere has answered for it', async () => {
    // The first answer makes the cluster known; its breaker exists from the next call on.
    expect((await stack.gql('{ nodes(cluster: "member-1") { totalItems } }', { token: admin })).errors).toBeUndefined();
    expect((await stack.gql('{ namespaces(cluster: "member-1") { totalItems } }', { token: admin })).errors).toBeUndefined();
    const m = parse(await scrape());
    expect(m.get('kubesphere_graphql_upstream_requests_total{api_group="resources.kubesphere.io",cluster="member-1",method="GET",status="200"}')).toBe(2);
    expect(m.get('kubesphere_graphql_upstream_breaker_state{cluster="member-1"}')).toBe(0);
  });

  it('answers only GET /metrics', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/graphql'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
  });
});
