/**
 * Browser session mode (`SESSION_COOKIE=1`): the token lives in an HttpOnly
 * cookie that is honoured only with the CSRF header and an allowed Origin;
 * `logout` clears it and revokes the token upstream; an explicit
 * Authorization header wins over it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../src/protections.ts';
import { SESSION_COOKIE } from '../src/session-cookie.ts';
import { ADMIN, ALICE, codes, FLAVOURS, startStack, type GraphQLResponse, type Stack } from './helpers/stack.ts';

const LOGIN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p, session: true) { accessToken refreshToken expiresIn } }';
const WHO = '{ me { metadata { name } } }';
const OTHER_ORIGIN = 'https://console.example.com';

async function post(stack: Stack, query: string, headers: Record<string, string>, variables?: Record<string, unknown>) {
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { response, body: (await response.json()) as GraphQLResponse };
}

/** What a same-origin page of the facade sends. */
const browser = (stack: Stack, cookie?: string) => ({ origin: stack.url, [CSRF_HEADER]: '1', ...(cookie && { cookie: `${SESSION_COOKIE}=${cookie}` }) });

async function sessionLogin(stack: Stack, user = ADMIN, headers = browser(stack)) {
  const { response, body } = await post(stack, LOGIN, headers, { u: user.username, p: user.password });
  const setCookie = response.headers.getSetCookie();
  const token = /^__Host-ksg-session=([^;]+);/.exec(setCookie[0] ?? '')?.[1];
  return { response, body, setCookie, token };
}

describe.each(FLAVOURS)('session cookie on KubeSphere %s', (flavour) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ flavour, env: { SESSION_COOKIE: '1', SESSION_COOKIE_ORIGINS: OTHER_ORIGIN } });
  });
  afterAll(() => stack.close());

  it('login(session: true) sets an HttpOnly, Secure, SameSite=Strict cookie and returns no token', async () => {
    const { response, body, setCookie, token } = await sessionLogin(stack);
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.login).toEqual({ accessToken: null, refreshToken: null, expiresIn: 7200 });
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^__Host-ksg-session=[\w.-]+; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=7200$/);
    // The token is the one KubeSphere issued: it works upstream as a bearer token.
    expect((await stack.gql(WHO, { token })).data?.me.metadata.name).toBe('admin');
    expect(JSON.stringify(response.headers.get('cache-control'))).toContain('no-store');
  });

  it('answers queries with the cookie, the CSRF header and an allowed Origin', async () => {
    const { token } = await sessionLogin(stack);
    const own = await post(stack, WHO, browser(stack, token));
    expect(own.body).toEqual({ data: { me: { metadata: { name: 'admin' } } } });
    const listed = await post(stack, WHO, { ...browser(stack, token), origin: OTHER_ORIGIN });
    expect(listed.body.data?.me.metadata.name).toBe('admin');
  });

  it.each([
    ['without the CSRF header', (s: Stack, t: string) => ({ origin: s.url, cookie: `${SESSION_COOKIE}=${t}` })],
    ['without an Origin', (_s: Stack, t: string) => ({ [CSRF_HEADER]: '1', cookie: `${SESSION_COOKIE}=${t}` })],
    ['from another origin', (_s: Stack, t: string) => ({ origin: 'https://evil.example', [CSRF_HEADER]: '1', cookie: `${SESSION_COOKIE}=${t}` })],
    ['from an opaque origin', (_s: Stack, t: string) => ({ origin: 'null', [CSRF_HEADER]: '1', cookie: `${SESSION_COOKIE}=${t}` })],
  ])('refuses the cookie %s with 403 CSRF_PREVENTED and no upstream call', async (_name, headers) => {
    const { token } = await sessionLogin(stack);
    stack.sim.clearRequests();
    const { response, body } = await post(stack, WHO, headers(stack, token!));
    expect(response.status).toBe(403);
    expect(codes(body)).toEqual(['CSRF_PREVENTED']);
    expect(stack.upstreamCalls()).toEqual([]);
  });

  it('refuses a session login without the CSRF header or from another origin, before the password leaves', async () => {
    stack.sim.clearRequests();
    for (const headers of [{ origin: stack.url }, { origin: 'https://evil.example', [CSRF_HEADER]: '1' }]) {
      const { body, setCookie } = await sessionLogin(stack, ADMIN, headers as ReturnType<typeof browser>);
      expect(codes(body)).toEqual(['FORBIDDEN']);
      expect(setCookie).toEqual([]);
    }
    expect(stack.upstreamCalls()).toEqual([]);
  });

  it('lets an explicit Authorization header win over the cookie', async () => {
    const { token: adminCookie } = await sessionLogin(stack);
    const aliceToken = await stack.login(ALICE.username, ALICE.password);
    const { body } = await post(stack, WHO, { ...browser(stack, adminCookie), authorization: `Bearer ${aliceToken}` });
    expect(body.data?.me.metadata.name).toBe('alice');
    // Without the browser headers too: the header alone decides, the cookie is not even checked.
    const bare = await post(stack, WHO, { cookie: `${SESSION_COOKIE}=${adminCookie}`, authorization: `Bearer ${aliceToken}` });
    expect(bare.body.data?.me.metadata.name).toBe('alice');
  });

  it('logout clears the cookie and revokes the token upstream', async () => {
    const { token } = await sessionLogin(stack);
    const other = await sessionLogin(stack);
    stack.sim.clearRequests();
    const { response, body } = await post(stack, 'mutation { logout }', browser(stack, token));
    expect(body).toEqual({ data: { logout: true } });
    expect(response.headers.getSetCookie()).toEqual([`${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`]);
    expect(stack.upstreamCalls().map((r) => [r.method, r.path, r.status])).toEqual([['GET', '/oauth/logout', 200]]);
    // The revoked cookie, replayed, no longer works.
    const replay = await post(stack, WHO, browser(stack, token));
    expect(codes(replay.body)).toEqual(['UNAUTHENTICATED']);
    // 3.x revokes every token of the user; 4.1 only the one presented.
    const sibling = await post(stack, WHO, browser(stack, other.token));
    if (flavour === '3.4') expect(codes(sibling.body)).toEqual(['UNAUTHENTICATED']);
    else expect(sibling.body.data?.me.metadata.name).toBe('admin');
  });

  it('logout with a bearer header revokes that token; with no token it only clears the cookie', async () => {
    const token = await stack.login(ALICE.username, ALICE.password);
    expect((await stack.gql('mutation { logout }', { token })).data).toEqual({ logout: true });
    expect(codes(await stack.gql(WHO, { token }))).toEqual(['UNAUTHENTICATED']);
    stack.sim.clearRequests();
    const { response, body } = await post(stack, 'mutation { logout }', browser(stack));
    expect(body).toEqual({ data: { logout: false } });
    expect(response.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expect(stack.upstreamCalls()).toEqual([]);
  });
});

describe('without SESSION_COOKIE', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('refuses session logins and ignores the cookie', async () => {
    const { body, setCookie } = await sessionLogin(stack);
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(setCookie).toEqual([]);
    const token = await stack.login(ADMIN.username, ADMIN.password);
    const { response, body: who } = await post(stack, WHO, browser(stack, token));
    expect(response.status).toBe(200);
    expect(codes(who)).toEqual(['UNAUTHENTICATED']);
  });

  it('still returns the tokens from a plain login', async () => {
    const result = await stack.gql('mutation { login(username: "admin", password: "P@88w0rd") { accessToken refreshToken } }');
    expect(result.data?.login.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(result.data?.login.refreshToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
