import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSimulator, type Flavour, type Simulator } from '../../simulator/index.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function postToken(sim: Simulator, fields: Record<string, string>) {
  const response = await fetch(`${sim.url}/oauth/token`, { method: 'POST', headers: FORM, body: new URLSearchParams(fields).toString() });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

const client = { client_id: DEMO.clientId, client_secret: DEMO.clientSecret };
const password = (username: string, pw: string) => ({ grant_type: 'password', username, password: pw, ...client });

function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

async function getStatus(sim: Simulator, path: string, authorization?: string) {
  const response = await fetch(`${sim.url}${path}`, { headers: authorization ? { authorization } : {} });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

// The per-flavour columns of api doc §2.3.
const EXPECTED: Record<Flavour, Record<string, [number, string]>> = {
  '3.4': {
    unknownClient: [401, 'invalid_client'],
    wrongSecret: [401, 'invalid_client'],
    missingGrant: [400, 'invalid_request'],
    unknownGrant: [400, 'unsupported_grant_type'],
    wrongPassword: [400, 'invalid_grant'],
    badRefresh: [400, 'invalid_grant'],
    disabled: [400, 'invalid_grant'],
  },
  '4.1': {
    unknownClient: [400, 'invalid_client'],
    wrongSecret: [401, 'unauthorized_client'],
    missingGrant: [400, 'unsupported_grant_type'],
    unknownGrant: [400, 'unsupported_grant_type'],
    wrongPassword: [400, 'invalid_grant'],
    badRefresh: [400, 'invalid_grant'],
    disabled: [400, 'invalid_grant'],
  },
};

describe.each(['3.4', '4.1'] as const)('oauth on flavour %s', (flavour) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ flavour, loginRateLimit: 3 });
  });
  afterAll(() => sim.close());

  it('issues a JWT-shaped token pair for the password grant', async () => {
    const { status, headers, body } = await postToken(sim, password('admin', 'P@88w0rd'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 7200 });
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    const header = JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeClaims(body.access_token);
    expect(claims).toMatchObject({ username: 'admin', token_type: 'access_token', iss: 'kubesphere', sub: 'admin' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(7200);
    expect(decodeClaims(body.refresh_token)).toMatchObject({ token_type: 'refresh_token' });
    expect(headers.get('cache-control')).toBe(flavour === '4.1' ? 'no-store' : null);
    const me = await getStatus(sim, '/kapis/iam.kubesphere.io/' + (flavour === '3.4' ? 'v1alpha2' : 'v1beta1') + '/users/admin', `Bearer ${body.access_token}`);
    expect(me.status).toBe(200);
  });

  it('refresh issues a new pair and spends the old refresh token', async () => {
    const first = (await postToken(sim, password('alice', 'Alice@1234'))).body;
    const refreshed = await postToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token, ...client });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeClaims(refreshed.body.access_token)).toMatchObject({ username: 'alice' });
    const again = await postToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token, ...client });
    expect([again.status, again.body.error]).toEqual(EXPECTED[flavour].badRefresh);
    // An access token is not a refresh token.
    const wrongType = await postToken(sim, { grant_type: 'refresh_token', refresh_token: first.access_token, ...client });
    expect(wrongType.status).toBe(400);
  });

  it.each([
    ['unknownClient', { ...password('admin', 'P@88w0rd'), client_id: 'nope' }],
    ['unknownClient', { grant_type: 'password', username: 'admin', password: 'P@88w0rd' }],
    ['wrongSecret', { ...password('admin', 'P@88w0rd'), client_secret: 'wrong' }],
    ['missingGrant', { username: 'admin', password: 'P@88w0rd', ...client }],
    ['unknownGrant', { ...password('admin', 'P@88w0rd'), grant_type: 'client_credentials' }],
    ['wrongPassword', password('bob', 'not-his-password')],
    ['badRefresh', { grant_type: 'refresh_token', refresh_token: 'garbage', ...client }],
    ['disabled', password('carol', 'Carol@1234')],
  ])('%s gives the flavour status and OAuth error body', async (situation, fields) => {
    const { status, headers, body } = await postToken(sim, fields as Record<string, string>);
    expect([status, body.error]).toEqual(EXPECTED[flavour][situation]);
    expect(typeof body.error_description).toBe('string');
    expect(headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('describes a wrong password the way the flavour does', async () => {
    const { body } = await postToken(sim, password('alice', 'wrong-once'));
    expect(body.error_description).toBe(flavour === '3.4' ? 'incorrect password' : 'Invalid username or password.');
  });

  it('answers 429 after too many failures for that user, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await postToken(sim, password('limited-user', 'bad'))).status).toBe(400);
    for (let i = 0; i < 3; i++) await postToken(sim, password('admin-typo', 'bad'));
    const limited = await postToken(sim, password('limited-user', 'bad'));
    expect([limited.status, limited.body.error]).toEqual([429, 'invalid_grant']);
    // Other users are unaffected.
    expect((await postToken(sim, password('admin', 'P@88w0rd'))).status).toBe(200);
  });

  it('rejects GET on the token endpoint like go-restful', async () => {
    const res = await fetch(`${sim.url}/oauth/token`);
    expect(res.status).toBe(405);
    expect(await res.text()).toBe('405: Method Not Allowed');
  });

  it(`logout revokes ${flavour === '3.4' ? 'all of the user tokens' : 'the bearer token only'}`, async () => {
    const a = (await postToken(sim, password('bob', 'Bob@12345'))).body.access_token;
    const b = (await postToken(sim, password('bob', 'Bob@12345'))).body.access_token;
    const out = await getStatus(sim, '/oauth/logout', `Bearer ${a}`);
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toEqual({ message: 'success' });
    const user = '/kapis/iam.kubesphere.io/' + (flavour === '3.4' ? 'v1alpha2' : 'v1beta1') + '/users/bob';
    const revoked = await getStatus(sim, user, `Bearer ${a}`);
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.body).message).toBe('Unauthorized: token not found in cache');
    // 3.x's RevokeAllUserTokens against 4.1's Revoke(accessToken).
    expect((await getStatus(sim, user, `Bearer ${b}`)).status).toBe(flavour === '3.4' ? 401 : 200);
  });
});

