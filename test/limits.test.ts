/**
 * Operation limits: each rejected before any resolver runs, so the upstream
 * sees nothing. Each case fails if its protection is removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

describe('operation limits', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ env: { OPERATION_MAX_UPSTREAM_CALLS: '3' } });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  async function rejected(query: string, code: string) {
    stack.sim.clearRequests();
    const result = await stack.gql(query, { token });
    expect(result.data ?? null).toBeNull();
    expect(codes(result)).toContain(code);
    expect(stack.upstreamCalls()).toHaveLength(0);
  }

  it('answers a body over 1 MiB with 413 and reads no further', async () => {
    stack.sim.clearRequests();
    const body = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024) } });
    const response = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('accepts a body just under 1 MiB', async () => {
    const body = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024 - 100) } });
    const response = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
  });

  it('limits parser tokens to 2000', async () => {
    // 23 tokens a copy, 2 for the outer braces.
    const build = '{ gitVersion major minor gitCommit buildDate goVersion platform }';
    const versions = (copies: number) => `{ ${`version { kubesphere ${build} kubernetes ${build} } `.repeat(copies)}}`;
    expect((await stack.gql(versions(86), { token })).errors).toBeUndefined(); // 1980 tokens
    await rejected(versions(87), 'GRAPHQL_PARSE_FAILED'); // 2003 tokens
  });

  it('limits depth to 10, through fragments too', async () => {
    // pods → items → node → pods → items → node → pods → items → metadata → name: depth 10.
    const deep = `{ pods(limit: 1) { items { node { pods(limit: 1) { items { node { pods(limit: 1) { items { metadata { name } } } } } } } } } }`;
    const tooDeep = `{ pods(limit: 1) { items { node { pods(limit: 1) { items { node { pods(limit: 1) { items { node { metadata { name } } } } } } } } } } }`;
    const viaFragments = `{ pods(limit: 1) { ...a } } fragment a on PodList { items { node { pods(limit: 1) { ...b } } } }
      fragment b on PodList { items { node { pods(limit: 1) { items { node { metadata { name } } } } } } }`;
    expect(codes(await stack.gql(deep, { token }))).not.toContain('QUERY_TOO_DEEP');
    await rejected(tooDeep, 'QUERY_TOO_DEEP');
    await rejected(viaFragments, 'QUERY_TOO_DEEP');
  });

  it('limits aliases to 15', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: version { kubesphere { gitVersion } }`).join(' ')} }`;
    expect((await stack.gql(aliases(15), { token })).errors).toBeUndefined();
    await rejected(aliases(16), 'TOO_MANY_ALIASES');
  });

  it('limits directives to 20', async () => {
    const directives = (n: number) => `{ ${'__typename @include(if: true) '.repeat(n)}}`;
    expect((await stack.gql(directives(20), { token })).errors).toBeUndefined();
    await rejected(directives(21), 'TOO_MANY_DIRECTIVES');
  });

  it('limits static cost, while real UI pages stay under a tenth of it', async () => {
    const uiPages = [
      `{ namespace(name: "demo-app") { metadata { name labels } deployments(limit: 20) { totalItems items {
        metadata { name creationTimestamp } replicas readyReplicas status images pods { items { metadata { name } status restarts node { metadata { name } ready } } } } } } }`,
      `{ nodes(limit: 10) { totalItems items { metadata { name labels annotations } roles ready status capacity { cpu memory pods }
        allocatable { cpu memory } requests { cpu memory } limits { cpu memory } internalIP kubeletVersion taints { key effect } } } }`,
      `{ pods(limit: 100) { totalItems items { metadata { name namespace creationTimestamp } status restarts readyContainers node { metadata { name } } } } }`,
    ];
    for (const page of uiPages) {
      // A page that no longer validates must not pass unnoticed (this stack's small upstream budget may still cut it short).
      const pageCodes = codes(await stack.gql(page, { token }));
      expect(pageCodes).not.toContain('QUERY_TOO_COMPLEX');
      expect(pageCodes).not.toContain('GRAPHQL_VALIDATION_FAILED');
    }
    // Each copy costs about 590 (depth multiplies); 15 of them pass every other limit.
    const deep = `pods(limit: 1) { items { node { pods(limit: 1) { items { node { pods(limit: 1) { items { metadata { name namespace uid labels annotations ownerReferences { kind name uid } } } } } } } } } }`;
    await rejected(`{ ${Array.from({ length: 15 }, (_, i) => `p${i}: ${deep}`).join(' ')} }`, 'QUERY_TOO_COMPLEX');
  });

  it('refuses a list limit above the maximum before any call', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql('{ pods(limit: 501) { totalItems } }', { token });
    expect(result.data).toEqual({ pods: null });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('refuses an edge or locally paged list limit above the maximum before loading it', async () => {
    stack.sim.clearRequests();
    const edge = await stack.gql('{ nodes(limit: 1) { items { metadata { name } pods(limit: 501) { totalItems } } } }', { token });
    expect(codes(edge)).toEqual(['BAD_USER_INPUT']);
    expect(edge.data?.nodes.items[0].pods).toBeNull();
    expect(stack.upstreamCalls().map((c) => c.path)).toEqual(['/kapis/resources.kubesphere.io/v1alpha3/nodes']);
    stack.sim.clearRequests();
    expect(codes(await stack.gql('{ events(limit: 501) { totalItems } }', { token }))).toEqual(['BAD_USER_INPUT']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('stops at the per-operation upstream budget and keeps what it gathered', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ a: nodes(limit: 1) { totalItems } b: namespaces(limit: 1) { totalItems } c: pods(limit: 1) { totalItems } d: deployments(limit: 1) { totalItems } e: nodes(limit: 2) { totalItems } }`,
      { token },
    );
    expect(stack.upstreamCalls()).toHaveLength(3);
    const served = Object.values(result.data ?? {}).filter((v) => v !== null);
    expect(served).toHaveLength(3);
    expect(codes(result)).toEqual(['UPSTREAM_BUDGET_EXCEEDED', 'UPSTREAM_BUDGET_EXCEEDED']);
  });

  it('refuses batched (array) requests', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });
});
