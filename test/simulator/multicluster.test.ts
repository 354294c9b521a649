import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSimulator, type Flavour, type Simulator } from '../../simulator/index.ts';

type Obj = { metadata: Record<string, any>; spec?: any; status?: any };

function client(sim: Simulator, user: string) {
  const token = sim.issueToken(user);
  return async (path: string) => {
    const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as any };
  };
}

const names = (items: Obj[]) => items.map((o) => o.metadata.name).sort();

describe.each(['3.4', '4.1'] as const)('multi-cluster routing on flavour %s', (flavour: Flavour) => {
  let sim: Simulator;
  let admin: ReturnType<typeof client>;
  const TENANT = flavour === '3.4' ? 'v1alpha2' : 'v1beta1';
  beforeAll(async () => {
    sim = await startSimulator({ flavour });
    admin = client(sim, 'admin');
  });
  afterAll(() => sim.close());

  const legacy = {
    nodes: '/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/nodes',
    deployments: '/apis/clusters/member-1/apps/v1/deployments',
    namespaces: '/api/clusters/member-1/v1/namespaces',
  };
  const modern = {
    nodes: '/clusters/member-1/kapis/resources.kubesphere.io/v1alpha3/nodes',
    deployments: '/clusters/member-1/apis/apps/v1/deployments',
    namespaces: '/clusters/member-1/api/v1/namespaces',
  };

  it('the 3.x prefix form reaches the member cluster', async () => {
    expect(names((await admin(legacy.nodes)).json().items)).toEqual([...DEMO.nodes.member].sort());
    expect(names((await admin(legacy.deployments)).json().items)).toEqual([
      'coredns',
      'edge-gateway',
      'ks-apiserver',
      'ks-controller-manager',
      'telemetry-collector',
    ]);
    expect(names((await admin(legacy.namespaces)).json().items)).toContain('beta-edge');
  });

  it(`the 4.x prefix form ${flavour === '4.1' ? 'reaches the member cluster' : 'is an unknown path'}`, async () => {
    for (const [key, path] of Object.entries(modern)) {
      const r = await admin(path);
      if (flavour === '4.1') expect(names(r.json().items)).toEqual(names((await admin(legacy[key as keyof typeof legacy])).json().items));
      else expect([r.status, r.text]).toEqual([404, '404: Page Not Found']);
    }
  });

  it('the host cluster name routes to the host', async () => {
    const viaHost = await admin('/kapis/clusters/host/resources.kubesphere.io/v1alpha3/nodes');
    expect(names(viaHost.json().items)).toEqual([...DEMO.nodes.host].sort());
  });

  it('an unknown cluster is a 400 Status', async () => {
    const r = await admin('/kapis/clusters/nope/resources.kubesphere.io/v1alpha3/nodes');
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400, message: 'cluster nope not exists' });
    if (flavour === '4.1') expect((await admin('/clusters/nope/api/v1/pods')).status).toBe(400);
  });

  it('member data differs: a cordoned node, its own namespaces, its own version', async () => {
    expect(names((await admin(`${legacy.nodes}?status=unschedulable`)).json().items)).toEqual([DEMO.nodes.cordoned]);
    const ns = (await admin(`/kapis/clusters/member-1/tenant.kubesphere.io/${TENANT}/workspaces/team-beta/namespaces`)).json();
    expect(names(ns.items)).toEqual(['beta-cache', 'beta-edge']);
    const version = (await admin('/kapis/clusters/member-1/version')).json();
    const hostVersion = (await admin('/kapis/version')).json();
    expect(version.kubernetes.gitVersion).not.toBe(hostVersion.kubernetes.gitVersion);
    expect((await admin('/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/namespaces/beta-cache/persistentvolumeclaims')).json().totalItems).toBe(1);
  });

  it('authorization follows workspace placement', async () => {
    const bob = client(sim, 'bob');
    const alice = client(sim, 'alice');
    expect((await bob('/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/namespaces/beta-edge/pods')).json().totalItems).toBe(3);
    expect((await bob('/api/clusters/member-1/v1/namespaces/beta-edge/pods')).status).toBe(200);
    expect((await alice('/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/namespaces/beta-edge/pods')).status).toBe(403);
    expect((await bob('/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/nodes')).status).toBe(403);
  });

  it('records the path as received', async () => {
    sim.clearRequests();
    await admin('/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/namespaces/beta-edge/pods?limit=1');
    expect(sim.requests.map((r) => r.path)).toEqual(['/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/namespaces/beta-edge/pods']);
  });
});