describe('authentication outcomes', () => {
  let sim: Simulator;
  let shortLived: Simulator;
  beforeAll(async () => {
    [sim, shortLived] = await Promise.all([startSimulator(), startSimulator({ accessTokenMaxAge: 1 })]);
  });
  afterAll(() => Promise.all([sim.close(), shortLived.close()]));

  const NODES = '/kapis/resources.kubesphere.io/v1alpha3/nodes';

  it('no Authorization header is anonymous and forbidden (403 Status)', async () => {
    const r = await getStatus(sim, NODES);
    expect(r.status).toBe(403);
    expect(r.type).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: 'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
    });
  });

  it('public routes need no token', async () => {
    for (const path of ['/kapis/version', '/version', '/kapis/config.kubesphere.io/v1alpha2/configs/configz'])
      expect((await getStatus(sim, path)).status).toBe(200);
  });

  it.each([
    ['garbage', 'Bearer not-a-jwt', 'Unauthorized: invalid bearer token'],
    [
      'a forged signature',
      'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImFkbWluIn0.AAAA',
      'Unauthorized: invalid bearer token, signature is invalid',
    ],
    ['a wrong Basic password', `Basic ${Buffer.from('admin:nope').toString('base64')}`, 'Unauthorized: incorrect password'],
  ])('%s gives 401 Status', async (_what, header, message) => {
    const r = await getStatus(sim, NODES, header);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401, message });
  });

  it('a token from another simulator is not valid here', async () => {
    const r = await getStatus(sim, NODES, `Bearer ${shortLived.issueToken('admin')}`);
    expect(r.status).toBe(401);
  });

  it('an expired token gives 401', async () => {
    const token = shortLived.issueToken('admin');
    expect((await getStatus(shortLived, NODES, `Bearer ${token}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const r = await getStatus(shortLived, NODES, `Bearer ${token}`);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).message).toBe('Unauthorized: token is expired');
  });

  it('Basic auth with a valid user and password works, scheme case-insensitively', async () => {
    expect((await getStatus(sim, NODES, `Basic ${Buffer.from('admin:P@88w0rd').toString('base64')}`)).status).toBe(200);
    expect((await getStatus(sim, NODES, `bearer ${sim.issueToken('admin')}`)).status).toBe(200);
  });

  it('a valid non-admin token is authenticated but forbidden on cluster-scoped lists', async () => {
    const r = await getStatus(sim, NODES, `Bearer ${sim.issueToken('alice')}`);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).message).toBe('nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
  });
});
