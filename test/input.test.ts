/**
 * Hostile input: names, namespaces, selectors and Authorization headers that
 * must be refused before any upstream call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

const HOSTILE_NAMES = ['..', '.', 'a/b', '%2e%2e', '%2F', 'x?watch=1', 'x#f', 'a\u0000b', 'A-Upper', '-lead', 'trail-', 'ａｄｍｉｎ', `${'a'.repeat(250)}.com`];
/** Namespaces and clusters are DNS-1123 labels: 64 characters is one too many. */
const HOSTILE_LABELS = [...HOSTILE_NAMES, 'a'.repeat(64), 'a.b'];

describe('hostile input', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  async function refused(query: string, variables: Record<string, unknown>) {
    stack.sim.clearRequests();
    const result = await stack.gql(query, { token, variables });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  }

  it.each(HOSTILE_LABELS)('refuses namespace %j', (value) => refused('query ($v: String!) { pods(namespace: $v) { totalItems } }', { v: value }));

  it.each(HOSTILE_NAMES)('refuses pod name %j', (value) =>
    refused('query ($v: String!) { pod(namespace: "demo-app", name: $v) { metadata { name } } }', { v: value }),
  );

  it.each(HOSTILE_LABELS)('refuses cluster %j', (value) => refused('query ($v: String!) { nodes(cluster: $v) { totalItems } }', { v: value }));

  it.each(['..', 'pods/x', 'pods?watch=1', 'Pods', '%70ods', 'pods#x', 'p\u0000ods', 'a'.repeat(64)])('refuses resource kind %j', (value) =>
    refused('query ($v: String!) { resources(resource: $v) { totalItems } }', { v: value }),
  );

  it.each(['evil.com/../v1', 'apps/v1/x', '../v1', 'apps/V1', 'apps%2Fv1'])('refuses apiVersion %j', (value) =>
    refused('query ($v: String!) { resources(resource: "pods", apiVersion: $v) { totalItems } }', { v: value }),
  );

  it.each(['a,b!=c=d', 'app=(x', 'app in (a,b', 'a&watch=true', 'a=b#c', `app=${'v'.repeat(64)}`, 'a=b\nc', '=x', 'app notin'])(
    'refuses label selector %j',
    (value) => refused('query ($v: String!) { pods(filter: { labelSelector: $v }) { totalItems } }', { v: value }),
  );

  it('accepts valid edge cases: a 63-character namespace and a 253-character name', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql('query ($ns: String!, $n: String!) { pod(namespace: $ns, name: $n) { metadata { name } } }', {
      token,
      variables: { ns: 'a'.repeat(63), n: `${'b'.repeat(61)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}` },
    });
    expect(codes(result)).toEqual(['NOT_FOUND']);
    expect(stack.upstreamCalls()).toHaveLength(1);
  });

  it('passes a valid selector upstream exactly', async () => {
    stack.sim.clearRequests();
    const selector = 'app in (web,api),tier!=db,!canary,example.com/team=alpha';
    await stack.gql('query ($v: String!) { pods(filter: { labelSelector: $v }) { totalItems } }', { token, variables: { v: selector } });
    expect(stack.upstreamCalls()[0]?.query.labelSelector).toBe(selector);
  });

  it.each([
    ['no token', undefined],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['a JWT without a username claim', `Bearer e30.${Buffer.from('{"sub":1}').toString('base64url')}.sig`],
    ['a JWT naming an invalid username', `Bearer e30.${Buffer.from('{"username":"../admin"}').toString('base64url')}.sig`],
  ])('answers `me` with %s with an error and no upstream call', async (_name, header) => {
    stack.sim.clearRequests();
    const result = await stack.gql('{ me { username } }', { headers: header ? { authorization: header } : {} });
    expect(result.data).toEqual({ me: null });
    expect(codes(result)[0]).toMatch(/^(UNAUTHENTICATED|BAD_USER_INPUT)$/);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it.each([
    ['Basic scheme', 'Basic YWRtaW46UEA4OHcwcmQ='],
    ['bad characters', 'Bearer abc def!'],
    ['empty token', 'Bearer '],
    ['over 8 KiB', `Bearer ${'a'.repeat(8 * 1024)}`],
  ])('answers an Authorization header with %s with UNAUTHENTICATED and no upstream call', async (_name, header) => {
    stack.sim.clearRequests();
    const result = await stack.gql('{ nodes { totalItems } }', { headers: { authorization: header } });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });
});
