import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Flavour, type Simulator } from '../../simulator/index.ts';

function client(sim: Simulator, user: string) {
  const token = sim.issueToken(user);
  return async (path: string, method = 'GET') => {
    const response = await fetch(`${sim.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), text, json: () => JSON.parse(text) as any };
  };
}

const V1BETA1 = '/kapis/iam.kubesphere.io/v1beta1';
const V1ALPHA2 = '/kapis/iam.kubesphere.io/v1alpha2';

describe('users/{username}/roletemplates on 4.1', () => {
  let sim: Simulator;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = await startSimulator({ flavour: '4.1' });
    [admin, alice] = [client(sim, 'admin'), client(sim, 'alice')];
  });
  afterAll(() => sim.close());

  it("lists the RoleTemplates the user's global role aggregates", async () => {
    const r = await alice(`${V1BETA1}/users/alice/roletemplates?scope=global`);
    expect(r.status).toBe(200);
    const body = r.json();
    expect(Object.keys(body)).toEqual(['items', 'totalItems']);
    expect(body.totalItems).toBe(1);
    const [template] = body.items;
    expect(template.apiVersion).toBeUndefined();
    expect(template.metadata).toMatchObject({ name: 'global-view-workspaces', labels: { 'iam.kubesphere.io/scope': 'global' } });
    expect(template.spec.rules).toEqual([
      { apiGroups: ['tenant.kubesphere.io'], resources: ['workspaces', 'workspacetemplates'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  it('matches the aggregationRoleTemplates of the global role', async () => {
    const role = (await admin('/apis/iam.kubesphere.io/v1beta1/globalroles/platform-regular')).json();
    expect(role.aggregationRoleTemplates).toEqual({ templateNames: ['global-view-workspaces'] });
  });

  it('gives admin anyone, and an empty list for roles without templates, other scopes and unknown users', async () => {
    expect((await admin(`${V1BETA1}/users/alice/roletemplates?scope=global`)).json().items.map((t: any) => t.metadata.name)).toEqual([
      'global-view-workspaces',
    ]);
    for (const path of [
      `${V1BETA1}/users/admin/roletemplates?scope=global`,
      `${V1BETA1}/users/alice/roletemplates`,
      `${V1BETA1}/users/alice/roletemplates?scope=workspace&workspace=team-alpha`,
      `${V1BETA1}/users/nobody/roletemplates?scope=global`,
    ]) {
      const r = await admin(path);
      expect([r.status, r.json()]).toEqual([200, { items: [], totalItems: 0 }]);
    }
  });

  it("forbids reading someone else's templates with the filter's 403 Status", async () => {
    const r = await alice(`${V1BETA1}/users/bob/roletemplates?scope=global`);
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message:
        'users.iam.kubesphere.io "bob" is forbidden: User "alice" cannot get resource "users/roletemplates" in API group "iam.kubesphere.io" at the cluster scope',
      details: { name: 'bob', group: 'iam.kubesphere.io', kind: 'users' },
    });
    const anonymous = await fetch(`${sim.url}${V1BETA1}/users/alice/roletemplates?scope=global`);
    expect(anonymous.status).toBe(403);
  });

  it('is not a RoleTemplate API under /apis (discovery is unchanged)', async () => {
    const resources = (await admin('/apis/iam.kubesphere.io/v1beta1')).json().resources.map((r: { name: string }) => r.name);
    expect(resources).not.toContain('roletemplates');
  });
});

describe('users/{username}/roletemplates on 3.4', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ flavour: '3.4' });
  });
  afterAll(() => sim.close());

  it('does not exist', async () => {
    const admin = client(sim, 'admin');
    for (const path of [`${V1ALPHA2}/users/admin/roletemplates`, `${V1ALPHA2}/users/admin/roletemplates?scope=global`]) {
      const r = await admin(path);
      expect([r.status, r.text]).toEqual([404, '404: Page Not Found']);
    }
  });
});

describe.each(['3.4', '4.1'] as const)('single cluster and namespace members on flavour %s', (flavour: Flavour) => {
  const IAM = flavour === '3.4' ? V1ALPHA2 : V1BETA1;
  const MEMBERS = flavour === '3.4' ? 'members' : 'namespacemembers';
  let sim: Simulator;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = await startSimulator({ flavour });
    [admin, alice] = [client(sim, 'admin'), client(sim, 'alice')];
  });
  afterAll(() => sim.close());

  const single = [`${IAM}/clustermembers/admin`, `${IAM}/namespaces/alpha-web/${MEMBERS}/alice`];

  if (flavour === '3.4') {
    it('GET returns the member', async () => {
      for (const path of single) {
        const r = await admin(path);
        expect(r.status).toBe(200);
        expect(r.json().metadata.name).toBe(path.split('/').at(-1));
      }
    });
  } else {
    it('GET is go-restful 405, like every other method the route lacks', async () => {
      for (const path of single) {
        for (const caller of [admin, alice]) {
          const r = await caller(path);
          expect([r.status, r.type, r.text]).toEqual([405, 'text/plain; charset=utf-8', '405: Method Not Allowed']);
        }
        expect((await admin(path, 'POST')).status).toBe(405);
      }
    });

    it('the member lists and workspace member gets are still served', async () => {
      expect((await admin(`${IAM}/clustermembers`)).status).toBe(200);
      expect((await admin(`${IAM}/namespaces/alpha-web/namespacemembers`)).json().totalItems).toBeGreaterThan(0);
      expect((await alice(`${IAM}/workspaces/team-alpha/workspacemembers/alice`)).status).toBe(200);
      expect((await admin(`${IAM}/clustermembers/admin/clusterroles`)).status).toBe(404);
    });
  }
});
