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
    const fields = (n: number) => `{ ${Array.from({ length: n }, () => '__typename').join(' ')} }`;
    expect((await stack.gql(fields(1990), { token })).errors).toBeUndefined();
    await rejected(fields(2001), 'GRAPHQL_PARSE_FAILED');
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
    const directives = (n: number) => `{ __typename ${'@include(if: true) '.repeat(n)} }`;
    expect((await stack.gql(directives(20), { token })).errors).toBeUndefined();
    await rejected(directives(21), 'TOO_MANY_DIRECTIVES');
  });

  it('limits static cost, while a real UI page stays well under it', async () => {
    const uiPage = `{ namespace(name: "demo-app") { metadata { name labels } deployments(limit: 20) { totalItems items {
      metadata { name creationTimestamp } replicas readyReplicas status images pods { metadata { name } status restarts node { metadata { name } ready } } } } } }`;
    expect(codes(await stack.gql(uiPage, { token }))).not.toContain('QUERY_TOO_COMPLEX');
    const wide = Array.from({ length: 6 }, (_, i) => `p${i}: pods { items { metadata { name namespace uid labels annotations } node { metadata { name } pods { items { metadata { name namespace uid } node { metadata { name uid } } } } } } }`);
    await rejected(`{ ${wide.join(' ')} }`, 'QUERY_TOO_COMPLEX');
  });

  it('refuses a list limit above the maximum before any call', async () => {
    await rejected('{ pods(limit: 501) { totalItems } }', 'BAD_USER_INPUT');
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
