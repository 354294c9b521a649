/**
 * The production profile closes what development leaves open for
 * exploration: introspection, GraphiQL, suggestions, lax CSRF rules.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../src/protections.ts';
import { ADMIN, codes, startStack, type Stack } from './helpers/stack.ts';

const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

describe('production profile', () => {
  let stack: Stack;
  let token: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
    const response = await post({ query: 'mutation { login(username: "admin", password: "P@88w0rd") { accessToken } }' });
    token = (await response.json()).data.login.accessToken;
  });
  afterAll(() => stack.close());

  it('disables introspection', async () => {
    const result = await (await post({ query: INTROSPECTION }, { authorization: `Bearer ${token}` })).json();
    expect(result.data ?? null).toBeNull();
    expect(JSON.stringify(result)).not.toContain('"types"');
    expect(result.errors[0].message).toMatch(/introspection/i);
  });

  it('serves no GraphiQL', async () => {
    const response = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await response.text()).not.toMatch(/<html/i);
  });

  it('gives no "did you mean" suggestions', async () => {
    const result = await (await post({ query: '{ nodez { totalItems } }' }, { authorization: `Bearer ${token}` })).json();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).not.toMatch(/did you mean/i);
  });

  it('does not reveal limit thresholds', async () => {
    const result = await (await post({ query: `{ ${'a '.repeat(2100)} }` })).json();
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.errors[0].message).not.toMatch(/2000|2,000/);
  });

  it.each([
    ['form-encoded POST', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['text/plain POST', { 'content-type': 'text/plain' }],
    ['JSON POST without the CSRF header', { [CSRF_HEADER]: '' }],
  ])('refuses a %s with 403', async (_name, headers) => {
    stack.sim.clearRequests();
    const init = { 'content-type': 'application/json', [CSRF_HEADER]: '1', authorization: `Bearer ${token}`, ...headers };
    if (init[CSRF_HEADER] === '') delete (init as Record<string, string>)[CSRF_HEADER];
    const response = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: init, body: JSON.stringify({ query: '{ nodes { totalItems } }' }) });
    expect(response.status).toBe(403);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });

  it('refuses a mutation over GET', async () => {
    const query = encodeURIComponent('mutation { login(username: "admin", password: "P@88w0rd") { accessToken } }');
    const response = await fetch(`${stack.url}/graphql?query=${query}`, { headers: { [CSRF_HEADER]: '1', accept: 'application/graphql-response+json' } });
    expect(response.status).toBe(405);
  });

  it('marks every GraphQL response Cache-Control: no-store', async () => {
    const ok = await post({ query: '{ nodes(limit: 1) { totalItems } }' }, { authorization: `Bearer ${token}` });
    const bad = await post({ query: '{ nodez }' });
    const forbidden = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    for (const response of [ok, bad, forbidden]) expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('development profile', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('keeps introspection, GraphiQL and suggestions open', async () => {
    expect((await stack.gql(INTROSPECTION)).data?.__schema.queryType.name).toBe('Query');
    const page = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/graphiql/i);
    expect((await stack.gql('{ nodez { totalItems } }')).errors?.[0]?.message).toMatch(/did you mean/i);
  });

  it('opens GraphiQL with a login tab and a token header template', async () => {
    const html = await (await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('login(username');
    // Inline JSON escapes `<`, so no option can close the script element.
    expect(html).toContain('Bearer \\u003cpaste accessToken here>');
  });

  it('also runs a JSON POST without the CSRF header', async () => {
    const token = await stack.login(ADMIN.username, ADMIN.password);
    expect((await stack.gql('{ nodes(limit: 1) { totalItems } }', { token })).errors).toBeUndefined();
  });
});

describe('production profile, hidden failures', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack.close());

  it('masks an unexpected error: no stack, address or token in the body', async () => {
    const token = stack.sim.issueToken('admin');
    stack.sim.faults.add({ path: /\/pods$/, fault: { kind: 'body', body: '{"items":[null],"totalItems":1}' } });
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ pods { items { metadata { name } } } }' }),
    });
    const text = await response.text();
    expect(JSON.parse(text).errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    for (const secret of [token, stack.sim.url, '127.0.0.1', 'TypeError', 'at ', '.ts:']) expect(text).not.toContain(secret);
  });

  it('cuts off a client that drips its headers', async () => {
    const slow = await startStack({ env: { HTTP_HEADERS_TIMEOUT_MS: '1000' } });
    try {
      const { port } = new URL(slow.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined); // the drip may write after the server hung up
      await once(socket, 'connect');
      socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
      const drip = setInterval(() => socket.write('X'), 200);
      const started = performance.now();
      await new Promise((resolve) => socket.on('close', resolve));
      clearInterval(drip);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect((await slow.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    } finally {
      await slow.close();
    }
  });
});

describe('trusted documents', () => {
  let stack: Stack;
  const document = '{ version { kubesphere { gitVersion } } }';
  const hash = createHash('sha256').update(document).digest('hex');
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trusted-')), 'manifest.json');
    writeFileSync(file, JSON.stringify({ [hash]: document }));
    stack = await startStack({ env: { TRUSTED_DOCUMENTS_FILE: file } });
  });
  afterAll(() => stack.close());

  const send = (body: unknown) =>
    fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

  it('runs an operation from the manifest by its hash', async () => {
    const result = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(result.data.version.kubesphere.gitVersion).toMatch(/^v\d/);
  });

  it('refuses any other document, and an unknown hash', async () => {
    stack.sim.clearRequests();
    expect(codes(await send({ query: '{ nodes { totalItems } }' }))).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(codes(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(stack.upstreamCalls()).toHaveLength(0);
  });
});
