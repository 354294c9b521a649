import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSimulator, type Simulator } from '../../simulator/index.ts';

async function fetchText(sim: Simulator, path: string, user = 'admin'): Promise<string> {
  const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${sim.issueToken(user)}` } });
  expect(response.status, path).toBe(200);
  return response.text();
}

const json = async (sim: Simulator, path: string, user = 'admin') => JSON.parse(await fetchText(sim, path, user));

describe('the hand-made demo cluster', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('holds 100-150 host pods, enough for a page of 100', async () => {
    const page = await json(sim, '/kapis/resources.kubesphere.io/v1alpha3/pods?limit=100');
    expect(page.items.length).toBe(100);
    expect(page.totalItems).toBeGreaterThanOrEqual(100);
    expect(page.totalItems).toBeLessThanOrEqual(150);
  });

  it('has every name DEMO promises', async () => {
    const nodes = await json(sim, '/api/v1/nodes');
    expect(nodes.items.map((n: any) => n.metadata.name)).toEqual([...DEMO.nodes.host]);
    const namespaces = (await json(sim, '/api/v1/namespaces')).items;
    for (const [ws, list] of Object.entries(DEMO.namespaces)) {
      if (ws === 'member') continue;
      for (const ns of list) expect(namespaces.find((n: any) => n.metadata.name === ns)?.metadata.labels['kubesphere.io/workspace'], ns).toBe(ws);
    }
    for (const [ns, names] of Object.entries(DEMO.deployments)) {
      const onMember = (DEMO.namespaces.member as readonly string[]).includes(ns);
      const items = (await json(sim, `/apis${onMember ? '/clusters/member-1' : ''}/apps/v1/namespaces/${ns}/deployments`)).items;
      expect(items.map((d: any) => d.metadata.name).sort(), ns).toEqual([...names].sort());
    }
    for (const [ns, names] of Object.entries(DEMO.statefulsets)) {
      expect((await json(sim, `/apis/apps/v1/namespaces/${ns}/statefulsets`)).items.map((d: any) => d.metadata.name).sort()).toEqual([...names].sort());
    }
    for (const [ns, names] of Object.entries(DEMO.daemonsets)) {
      expect((await json(sim, `/apis/apps/v1/namespaces/${ns}/daemonsets`)).items.map((d: any) => d.metadata.name).sort()).toEqual([...names].sort());
    }
    const aliases = namespaces.filter((n: any) => n.metadata.annotations?.['kubesphere.io/alias-name']);
    expect(aliases.length).toBeGreaterThanOrEqual(5);
  });

  it('wires owners together: deployment → replica sets → pods, with an old revision at zero', async () => {
    const rs = (await json(sim, '/apis/apps/v1/namespaces/demo-app/replicasets?labelSelector=app%3Dfrontend')).items;
    expect(rs.length).toBe(2);
    const old = rs.find((r: any) => r.spec.replicas === 0);
    const current = rs.find((r: any) => r.spec.replicas === 8);
    expect(old.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'frontend', controller: true });
    expect(current.metadata.labels['pod-template-hash']).toBe(current.metadata.name.slice('frontend-'.length));
    const pods = (await json(sim, `/api/v1/namespaces/demo-app/pods?labelSelector=pod-template-hash%3D${current.metadata.labels['pod-template-hash']}`)).items;
    expect(pods.length).toBe(8);
    expect(pods.every((p: any) => p.metadata.ownerReferences[0].uid === current.metadata.uid)).toBe(true);
    const claims = (await json(sim, '/api/v1/namespaces/demo-db/persistentvolumeclaims')).items;
    expect(claims.map((c: any) => c.metadata.name).sort()).toEqual(['data-mysql-0', 'data-redis-0', 'data-redis-1', 'data-redis-2']);
    const pv = await json(sim, `/api/v1/persistentvolumes/${claims[0].spec.volumeName}`);
    expect(pv.spec.claimRef.name).toBe(claims[0].metadata.name);
    const ds = (await json(sim, '/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcalico-node')).items;
    expect(ds.map((p: any) => p.spec.nodeName).sort()).toEqual([...DEMO.nodes.host].sort());
  });

  it('pods look like kubectl get -o json output', async () => {
    const pod = (await json(sim, '/api/v1/namespaces/alpha-api/pods?labelSelector=app%3Dapi&limit=1')).items[0];
    expect(pod.status).toMatchObject({ phase: 'Running', qosClass: 'Burstable' });
    expect(pod.status.podIP).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(pod.status.hostIP).toMatch(/^192\.168\./);
    expect(pod.status.startTime).toMatch(/Z$/);
    expect(pod.status.containerStatuses[0]).toMatchObject({ name: 'api', ready: true, restartCount: 0, started: true });
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '200m', memory: '256Mi' });
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the pods size knob', () => {
  let a: Simulator;
  let b: Simulator;
  let small: Simulator;
  beforeAll(async () => {
    const started = performance.now();
    a = await startSimulator({ pods: 5000 });
    console.log(`startSimulator({ pods: 5000 }) took ${Math.round(performance.now() - started)} ms`);
    b = await startSimulator({ pods: 5000 });
    small = await startSimulator({ pods: 10 });
  });
  afterAll(() => Promise.all([a.close(), b.close(), small.close()]));

  it('generates exactly the requested number of host pods', async () => {
    expect((await json(a, '/kapis/resources.kubesphere.io/v1alpha3/pods?limit=1')).totalItems).toBe(5000);
    // A target below the demo size keeps the demo as it is.
    expect((await json(small, '/kapis/resources.kubesphere.io/v1alpha3/pods?limit=1')).totalItems).toBeGreaterThanOrEqual(100);
  });

  it('is deterministic: same input, byte-identical data', async () => {
    for (const path of [
      '/api/v1/pods',
      '/api/v1/nodes',
      '/api/v1/namespaces',
      '/apis/apps/v1/replicasets',
      '/api/v1/events',
      '/kapis/resources.kubesphere.io/v1alpha3/nodes?limit=20',
    ]) {
      const [x, y] = await Promise.all([fetchText(a, path), fetchText(b, path)]);
      expect(x === y, path).toBe(true);
    }
  });

  it('spreads pods over generated nodes', async () => {
    const nodes = (await json(a, '/api/v1/nodes')).items;
    expect(nodes.length).toBeGreaterThan(150);
    const table = await json(a, '/kapis/resources.kubesphere.io/v1alpha3/pods?limit=-1');
    const perNode = new Map<string, number>();
    for (const p of table.items) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    expect(Math.max(...perNode.values())).toBeLessThanOrEqual(110);
    expect(perNode.size).toBe(nodes.length);
  });

  it('puts generated projects in the demo workspaces', async () => {
    const alpha = await json(a, '/kapis/tenant.kubesphere.io/v1beta1/workspaces/team-alpha/namespaces?limit=-1', 'alice');
    expect(alpha.totalItems).toBeGreaterThan(2);
    expect(alpha.items.filter((n: any) => n.metadata.name.startsWith('load-')).length).toBe(alpha.totalItems - 2);
  });
});
