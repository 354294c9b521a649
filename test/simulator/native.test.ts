import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';

type Obj = { apiVersion?: string; kind?: string; metadata: Record<string, any>; spec?: any; status?: any; [k: string]: any };
type List = { apiVersion: string; kind: string; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }; items: Obj[] };

let sim: Simulator;
let get: (
  path: string,
  init?: RequestInit & { user?: string; accept?: string },
) => Promise<{ status: number; type: string | null; text: string; json: () => any }>;

beforeAll(async () => {
  sim = await startSimulator();
  const tokens = new Map<string, string>();
  get = async (path, init = {}) => {
    const user = init.user ?? 'admin';
    if (!tokens.has(user)) tokens.set(user, sim.issueToken(user));
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(user)}` };
    if (init.accept) headers.accept = init.accept;
    const response = await fetch(`${sim.url}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), text, json: () => JSON.parse(text) };
  };
});
afterAll(() => sim.close());

const list = async (path: string): Promise<List> => {
  const r = await get(path);
  expect(r.status, r.text).toBe(200);
  return r.json();
};
const keys = (l: List) => l.items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('native lists', () => {
  it('are Kubernetes List objects with TypeMeta on items, in key order', async () => {
    const pods = await list('/api/v1/pods');
    expect(pods).toMatchObject({ apiVersion: 'v1', kind: 'PodList' });
    expect(Number(pods.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(pods.items.length).toBeGreaterThanOrEqual(100);
    expect(pods.items.every((p) => p.apiVersion === 'v1' && p.kind === 'Pod')).toBe(true);
    expect(keys(pods)).toEqual([...keys(pods)].sort());
    const deployments = await list('/apis/apps/v1/namespaces/demo-app/deployments');
    expect(deployments).toMatchObject({ apiVersion: 'apps/v1', kind: 'DeploymentList' });
    expect(deployments.items.every((d) => d.metadata.namespace === 'demo-app' && d.kind === 'Deployment')).toBe(true);
  });

  it('page with limit and continue, counting what remains', async () => {
    const all = await list('/api/v1/pods');
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: List = await list(`/api/v1/pods?limit=25${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      pages++;
      seen.push(...keys(page));
      token = page.metadata.continue;
      if (token) expect(page.metadata.remainingItemCount).toBe(all.items.length - seen.length);
      else expect(page.metadata.remainingItemCount).toBeUndefined();
    } while (token);
    expect(seen).toEqual(keys(all));
    expect(pages).toBe(Math.ceil(all.items.length / 25));
  });

  it('leave remainingItemCount out when a selector is present', async () => {
    const page = await list('/api/v1/pods?limit=5&labelSelector=app');
    expect(page.metadata.continue).toBeDefined();
    expect(page.metadata.remainingItemCount).toBeUndefined();
  });

  it('reject an invalid continue token', async () => {
    const r = await get('/api/v1/pods?limit=5&continue=bogus');
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('filter with label and field selectors', async () => {
    const frontend = await list('/api/v1/namespaces/demo-app/pods?labelSelector=app%3Dfrontend,tier%20in%20(web)');
    expect(frontend.items.length).toBe(8);
    const onMaster = await list('/api/v1/pods?fieldSelector=spec.nodeName%3Dmaster-1');
    expect(onMaster.items.every((p) => p.spec.nodeName === 'master-1')).toBe(true);
    expect(onMaster.items.length).toBeGreaterThan(3);
    const pending = await list('/api/v1/pods?fieldSelector=status.phase%3DPending');
    expect(pending.items.map((p) => p.metadata.labels.app).sort()).toEqual(['recommender', 'web-canary']);
    const notRunning = await list('/api/v1/namespaces/demo-app/pods?fieldSelector=status.phase!%3DRunning,metadata.namespace%3Ddemo-app');
    expect(notRunning.items.every((p) => p.status.phase !== 'Running')).toBe(true);
    expect((await list('/api/v1/namespaces?fieldSelector=metadata.name%3Ddemo-app')).items.map((n) => n.metadata.name)).toEqual(['demo-app']);
    expect((await list('/api/v1/namespaces/demo-app/secrets?fieldSelector=type%3Dkubernetes.io%2Fdockerconfigjson')).items.map((s) => s.metadata.name)).toEqual(
      ['registry-credentials'],
    );
  });

  it('reject unsupported fields and unparsable selectors with 400', async () => {
    const field = await get('/api/v1/pods?fieldSelector=spec.foo%3Dbar');
    expect([field.status, field.json().message]).toEqual([400, 'field label not supported: spec.foo']);
    const label = await get('/api/v1/pods?labelSelector=a%20in%20(');
    expect(label.status).toBe(400);
    expect(label.json().message).toMatch(/^unable to parse requirement/);
  });
});

describe('events', () => {
  it('are listed per namespace and cluster-wide', async () => {
    const ns = await list('/api/v1/namespaces/demo-app/events');
    expect(ns.kind).toBe('EventList');
    expect(ns.items.length).toBeGreaterThanOrEqual(5);
    const all = await list('/api/v1/events');
    expect(all.items.length).toBeGreaterThan(ns.items.length);
    expect(new Set(all.items.map((e) => e.type))).toEqual(new Set(['Normal', 'Warning']));
  });

  it('filter by involvedObject fields', async () => {
    const warnings = await list('/api/v1/namespaces/demo-app/events?fieldSelector=type%3DWarning,involvedObject.kind%3DPod');
    const crash = warnings.items.find((e) => e.reason === 'BackOff')!;
    expect(crash.involvedObject).toMatchObject({ kind: 'Pod', namespace: 'demo-app', apiVersion: 'v1' });
    const name = crash.involvedObject.name;
    const about = await list(
      `/api/v1/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name},involvedObject.kind=Pod,involvedObject.namespace=demo-app`)}`,
    );
    expect(about.items.map((e) => e.reason).sort()).toEqual(['BackOff', 'Pulled']);
    const byUid = await list(`/api/v1/namespaces/demo-app/events?fieldSelector=involvedObject.uid%3D${crash.involvedObject.uid}`);
    expect(byUid.items.length).toBe(2);
    const pod = (await get(`/api/v1/namespaces/demo-app/pods/${name}`)).json();
    expect(pod.metadata.uid).toBe(crash.involvedObject.uid);
    const deploymentEvents = await list('/api/v1/namespaces/demo-app/events?fieldSelector=involvedObject.kind%3DDeployment,involvedObject.name%3Dfrontend');
    expect(deploymentEvents.items.every((e) => e.reason === 'ScalingReplicaSet')).toBe(true);
  });
});

describe('native get', () => {
  it('returns the object with TypeMeta', async () => {
    const r = await get('/apis/apps/v1/namespaces/demo-app/deployments/frontend');
    expect(r.json()).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'frontend', namespace: 'demo-app' } });
    expect((await get('/api/v1/namespaces/demo-app')).json()).toMatchObject({ kind: 'Namespace', metadata: { name: 'demo-app' } });
    expect((await get('/api/v1/nodes/master-1')).json().spec.taints[0].key).toBe('node-role.kubernetes.io/control-plane');
    expect((await get('/apis/storage.k8s.io/v1/storageclasses/local')).json().provisioner).toBe('openebs.io/local');
  });

  it('a missing object is a 404 Status with details', async () => {
    const r = await get('/apis/apps/v1/namespaces/demo-app/deployments/nope');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    expect((await get('/api/v1/namespaces/demo-app/pods/nope')).json()).toMatchObject({
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
    });
  });

  it('unknown resources and paths are 404 Status', async () => {
    for (const path of ['/api/v1/widgets', '/apis/apps/v2/deployments', '/apis/nope.io/v1/things', '/api/v1/pods/x']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.json().kind).toBe('Status');
    }
  });

  it('serves pod logs as text', async () => {
    const pods = await list('/api/v1/namespaces/demo-app/pods?labelSelector=app%3Dfrontend&limit=1');
    const r = await get(`/api/v1/namespaces/demo-app/pods/${pods.items[0]!.metadata.name}/log?tailLines=3&timestamps=true`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain/);
    const lines = r.text.trimEnd().split('\n');
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z /);
    const payments = await list('/api/v1/namespaces/demo-app/pods?labelSelector=app%3Dpayments&limit=1');
    expect((await get(`/api/v1/namespaces/demo-app/pods/${payments.items[0]!.metadata.name}/log`)).status).toBe(400);
  });

  it('watches: both URL forms stream the current pods as ADDED lines until timeoutSeconds; a too-old resourceVersion is 410', async () => {
    for (const path of ['/api/v1/namespaces/demo-app/pods?watch=true&timeoutSeconds=1', '/api/v1/watch/namespaces/demo-app/pods?timeoutSeconds=1']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      const lines = response.text
        .trim()
        .split('\n')
        .map((line: string) => JSON.parse(line));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((e: { type: string; object: { kind: string } }) => e.type === 'ADDED' && e.object.kind === 'Pod')).toBe(true);
    }
    expect((await get('/api/v1/namespaces/demo-app/pods?watch=true&resourceVersion=1')).status).toBe(410);
  });
});

