import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSimulator, type Flavour, type Simulator } from '../../simulator/index.ts';

type Obj = { metadata: Record<string, any>; spec?: any; status?: any; [k: string]: any };

function client(sim: Simulator, user: string) {
  const token = sim.issueToken(user);
  return async (path: string) => {
    const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as any };
  };
}

const names = (body: { items: Obj[] }) => body.items.map((o) => o.metadata.name).sort();

describe.each(['3.4', '4.1'] as const)('tenant and IAM on flavour %s', (flavour: Flavour) => {
  const TENANT = `/kapis/tenant.kubesphere.io/${flavour === '3.4' ? 'v1alpha2' : 'v1beta1'}`;
  const OTHER_TENANT = `/kapis/tenant.kubesphere.io/${flavour === '3.4' ? 'v1beta1' : 'v1alpha2'}`;
  const IAM = `/kapis/iam.kubesphere.io/${flavour === '3.4' ? 'v1alpha2' : 'v1beta1'}`;
  const OTHER_IAM = `/kapis/iam.kubesphere.io/${flavour === '3.4' ? 'v1beta1' : 'v1alpha2'}`;
  const MEMBERS = flavour === '3.4' ? 'members' : 'namespacemembers';
  let sim: Simulator;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = await startSimulator({ flavour });
    [admin, alice, bob] = [client(sim, 'admin'), client(sim, 'alice'), client(sim, 'bob')];
  });
  afterAll(() => sim.close());

  it("the other flavour's group versions are go-restful 404s", async () => {
    for (const path of [`${OTHER_TENANT}/workspaces`, `${OTHER_IAM}/users`, `${OTHER_IAM}/users/admin`]) {
      const r = await admin(path);
      expect([r.status, r.text]).toEqual([404, '404: Page Not Found']);
    }
  });

  // 3.x v1alpha2 `workspaces` answers templates; 4.1 answers them at `v1beta1/workspacetemplates` only.
  const TEMPLATES = flavour === '3.4' ? `${TENANT}/workspaces` : `${TENANT}/workspacetemplates`;

  it('admin sees every workspace as a WorkspaceTemplate', async () => {
    const body = (await admin(TEMPLATES)).json();
    expect(body.totalItems).toBe(4);
    expect(names(body)).toEqual([...DEMO.workspaces].sort());
    const alpha = body.items.find((w: Obj) => w.metadata.name === 'team-alpha');
    expect(alpha.spec.template.spec.manager).toBe('alice');
    expect(alpha.spec.placement.clusters).toEqual([{ name: 'host' }]);
    const beta = (await admin(`${TEMPLATES}/team-beta`)).json();
    expect(beta.spec.placement.clusters.map((c: { name: string }) => c.name)).toEqual(['host', 'member-1']);
  });

  it(`${TENANT}/workspaces answers ${flavour === '3.4' ? 'templates' : 'the per-cluster Workspace objects'}, with the same visibility as templates`, async () => {
    const body = (await admin(`${TENANT}/workspaces`)).json();
    const one = (await admin(`${TENANT}/workspaces/team-alpha`)).json();
    if (flavour === '3.4') {
      expect(one.spec.template.spec.manager).toBe('alice');
    } else {
      for (const w of [...body.items, one]) {
        expect(w.spec.manager).toBeDefined();
        expect(w.spec.template).toBeUndefined();
        expect(w.spec.placement).toBeUndefined();
      }
      expect(one.spec.manager).toBe('alice');
      expect((await admin(`${TENANT}/workspaces/nope`)).text).toBe('workspaces.tenant.kubesphere.io "nope" not found\n');
    }
    for (const base of [`${TENANT}/workspaces`, TEMPLATES]) {
      expect(names((await alice(base)).json()), base).toEqual(['team-alpha']);
      expect((await alice(`${base}/team-alpha`)).status).toBe(200);
      expect((await alice(`${base}/team-beta`)).status).toBe(403);
    }
  });

  it('alice sees only team-alpha and gets 403 elsewhere', async () => {
    expect(names((await alice(`${TENANT}/workspaces`)).json())).toEqual(['team-alpha']);
    expect((await alice(`${TENANT}/workspaces/team-alpha`)).status).toBe(200);
    const denied = await alice(`${TENANT}/workspaces/team-beta`);
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(denied.json().message).toContain('User "alice" cannot get resource "workspaces" in API group "tenant.kubesphere.io" in the workspace "team-beta"');
    expect(names((await alice(`${TENANT}/workspaces/team-alpha/namespaces`)).json())).toEqual(['alpha-api', 'alpha-web']);
    expect((await alice(`${TENANT}/workspaces/team-beta/namespaces`)).status).toBe(403);
    expect((await alice(`${TENANT}/workspaces/team-alpha/namespaces/alpha-web`)).json().metadata.name).toBe('alpha-web');
    expect(names((await alice(`${TENANT}/namespaces`)).json())).toEqual(['alpha-api', 'alpha-web']);
    expect(names((await alice(`${TENANT}/clusters`)).json())).toEqual(['host']);
  });

  it('bob sees team-beta on both clusters', async () => {
    expect(names((await bob(`${TENANT}/workspaces`)).json())).toEqual(['team-beta']);
    expect(names((await bob(`${TENANT}/clusters`)).json())).toEqual(['host', 'member-1']);
    expect(names((await bob(`${TENANT}/workspaces/team-beta/clusters`)).json())).toEqual(['host', 'member-1']);
    expect(names((await bob(`${TENANT}/workspaces/team-beta/namespaces`)).json())).toEqual(['beta-web']);
    expect((await bob(`${TENANT}/workspaces/team-alpha/namespaces`)).status).toBe(403);
  });

  it('tenant lists take the generic list parameters', async () => {
    const body = (await admin(`${TENANT}/workspaces/team-alpha/namespaces?name=alpha&limit=1&sortBy=name`)).json();
    expect(body.totalItems).toBe(2);
    expect(body.items.map((n: Obj) => n.metadata.name)).toEqual(['alpha-web']);
    expect((await admin(`${TENANT}/workspaces?labelSelector=nope%3Dnope`)).json().totalItems).toBe(0);
  });

  it('anonymous callers are forbidden', async () => {
    const r = await fetch(`${sim.url}${TENANT}/workspaces`);
    expect(r.status).toBe(403);
  });

  it('a missing workspace is a 404 for admin', async () => {
    const r = await admin(`${TEMPLATES}/nope`);
    expect(r.status).toBe(404);
    expect(r.text).toBe('workspacetemplates.tenant.kubesphere.io "nope" not found\n');
  });

  it('v1alpha3 tenant routes', async () => {
    const templates = (await admin('/kapis/tenant.kubesphere.io/v1alpha3/workspacetemplates')).json();
    expect(templates.totalItems).toBe(4);
    const workspaces = (await admin('/kapis/tenant.kubesphere.io/v1alpha3/workspaces')).json();
    expect(names(workspaces)).toEqual([...DEMO.workspaces].sort());
    if (flavour === '3.4') expect(workspaces.items[0].spec.manager).toBeDefined();
    else expect(names((await admin('/kapis/tenant.kubesphere.io/v1alpha3/workspaces/team-alpha/namespaces')).json())).toEqual(['alpha-api', 'alpha-web']);
  });

  it('lists users with their global role, without passwords', async () => {
    const body = (await admin(`${IAM}/users`)).json();
    expect(names(body)).toEqual(['admin', 'alice', 'bob', 'carol']);
    const a = body.items.find((u: Obj) => u.metadata.name === 'alice');
    expect(a.metadata.annotations['iam.kubesphere.io/globalrole']).toBe('platform-regular');
    expect(a.spec.email).toBe('alice@example.com');
    expect(a.spec.password).toBeUndefined();
    expect(a.status.state).toBe('Active');
    expect(a.status.lastLoginTime).toMatch(/Z$/);
    expect(body.items.find((u: Obj) => u.metadata.name === 'carol').status.state).toBe('Disabled');
    expect(names((await admin(`${IAM}/users?globalrole=platform-admin`)).json())).toEqual(['admin']);
    expect(names((await admin(`${IAM}/users?email=bob%40example.com`)).json())).toEqual(['bob']);
  });

  it('alice reads her own user only', async () => {
    const me = await alice(`${IAM}/users/alice`);
    expect(me.status).toBe(200);
    expect(me.json().metadata.annotations['iam.kubesphere.io/globalrole']).toBe('platform-regular');
    const list = await alice(`${IAM}/users`);
    expect(list.status).toBe(403);
    expect(list.json().message).toBe(
      'users.iam.kubesphere.io is forbidden: User "alice" cannot list resource "users" in API group "iam.kubesphere.io" at the cluster scope',
    );
    expect((await alice(`${IAM}/users/bob`)).status).toBe(403);
    expect((await admin(`${IAM}/users/nobody`)).status).toBe(404);
  });

  it('workspace members carry the workspace role', async () => {
    const body = (await alice(`${IAM}/workspaces/team-alpha/workspacemembers`)).json();
    expect(names(body)).toEqual(['alice']);
    expect(body.items[0].metadata.annotations['iam.kubesphere.io/workspacerole']).toBe('team-alpha-admin');
    expect((await alice(`${IAM}/workspaces/team-alpha/workspacemembers/alice`)).json().metadata.name).toBe('alice');
    expect((await alice(`${IAM}/workspaces/team-beta/workspacemembers`)).status).toBe(403);
    expect((await admin(`${IAM}/workspaces/team-beta/workspacemembers?workspacerole=team-beta-admin`)).json().totalItems).toBe(1);
    expect((await admin(`${IAM}/workspaces/team-beta/workspacemembers?workspacerole=team-beta-viewer`)).json().totalItems).toBe(0);
    const member = body.items[0];
    if (flavour === '3.4') {
      expect(member.spec.email).toContain('@');
      expect(member.status.state).toBe('Active');
    } else {
      // 4.1 lists stub Users built from the role bindings: Go's zero values, nothing read from the User.
      expect(member).toEqual({
        metadata: { name: 'alice', creationTimestamp: null, annotations: { 'iam.kubesphere.io/workspacerole': 'team-alpha-admin' } },
        spec: { email: '' },
        status: {},
      });
    }
  });

  it(`project members live under namespaces/{ns}/${MEMBERS}`, async () => {
    const body = (await alice(`${IAM}/namespaces/alpha-web/${MEMBERS}`)).json();
    expect(names(body)).toEqual(['alice']);
    expect(body.items[0].metadata.annotations['iam.kubesphere.io/role']).toBe('admin');
    expect((await alice(`${IAM}/namespaces/beta-web/${MEMBERS}`)).status).toBe(403);
    const other = await admin(`${IAM}/namespaces/alpha-web/${flavour === '3.4' ? 'namespacemembers' : 'members'}`);
    expect([other.status, other.text]).toEqual([404, '404: Page Not Found']);
  });

  it('cluster members', async () => {
    const body = (await admin(`${IAM}/clustermembers`)).json();
    expect(names(body)).toEqual(['admin']);
    expect(body.items[0].metadata.annotations['iam.kubesphere.io/clusterrole']).toBe('cluster-admin');
    expect((await alice(`${IAM}/clustermembers`)).status).toBe(403);
  });

  it(`role routes ${flavour === '3.4' ? 'exist' : 'are gone'} under kapis`, async () => {
    const paths = [
      `${IAM}/users/alice/globalroles`,
      `${IAM}/globalroles`,
      `${IAM}/workspaces/team-alpha/workspaceroles`,
      `${IAM}/workspaces/team-alpha/workspacemembers/alice/workspaceroles`,
      `${IAM}/namespaces/alpha-web/roles`,
    ];
    for (const path of paths) {
      const r = await admin(path);
      if (flavour === '4.1') expect(r.status, path).toBe(404);
      else expect(r.json().totalItems, path).toBeGreaterThan(0);
    }
    if (flavour === '3.4') {
      expect(names((await alice(`${IAM}/users/alice/globalroles`)).json())).toEqual(['platform-regular']);
      expect(names((await admin(`${IAM}/workspaces/team-alpha/workspaceroles`)).json())).toEqual([
        'team-alpha-admin',
        'team-alpha-regular',
        'team-alpha-self-provisioner',
        'team-alpha-viewer',
      ]);
    }
  });

  it('the KubeSphere CRDs are served natively in the flavour version', async () => {
    const iam = flavour === '3.4' ? 'v1alpha2' : 'v1beta1';
    const users = (await admin(`/apis/iam.kubesphere.io/${iam}/users`)).json();
    expect(users).toMatchObject({ kind: 'UserList', apiVersion: `iam.kubesphere.io/${iam}` });
    expect(users.items[0]).toMatchObject({ kind: 'User', apiVersion: `iam.kubesphere.io/${iam}` });
    expect((await admin(`/apis/iam.kubesphere.io/${iam}/globalroles`)).json().items.length).toBeGreaterThanOrEqual(3);
    expect((await admin(`/apis/iam.kubesphere.io/${iam}/workspaceroles`)).json().items.length).toBe(16);
    const tpl = flavour === '3.4' ? 'v1alpha2' : 'v1beta1';
    expect((await admin(`/apis/tenant.kubesphere.io/${tpl}/workspacetemplates`)).json().items.length).toBe(4);
    expect((await admin(`/apis/iam.kubesphere.io/${flavour === '3.4' ? 'v1beta1' : 'v1alpha2'}/users`)).status).toBe(404);

    const clusters = (await admin('/apis/cluster.kubesphere.io/v1alpha1/clusters')).json();
    expect(clusters.items.map((c: Obj) => c.metadata.name)).toEqual(['host', 'member-1']);
    const [host, member] = clusters.items;
    expect(host.metadata.labels).toHaveProperty('cluster-role.kubesphere.io/host');
    expect(member.metadata.labels).not.toHaveProperty('cluster-role.kubesphere.io/host');
    expect(host.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    expect(host.status).toMatchObject({ kubeSphereVersion: flavour === '3.4' ? 'v3.4.1' : 'v4.1.3', nodeCount: 4 });
    expect(member.status.nodeCount).toBe(2);
    expect(host.status.kubernetesVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(host.status.configz.monitoring).toBe(true);
    expect(host.spec.provider).toBeDefined();
  });
});
