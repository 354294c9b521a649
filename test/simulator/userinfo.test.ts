import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSimulator, type Flavour, type Simulator } from '../../simulator/index.ts';

async function userinfo(sim: Simulator, init: { authorization?: string; method?: string } = {}) {
  const response = await fetch(`${sim.url}/oauth/userinfo`, {
    method: init.method ?? 'GET',
    headers: init.authorization ? { authorization: init.authorization } : {},
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe.each(['3.4', '4.1'] as const)('GET /oauth/userinfo on flavour %s', (flavour: Flavour) => {
  // token.Claims tags the display name `name` in 3.x and `url` in 4.x.
  const NAME = flavour === '3.4' ? 'name' : 'url';
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ flavour });
  });
  afterAll(() => sim.close());

  it('returns the OIDC claims of the bearer', async () => {
    const r = await userinfo(sim, { authorization: `Bearer ${sim.issueToken('alice')}` });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json');
    expect(JSON.parse(r.text)).toEqual({ sub: 'alice', [NAME]: 'alice', email: DEMO.users.alice.email, locale: 'en', preferred_username: 'alice' });
    expect(Object.keys(JSON.parse(r.text))).toEqual(['sub', NAME, 'email', 'locale', 'preferred_username']);
  });

  it('works with a token from the password grant and records the caller', async () => {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: 'admin',
      password: DEMO.users.admin.password,
      client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret,
    });
    const token = (await (
      await fetch(`${sim.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
    ).json()) as { access_token: string };
    sim.clearRequests();
    const r = await userinfo(sim, { authorization: `bearer ${token.access_token}` });
    expect(JSON.parse(r.text)).toMatchObject({ sub: 'admin', email: DEMO.users.admin.email });
    expect(sim.requests.at(-1)).toMatchObject({ path: '/oauth/userinfo', user: 'admin', status: 200 });
  });

  it('answers a bad, revoked or malformed token with the 401 Status of the authentication filter', async () => {
    const revoked = sim.issueToken('bob');
    await fetch(`${sim.url}/oauth/logout`, { headers: { authorization: `Bearer ${revoked}` } });
    for (const [authorization, cause] of [
      ['Bearer not-a-jwt', 'invalid bearer token'],
      [`Bearer ${revoked}`, 'token not found in cache'],
      ['Bearer', 'invalid bearer token'],
    ] as const) {
      const r = await userinfo(sim, { authorization });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Unauthorized: ${cause}`,
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('answers a missing token with the handler 401 login_required', async () => {
    const r = await userinfo(sim);
    expect(r.status).toBe(401);
    expect(r.type).toBe('application/json');
    expect(JSON.parse(r.text)).toEqual(flavour === '3.4' ? { error: 'login_required' } : 'login_required');
  });

  it('answers a token of a user without a User object with server_error', async () => {
    const r = await userinfo(sim, { authorization: `Bearer ${sim.issueToken('ghost')}` });
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text)).toEqual({
      error: 'server_error',
      error_description: flavour === '3.4' ? 'users.iam.kubesphere.io "ghost" not found' : 'An internal server error occurred while processing the request.',
    });
  });

  it('is GET only', async () => {
    const r = await userinfo(sim, { method: 'POST', authorization: `Bearer ${sim.issueToken('alice')}` });
    expect([r.status, r.text]).toEqual([405, '405: Method Not Allowed']);
  });
});