describe('discovery', () => {
  it('serves legacy discovery documents', async () => {
    expect((await get('/api')).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = (await get('/api/v1')).json();
    expect(core).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const pods = core.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'] });
    expect(pods.verbs).toEqual(expect.arrayContaining(['get', 'list']));
    expect(core.resources.map((r: { name: string }) => r.name)).toContain('pods/log');
    const groups = (await get('/apis')).json();
    expect(groups.kind).toBe('APIGroupList');
    const names = groups.groups.map((g: { name: string }) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'networking.k8s.io',
        'autoscaling',
        'storage.k8s.io',
        'iam.kubesphere.io',
        'tenant.kubesphere.io',
        'cluster.kubesphere.io',
      ]),
    );
    expect((await get('/apis/apps')).json()).toMatchObject({ kind: 'APIGroup', name: 'apps', preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
    const apps = (await get('/apis/apps/v1')).json();
    expect(apps.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['deployments', 'replicasets', 'statefulsets', 'daemonsets']));
  });

  it('requires authentication', async () => {
    const r = await fetch(`${sim.url}/apis`);
    expect(r.status).toBe(403);
    expect((await get('/apis', { user: 'alice' })).status).toBe(200);
  });
});

describe('server-side printing', () => {
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('answers Table requests with kubectl columns', async () => {
    const table = (await get('/api/v1/namespaces/demo-app/pods?limit=500', { accept: TABLE })).json();
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.columnDefinitions.filter((c: { priority: number }) => c.priority === 0).map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    const crash = table.rows.find((r: { cells: unknown[] }) => r.cells[2] === 'CrashLoopBackOff');
    expect(crash.cells[1]).toBe('0/1');
    expect(crash.cells[3]).toBe('17');
    expect(crash.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { namespace: 'demo-app' } });
    expect(table.rows.some((r: { cells: unknown[] }) => r.cells[2] === 'ImagePullBackOff')).toBe(true);
    expect(table.rows.some((r: { cells: unknown[] }) => r.cells[2] === 'Completed')).toBe(true);
    expect(table.rows.some((r: { cells: unknown[] }) => r.cells[2] === 'Error')).toBe(true);
  });
});

describe('native authorization', () => {
  it('alice may read her namespaces only', async () => {
    expect((await get('/api/v1/namespaces/alpha-web/pods', { user: 'alice' })).status).toBe(200);
    expect((await get('/api/v1/namespaces/alpha-web', { user: 'alice' })).status).toBe(200);
    expect((await get('/apis/apps/v1/namespaces/alpha-api/deployments/api', { user: 'alice' })).status).toBe(200);
    const all = await get('/api/v1/pods', { user: 'alice' });
    expect(all.status).toBe(403);
    expect(all.json().message).toBe('pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope');
    expect((await get('/api/v1/namespaces/demo-app/secrets', { user: 'alice' })).status).toBe(403);
    expect((await get('/apis/iam.kubesphere.io/v1beta1/users', { user: 'alice' })).status).toBe(403);
  });
});
