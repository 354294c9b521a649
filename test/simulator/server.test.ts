import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';

const SERVED_TO = 'simulator.kubesphere.io/served-to';

/** Raw HTTP, so paths go out exactly as written (fetch would normalise them). */
function raw(sim: Simulator, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(sim.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('version', () => {
  it.each([
    ['3.4', 'v3.4.1', '3', '4'],
    ['4.1', 'v4.1.3', '4', '1'],
  ] as const)('flavour %s answers %s on /kapis/version and /version without auth', async (flavour, gitVersion, major, minor) => {
    const sim = await startSimulator({ flavour });
    try {
      for (const path of ['/kapis/version', '/version']) {
        const body = await (await fetch(`${sim.url}${path}`)).json();
        expect(body).toMatchObject({ gitVersion, gitMajor: major, gitMinor: minor, gitTreeState: 'clean', compiler: 'gc', platform: 'linux/amd64' });
        expect(Object.keys(body)).toEqual([
          'gitVersion',
          'gitMajor',
          'gitMinor',
          'gitCommit',
          'gitTreeState',
          'buildDate',
          'goVersion',
          'compiler',
          'platform',
          'kubernetes',
        ]);
        expect(body.kubernetes.gitVersion).toMatch(flavour === '3.4' ? /^v1\.26\./ : /^v1\.28\./);
      }
    } finally {
      await sim.close();
    }
  });
});

describe('request recording', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('records every request in order with raw path, decoded query, headers, user and status', async () => {
    sim.clearRequests();
    const token = sim.issueToken('alice');
    await raw(sim, '/kapis/resources.kubesphere.io/v1alpha3/namespaces/alpha%2Dweb/pods?name=we%62&limit=1&limit=2', {
      authorization: `Bearer ${token}`,
      'X-Trace': 'abc',
    });
    await raw(sim, '/kapis/resources.kubesphere.io/v1alpha3/nodes', { authorization: 'Bearer nope' });
    await raw(sim, '/kapis/nothing/here', { authorization: `Bearer ${token}` });
    await raw(sim, '/kapis/version');
    expect(sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/kapis/resources.kubesphere.io/v1alpha3/namespaces/alpha%2Dweb/pods', 200],
      ['GET', '/kapis/resources.kubesphere.io/v1alpha3/nodes', 401],
      ['GET', '/kapis/nothing/here', 404],
      ['GET', '/kapis/version', 200],
    ]);
    const [first, second] = sim.requests;
    expect(first!.query).toEqual({ name: 'web', limit: '2' });
    expect(first!.rawQuery).toBe('name=we%62&limit=1&limit=2');
    expect(first!.authorization).toBe(`Bearer ${token}`);
    expect(first!.user).toBe('alice');
    expect(first!.headers['x-trace']).toBe('abc');
    expect(second!.user).toBeUndefined();
    expect(sim.requests[3]!.authorization).toBeUndefined();
    sim.clearRequests();
    expect(sim.requests).toEqual([]);
  });
});

describe('bad input', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('answers malformed input without crashing', async () => {
    const auth = { authorization: `Bearer ${sim.issueToken('admin')}` };
    const badPath = await raw(sim, '/api/v1/namespaces/%E0%A4%A/pods', auth);
    expect(badPath.status).toBe(400);
    expect(JSON.parse(badPath.body)).toMatchObject({ kind: 'Status', code: 400 });
    expect((await raw(sim, '/kapis/resources.kubesphere.io/v1alpha3/pods?name=%E0%A4%A&limit=%zz', auth)).status).toBe(200);
    expect((await raw(sim, `/kapis/resources.kubesphere.io/v1alpha3/pods?name=${'x'.repeat(30_000)}`, auth)).status).toBe(200);
    expect((await raw(sim, `/kapis/resources.kubesphere.io/v1alpha3/pods?name=${'x'.repeat(100_000)}`, auth)).status).toBe(431);
    const json = await fetch(`${sim.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(json.status).toBe(400);
    expect((await raw(sim, '/api/v1/pods?labelSelector=%21%21%21', auth)).status).toBe(400);
    expect((await raw(sim, '/', auth)).status).toBe(404);
    expect((await raw(sim, '/', {})).status).toBe(403);
    // Still serving.
    expect((await raw(sim, '/kapis/version')).status).toBe(200);
  });
});

describe('tagCaller', () => {
  let tagged: Simulator;
  let plain: Simulator;
  beforeAll(async () => {
    [tagged, plain] = await Promise.all([startSimulator({ tagCaller: true }), startSimulator()]);
  });
  afterAll(() => Promise.all([tagged.close(), plain.close()]));

  it('annotates every object with the user it was served to', async () => {
    for (const [user, path] of [
      ['alice', '/kapis/resources.kubesphere.io/v1alpha3/namespaces/alpha-web/pods'],
      ['alice', '/kapis/tenant.kubesphere.io/v1beta1/workspaces'],
      ['admin', '/api/v1/namespaces/demo-app/pods'],
      ['admin', '/kapis/iam.kubesphere.io/v1beta1/users'],
    ] as const) {
      const body = await (await fetch(`${tagged.url}${path}`, { headers: { authorization: `Bearer ${tagged.issueToken(user)}` } })).json();
      expect(body.items.length).toBeGreaterThan(0);
      for (const item of body.items) expect(item.metadata.annotations[SERVED_TO], path).toBe(user);
    }
    const single = await (await fetch(`${tagged.url}/api/v1/nodes/worker-1`, { headers: { authorization: `Bearer ${tagged.issueToken('admin')}` } })).json();
    expect(single.metadata.annotations[SERVED_TO]).toBe('admin');
    const untagged = await (
      await fetch(`${plain.url}/api/v1/namespaces/demo-app/pods`, { headers: { authorization: `Bearer ${plain.issueToken('admin')}` } })
    ).json();
    expect(untagged.items.some((i: any) => i.metadata.annotations?.[SERVED_TO])).toBe(false);
  });
});

describe('close', () => {
  it('ends keep-alive connections promptly', async () => {
    const sim = await startSimulator();
    const agentRequest = await fetch(`${sim.url}/kapis/version`, { headers: { connection: 'keep-alive' } });
    await agentRequest.text();
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${sim.url}/kapis/version`)).rejects.toThrow();
  });
});
