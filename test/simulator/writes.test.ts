import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';

describe.each(['3.4', '4.1'] as const)('native writes (%s)', (flavour) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ flavour });
  });
  afterAll(() => sim.close());

  async function call(user: string, method: string, path: string, body?: unknown, contentType = 'application/json') {
    const r = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.issueToken(user)}`, 'content-type': contentType },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await r.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, text, json };
  }

  it('creates, conflicts on a duplicate, and records ADDED', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1' }, data: { a: '1' } };
    const created = await call('admin', 'POST', '/api/v1/namespaces/demo-app/configmaps', cm);
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ name: 'w1', namespace: 'demo-app' });
    expect(created.json.metadata.uid).toBeTruthy();
    const last = sim.changes().at(-1)!;
    expect([last.type, last.object.metadata.name, last.resourceVersion]).toEqual(['ADDED', 'w1', created.json.metadata.resourceVersion]);
    const dup = await call('admin', 'POST', '/api/v1/namespaces/demo-app/configmaps', cm);
    expect([dup.status, dup.json.reason, dup.json.message]).toEqual([409, 'AlreadyExists', 'configmaps "w1" already exists']);
  });

  it('dryRun=All stores nothing; other values are rejected', async () => {
    const before = sim.changes().length;
    const r = await call('admin', 'POST', '/api/v1/namespaces?dryRun=All', { metadata: { name: 'dry-ns' } });
    expect(r.status).toBe(201);
    expect(sim.changes().length).toBe(before);
    expect((await call('admin', 'GET', '/api/v1/namespaces/dry-ns')).status).toBe(404);
    expect((await call('admin', 'POST', '/api/v1/namespaces?dryRun=Some', { metadata: { name: 'dry-ns' } })).status).toBe(422);
  });

  it('PUT with a stale resourceVersion is a 409 Conflict', async () => {
    const d = (await call('admin', 'GET', '/apis/apps/v1/namespaces/alpha-web/deployments/web')).json;
    const ok = await call('admin', 'PUT', '/apis/apps/v1/namespaces/alpha-web/deployments/web', { ...d, metadata: { ...d.metadata, labels: { x: 'y' } } });
    expect(ok.status).toBe(200);
    expect(Number(ok.json.metadata.resourceVersion)).toBeGreaterThan(Number(d.metadata.resourceVersion));
    const stale = await call('admin', 'PUT', '/apis/apps/v1/namespaces/alpha-web/deployments/web', d);
    expect([stale.status, stale.json.reason, stale.json.message]).toEqual([
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    ]);
  });

  it('scales through /scale and the controllers follow', async () => {
    const r = await call(
      'admin',
      'PATCH',
      '/apis/apps/v1/namespaces/alpha-api/deployments/api/scale',
      { spec: { replicas: 5 } },
      'application/merge-patch+json',
    );
    expect([r.status, r.json.spec.replicas]).toEqual([200, 5]);
    const d = (await call('admin', 'GET', '/apis/apps/v1/namespaces/alpha-api/deployments/api')).json;
    expect(d.status.replicas).toBe(5);
    const pods = (await call('admin', 'GET', `/api/v1/namespaces/alpha-api/pods?labelSelector=${encodeURIComponent(r.json.status.selector)}`)).json;
    expect(pods.items.length).toBe(5);
  });

  it('a restart (template annotation) rolls out a new ReplicaSet', async () => {
    const patch = { spec: { template: { metadata: { annotations: { 'kubesphere.io/restartedAt': '2024-05-06T08:00:00Z' } } } } };
    const d0 = (await call('admin', 'GET', '/apis/apps/v1/namespaces/alpha-web/deployments/gateway')).json;
    const r = await call('admin', 'PATCH', '/apis/apps/v1/namespaces/alpha-web/deployments/gateway', patch, 'application/strategic-merge-patch+json');
    expect(r.status).toBe(200);
    expect(r.json.metadata.generation).toBe(d0.metadata.generation + 1);
    expect(Number(r.json.metadata.annotations['deployment.kubernetes.io/revision'])).toBe(
      Number(d0.metadata.annotations['deployment.kubernetes.io/revision']) + 1,
    );
    const sets = (await call('admin', 'GET', '/apis/apps/v1/namespaces/alpha-web/replicasets')).json.items.filter((rs: any) =>
      rs.metadata.ownerReferences?.some((o: any) => o.name === 'gateway'),
    );
    expect(sets.filter((rs: any) => rs.spec.replicas > 0).length).toBe(1);
  });

  it('alice writes in her projects only', async () => {
    expect((await call('alice', 'POST', '/api/v1/namespaces/alpha-web/configmaps', { metadata: { name: 'mine' } })).status).toBe(201);
    const denied = await call('alice', 'POST', '/api/v1/namespaces/demo-app/configmaps', { metadata: { name: 'theirs' } });
    expect([denied.status, denied.json.reason]).toEqual([403, 'Forbidden']);
  });

  it('server-side apply tracks managers and reports conflicts', async () => {
    const path = '/api/v1/namespaces/alpha-web/configmaps/applied?fieldManager=one';
    const y = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: "${v}"\n`;
    expect((await call('admin', 'PATCH', path, y('1'), 'application/apply-patch+yaml')).status).toBe(201);
    const clash = await call('admin', 'PATCH', path.replace('one', 'two'), y('2'), 'application/apply-patch+yaml');
    expect([clash.status, clash.json.reason]).toEqual([409, 'Conflict']);
    expect(clash.json.message).toContain('conflict with "one"');
    expect((await call('admin', 'PATCH', `${path.replace('one', 'two')}&force=true`, y('2'), 'application/apply-patch+yaml')).json.data.k).toBe('2');
  });

  it('DELETE cascades in the background by default and reads the body options', async () => {
    const r = await call('admin', 'DELETE', '/apis/apps/v1/namespaces/beta-web/deployments/cms', { propagationPolicy: 'Background' });
    expect(r.status).toBe(200);
    const sets = (await call('admin', 'GET', '/apis/apps/v1/namespaces/beta-web/replicasets')).json.items;
    expect(sets.some((rs: any) => rs.metadata.name.startsWith('cms-'))).toBe(false);
    expect(sim.changes().some((c) => c.type === 'DELETED' && c.object.metadata.name === 'cms')).toBe(true);
  });

  it('tenant routes ignore dryRun (like pkg/models/tenant/tenant.go)', async () => {
    const v = flavour === '3.4' ? 'v1alpha2' : 'v1beta1';
    const r = await call('admin', 'POST', `/kapis/tenant.kubesphere.io/${v}/workspaces/team-alpha/namespaces?dryRun=All`, {
      metadata: { name: 'really-created' },
    });
    expect(r.status).toBe(200);
    const ns = (await call('admin', 'GET', '/api/v1/namespaces/really-created')).json;
    expect(ns.metadata.labels['kubesphere.io/workspace']).toBe('team-alpha');
    const del = await call('admin', 'DELETE', `/kapis/tenant.kubesphere.io/${v}/workspaces/team-alpha/namespaces/really-created?dryRun=All`);
    expect(del.json).toEqual({ message: 'success' });
    expect((await call('admin', 'GET', '/api/v1/namespaces/really-created')).status).toBe(404);
  });

  it('the test hook writes through the same path', () => {
    const out = sim.mutate('host', '/nodes', undefined, 'worker-1', (n) => ({ ...n, spec: { ...(n.spec as object), unschedulable: true } }));
    expect(sim.changes().at(-1)).toMatchObject({ type: 'MODIFIED', resourceVersion: out!.metadata.resourceVersion });
  });
});
