import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Flavour, type Simulator } from '../../simulator/index.ts';

type Obj = { metadata: Record<string, any>; spec?: any; status?: any; [k: string]: any };
type ListBody = { items: Obj[]; totalItems: number };

const V = '/kapis/resources.kubesphere.io/v1alpha3';

function client(sim: Simulator, user = 'admin') {
  const token = sim.issueToken(user);
  return async (path: string) => {
    const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as any };
  };
}

const names = (body: ListBody) => body.items.map((o) => o.metadata.name);
const milli = (q: string | undefined) => (q === undefined ? 0 : q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);

describe.each(['3.4', '4.1'] as const)('v1alpha3 lists on flavour %s', (flavour: Flavour) => {
  let sim: Simulator;
  let get: ReturnType<typeof client>;
  const list = async (path: string): Promise<ListBody> => {
    const r = await get(path);
    expect(r.status, r.text).toBe(200);
    return r.json();
  };
  beforeAll(async () => {
    sim = await startSimulator({ flavour });
    get = client(sim);
  });
  afterAll(() => sim.close());

  it('returns {items,totalItems} with informer-shaped items (no TypeMeta)', async () => {
    const body = await list(`${V}/namespaces/demo-app/deployments`);
    expect(Object.keys(body)).toEqual(['items', 'totalItems']);
    expect(body.totalItems).toBe(body.items.length);
    for (const item of body.items) {
      expect(item.apiVersion).toBeUndefined();
      expect(item.kind).toBeUndefined();
      expect(item.metadata.managedFields?.length).toBeGreaterThan(0);
    }
    expect(names(body)).toContain('frontend');
  });

  it('lists namespaced kinds across all namespaces at cluster scope', async () => {
    const all = await list(`${V}/pods`);
    expect(all.totalItems).toBeGreaterThanOrEqual(100);
    expect(new Set(all.items.map((p) => p.metadata.namespace)).size).toBeGreaterThan(5);
    const ns = await list(`${V}/pods?namespace=demo-db`);
    expect(ns.items.every((p) => p.metadata.namespace === 'demo-db')).toBe(true);
    expect(ns.totalItems).toBe((await list(`${V}/namespaces/demo-db/pods`)).totalItems);
  });

  describe('paging', () => {
    it.each([
      ['', 'all'],
      ['limit=abc', 'all'],
      ['limit=-1', 'all'],
      ['page=3', 'all'],
      ['limit=4', [0, 4]],
      ['limit=4&page=2', [4, 8]],
      ['limit=4&page=abc', [0, 4]],
      ['limit=0', [0, 0]],
      ['limit=4&page=0', 'none'],
      ['limit=-2', 'none'],
      ['limit=4&page=1000', 'none'],
    ] as const)('%s', async (query, expected) => {
      const all = await list(`${V}/pods?sortBy=name&ascending=true`);
      const body = await list(`${V}/pods?sortBy=name&ascending=true${query ? `&${query}` : ''}`);
      expect(body.totalItems).toBe(all.totalItems);
      const want = expected === 'all' ? names(all) : expected === 'none' ? [] : names(all).slice(expected[0], expected[1]);
      expect(names(body)).toEqual(want);
    });

    it('the last page is short', async () => {
      const all = await list(`${V}/nodes`);
      const page = await list(`${V}/nodes?limit=3&page=2`);
      expect(page.items.length).toBe(all.totalItems - 3);
    });
  });

  describe('sorting', () => {
    const created = (o: Obj) => Date.parse(o.metadata.creationTimestamp);

    it('defaults to newest first, ties broken by name (descending)', async () => {
      const body = await list(`${V}/namespaces`);
      for (let i = 1; i < body.items.length; i++) {
        const [a, b] = [body.items[i - 1]!, body.items[i]!];
        expect(created(a) > created(b) || (created(a) === created(b) && a.metadata.name > b.metadata.name)).toBe(true);
      }
      const ties = body.items.filter((n) => ['default', 'kube-node-lease', 'kube-public', 'kube-system'].includes(n.metadata.name));
      expect(names({ items: ties, totalItems: 0 })).toEqual(['kube-system', 'kube-public', 'kube-node-lease', 'default']);
    });

    it('ascending=true is oldest first; createTime is an alias; unknown fields fall back to creation time', async () => {
      const asc = await list(`${V}/namespaces?ascending=true`);
      expect(created(asc.items[0]!)).toBeLessThanOrEqual(created(asc.items.at(-1)!));
      expect(names(await list(`${V}/namespaces?sortBy=createTime`))).toEqual(names(await list(`${V}/namespaces`)));
      expect(names(await list(`${V}/namespaces?sortBy=startTime`))).toEqual(names(await list(`${V}/namespaces`)));
    });

    it('sortBy=name is descending unless ascending=true', async () => {
      const desc = names(await list(`${V}/namespaces/demo-app/deployments?sortBy=name`));
      expect(desc).toEqual([...desc].sort().reverse());
      const asc = names(await list(`${V}/namespaces/demo-app/deployments?sortBy=name&ascending=true`));
      expect(asc).toEqual([...desc].reverse());
    });

    it('sortBy=updateTime on deployments uses the newest condition update', async () => {
      const updated = (o: Obj) => Math.max(created(o), ...(o.status?.conditions ?? []).map((c: any) => Date.parse(c.lastUpdateTime)));
      const body = await list(`${V}/namespaces/demo-app/deployments?sortBy=updateTime`);
      const keys = body.items.map(updated);
      expect(keys).toEqual([...keys].sort((a, b) => b - a));
      expect(names(body)).not.toEqual(names(await list(`${V}/namespaces/demo-app/deployments`)));
    });
  });

  describe('filters', () => {
    it('name is a substring match; names is an exact comma list; uid is exact', async () => {
      expect(names(await list(`${V}/namespaces/demo-app/deployments?name=end`)).sort()).toEqual(['backend-api', 'frontend', 'recommender']);
      expect(names(await list(`${V}/namespaces/demo-app/deployments?names=cart,orders,nope`)).sort()).toEqual(['cart', 'orders']);
      const cart: Obj = (await get(`${V}/namespaces/demo-app/deployments/cart`)).json();
      expect(names(await list(`${V}/deployments?uid=${cart.metadata.uid}`))).toEqual(['cart']);
    });

    it(`name ${flavour === '4.1' ? 'also matches' : 'does not match'} the alias-name annotation`, async () => {
      const body = await list(`${V}/namespaces?name=Shop`);
      expect(names(body)).toEqual(flavour === '4.1' ? ['demo-app'] : []);
    });

    it(`alias ${flavour === '3.4' ? 'matches the alias-name substring' : 'is an unknown filter, ignored'}; ownerKind=Workspace selects projects`, async () => {
      const all = await list(`${V}/namespaces`);
      expect(names(await list(`${V}/namespaces?alias=Shop`))).toEqual(flavour === '3.4' ? ['demo-app'] : names(all));
      const projects = await list(`${V}/namespaces?ownerKind=Workspace`);
      expect(projects.items.every((n) => n.metadata.labels['kubesphere.io/workspace'])).toBe(true);
      expect(names(projects)).toContain('alpha-web');
    });

    it.each([
      ['app=cart', ['cart']],
      ['app==cart', ['cart']],
      ['app in (cart, catalog)', ['cart', 'catalog']],
      ['tier=backend,app notin (cart,catalog,orders,search,recommender,payments)', ['backend-api']],
      ['app!=frontend,tier=web', []],
      ['!tier', ['db-migrate', 'report-generator', 'schema-upgrade']],
      ['version', ['backend-api', 'cart', 'catalog', 'frontend', 'orders', 'payments', 'recommender', 'search']],
    ])('labelSelector %s', async (selector, apps) => {
      const body = await list(`${V}/namespaces/demo-app/pods?labelSelector=${encodeURIComponent(selector)}`);
      expect([...new Set(body.items.map((p) => p.metadata.labels.app ?? p.metadata.labels['job-name']))].sort()).toEqual(apps);
    });

    it('an unparsable labelSelector selects everything, as the lister does', async () => {
      const all = await list(`${V}/namespaces/demo-app/services`);
      expect((await list(`${V}/namespaces/demo-app/services?labelSelector=${encodeURIComponent('a in (')}`)).totalItems).toBe(all.totalItems);
    });

    it('ownerKind, ownerReference, label and annotation', async () => {
      const frontend = await list(`${V}/namespaces/demo-app/pods?ownerKind=ReplicaSet&labelSelector=app%3Dfrontend`);
      expect(frontend.totalItems).toBe(8);
      const owner = frontend.items[0]!.metadata.ownerReferences[0];
      expect(owner).toMatchObject({ kind: 'ReplicaSet', controller: true });
      expect((await list(`${V}/namespaces/demo-app/pods?ownerReference=${owner.uid}`)).totalItems).toBe(8);
      expect((await list(`${V}/namespaces/demo-app/pods?ownerKind=StatefulSet`)).totalItems).toBe(0);
      expect(names(await list(`${V}/namespaces/demo-db/pods?ownerKind=StatefulSet&label=${encodeURIComponent('app=mysql')}`))).toEqual(['mysql-0']);
      const byCreator = await list(`${V}/namespaces?annotation=${encodeURIComponent('kubesphere.io/creator=alice')}`);
      expect(names(byCreator).sort()).toEqual(['alpha-api', 'alpha-web']);
    });

    it('pod status is computed like kubectl STATUS, coarsened to Running|Waiting|Error|Completed', async () => {
      const byStatus = async (s: string) => (await list(`${V}/namespaces/demo-app/pods?status=${s}`)).items;
      const waiting = await byStatus('Waiting');
      expect(waiting.map((p) => p.metadata.labels.app).sort()).toEqual(['cart', 'recommender']);
      const error = await byStatus('Error');
      expect(error.length).toBe(4);
      expect(error.every((p) => p.metadata.labels['job-name'] === 'schema-upgrade')).toBe(true);
      expect((await byStatus('Completed')).map((p) => p.metadata.labels.app).sort()).toEqual(['db-migrate', 'report-generator', 'report-generator']);
      const running = await byStatus('Running');
      const total = (await list(`${V}/namespaces/demo-app/pods`)).totalItems;
      expect(running.length + waiting.length + error.length + 3).toBe(total);
      expect((await list(`${V}/namespaces/alpha-web/pods?status=Waiting`)).items.map((p) => p.metadata.labels.app)).toEqual(['web-canary']);
    });

    it('pods keep the raw status.phase, and phase= compares it, on both flavours', async () => {
      const all = await list(`${V}/namespaces/demo-app/pods`);
      expect(new Set(all.items.map((p) => p.status.phase))).toEqual(new Set(['Running', 'Pending', 'Succeeded', 'Failed']));
      const pending = await list(`${V}/namespaces/demo-app/pods?phase=Pending`);
      expect(pending.items.map((p) => p.metadata.labels.app)).toEqual(['recommender']);
      expect((await list(`${V}/namespaces/demo-app/pods?phase=Waiting`)).totalItems).toBe(0);
      const one = (await get(`${V}/namespaces/demo-app/pods/${pending.items[0]!.metadata.name}`)).json();
      expect(one.status.phase).toBe('Pending');
    });

    it('demo-app has pods of every status type, a CrashLoopBackOff one among the Waiting', async () => {
      const byStatus = async (s: string) => (await list(`${V}/namespaces/demo-app/pods?status=${s}`)).items;
      for (const s of ['Running', 'Waiting', 'Error', 'Completed']) expect((await byStatus(s)).length, s).toBeGreaterThan(0);
      const crashing = (await byStatus('Waiting')).filter((p) => p.status.containerStatuses?.some((c: any) => c.state.waiting?.reason === 'CrashLoopBackOff'));
      expect(crashing.length).toBe(1);
      expect(crashing[0]!.status.phase).toBe('Running');
    });

    it(`pvc status= ${flavour === '3.4' ? 'compares the whole value' : 'splits on | and needs every part'}`, async () => {
      const both = await list(`${V}/namespaces/demo-app/persistentvolumeclaims?status=${encodeURIComponent('bound|BOUND')}`);
      expect(names(both)).toEqual(flavour === '3.4' ? [] : ['uploads']);
    });

    it(`pod ownerReference ${flavour === '3.4' ? 'matches the pod owners only' : 'also follows the ReplicaSet to its Deployment'}`, async () => {
      const deployment = (await get(`${V}/namespaces/demo-app/deployments/cart`)).json();
      const pods = await list(`${V}/namespaces/demo-app/pods?ownerReference=${deployment.metadata.uid}`);
      expect(pods.totalItems).toBe(flavour === '3.4' ? 0 : 3);
    });

    it('sortBy=updateTime: deployments by their newest condition update, jobs by transition, others by creation', async () => {
      const deployments = await list(`${V}/namespaces/demo-app/deployments?sortBy=updateTime`);
      const lut = (d: Obj) => Math.max(Date.parse(d.metadata.creationTimestamp), ...d.status.conditions.map((c: any) => Date.parse(c.lastUpdateTime)));
      const times = deployments.items.map(lut);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const jobs = await list(`${V}/namespaces/demo-app/jobs?sortBy=lastUpdateTimestamp&ascending=true`);
      const ltt = (j: Obj) =>
        Math.max(Date.parse(j.metadata.creationTimestamp), ...(j.status.conditions ?? []).map((c: any) => Date.parse(c.lastTransitionTime)));
      const jt = jobs.items.map(ltt);
      expect(jt).toEqual([...jt].sort((a, b) => a - b));
      const services = await list(`${V}/namespaces/demo-app/services?sortBy=updateTime`);
      const ct = services.items.map((o) => Date.parse(o.metadata.creationTimestamp));
      expect(ct).toEqual([...ct].sort((a, b) => b - a));
    });

    it('nodeName, pvcName and serviceName on pods', async () => {
      const onMaster = await list(`${V}/pods?nodeName=master-1`);
      expect(onMaster.items.every((p) => p.spec.nodeName === 'master-1')).toBe(true);
      expect(onMaster.items.map((p) => p.metadata.name)).toContain('kube-apiserver-master-1');
      expect((await list(`${V}/namespaces/demo-app/pods?pvcName=uploads`)).items.map((p) => p.metadata.labels.app)).toEqual(Array(5).fill('backend-api'));
      expect((await list(`${V}/namespaces/demo-app/pods?serviceName=frontend`)).totalItems).toBe(8);
      expect((await list(`${V}/namespaces/demo-app/pods?serviceName=no-such-service`)).totalItems).toBe(0);
    });

    it('workload, job, node, namespace and claim status', async () => {
      expect(names(await list(`${V}/namespaces/demo-app/deployments?status=stopped`))).toEqual(['legacy-worker']);
      expect(names(await list(`${V}/namespaces/demo-app/deployments?status=updating`)).sort()).toEqual(['cart', 'recommender']);
      expect((await list(`${V}/namespaces/demo-app/deployments?status=running`)).totalItems).toBe(6);
      expect(names(await list(`${V}/namespaces/alpha-api/statefulsets?status=running`))).toEqual(['postgres']);
      expect((await list(`${V}/namespaces/kube-system/daemonsets?status=running`)).totalItems).toBe(3);
      expect(names(await list(`${V}/namespaces/demo-app/jobs?status=failed`))).toEqual(['schema-upgrade']);
      expect((await list(`${V}/namespaces/demo-app/jobs?status=completed`)).totalItems).toBe(3);
      expect((await list(`${V}/namespaces/demo-app/jobs?status=running`)).totalItems).toBe(0);
      expect(names(await list(`${V}/nodes?status=warning`))).toEqual(['worker-3']);
      expect((await list(`${V}/nodes?status=running`)).totalItems).toBe(3);
      expect((await list(`${V}/nodes?status=unschedulable`)).totalItems).toBe(0);
      expect((await list(`${V}/namespaces?status=Active`)).totalItems).toBe((await list(`${V}/namespaces`)).totalItems);
      expect(names(await list(`${V}/namespaces/demo-app/persistentvolumeclaims?status=pending`))).toEqual(['scratch-space']);
      expect(names(await list(`${V}/namespaces/demo-app/persistentvolumeclaims?status=Bound`))).toEqual(['uploads']);
      expect(names(await list(`${V}/persistentvolumeclaims?storageClassName=csi-standard`))).toEqual(['scratch-space']);
    });

    it('fieldSelector works on secrets', async () => {
      expect(names(await list(`${V}/namespaces/demo-app/secrets?fieldSelector=${encodeURIComponent('type=kubernetes.io/tls')}`))).toEqual(['frontend-tls']);
      expect((await list(`${V}/namespaces/demo-app/secrets?fieldSelector=${encodeURIComponent('type!=kubernetes.io/tls')}`)).totalItems).toBe(2);
    });

    it(`unknown parameters ${flavour === '3.4' ? 'empty the list (3.x gotcha)' : 'are ignored'}`, async () => {
      const all = await list(`${V}/namespaces/demo-app/pods`);
      for (const query of ['_=1712345678', 'cluster=host', 'fieldSelector=status.phase%3DRunning', 'foo=']) {
        const body = await list(`${V}/namespaces/demo-app/pods?${query}`);
        expect(body).toEqual(flavour === '3.4' ? { items: [], totalItems: 0 } : all);
      }
    });
  });

  it('get returns the bare object', async () => {
    const r = await get(`${V}/namespaces/demo-app/deployments/frontend`);
    expect(r.status).toBe(200);
    const obj = r.json();
    expect(obj.metadata.name).toBe('frontend');
    expect(obj.items).toBeUndefined();
    expect(obj.kind).toBeUndefined();
    expect((await get(`${V}/namespaces/demo-app`)).json().metadata.labels['kubesphere.io/workspace']).toBe('demo-workspace');
  });

  it(`a missing object is ${flavour === '3.4' ? '500' : '404'} plain text`, async () => {
    for (const [path, message] of [
      [`${V}/namespaces/demo-app/deployments/foo`, 'deployments.apps "foo" not found'],
      [`${V}/namespaces/nope/pods/foo`, 'pods "foo" not found'],
      [`${V}/nodes/nope`, 'nodes "nope" not found'],
      [`${V}/namespaces/demo-app/jobs/foo`, 'jobs.batch "foo" not found'],
    ]) {
      const r = await get(path!);
      expect(r.status).toBe(flavour === '3.4' ? 500 : 404);
      expect(r.text).toBe(`${message}\n`);
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('an unsupported resource is 404 `resource is not supported`', async () => {
    for (const path of [`${V}/widgets`, `${V}/namespaces/demo-app/nodes`, `${V}/namespaces/demo-app/widgets/x`]) {
      const r = await get(path);
      expect([r.status, r.text]).toEqual([404, 'resource is not supported\n']);
    }
  });

  it('replicasets are in no v1alpha3 table (nor the 3.x fallback): 404, read them natively', async () => {
    for (const path of [`${V}/namespaces/demo-app/replicasets`, `${V}/replicasets`, `${V}/namespaces/demo-app/replicasets/x`, `${V}/controllerrevisions`]) {
      const r = await get(path);
      expect([r.status, r.text], path).toEqual([404, 'resource is not supported\n']);
    }
    const native = await get(`/apis/apps/v1/namespaces/demo-app/replicasets?labelSelector=${encodeURIComponent('app=cart')}`);
    expect(native.status).toBe(200);
    expect(native.json().items.length).toBeGreaterThan(0);
    expect(native.json().items.every((o: Obj) => o.metadata.labels.app === 'cart')).toBe(true);
    expect((await get(`/apis/apps/v1/replicasets?labelSelector=${encodeURIComponent('app=cart')}`)).json().items.length).toBe(native.json().items.length);
  });

  it(`storageclasses are ${flavour === '3.4' ? 'served by the v1alpha2 fallback' : 'not in the 4.1 table'}; cronjobs and HPAs are served`, async () => {
    const sc = await get(`${V}/storageclasses`);
    if (flavour === '3.4') {
      const items = sc.json().items as Obj[];
      expect(items.map((o) => o.metadata.name).sort()).toEqual(['csi-standard', 'local']);
      // The v1alpha2 searcher annotates listed classes with their claim count.
      expect(items.every((o) => /^\d+$/.test(o.metadata.annotations['kubesphere.io/pvc-count']))).toBe(true);
      expect((await get(`${V}/namespaces/demo-app/storageclasses`)).status).toBe(404);
    } else {
      expect(sc.status).toBe(404);
    }
    expect((await list(`${V}/namespaces/demo-app/cronjobs`)).totalItems).toBe(1);
    expect((await list(`${V}/namespaces/demo-app/horizontalpodautoscalers`)).totalItems).toBe(2);
  });

  it(`labelSelector is ${flavour === '3.4' ? 'ignored by the 3.x fallback kinds' : 'applied to cronjobs and HPAs'}`, async () => {
    const none = encodeURIComponent('app=no-such-app');
    const cron = await list(`${V}/namespaces/demo-app/cronjobs?labelSelector=${none}`);
    const hpa = await list(`${V}/namespaces/demo-app/horizontalpodautoscalers?labelSelector=${none}`);
    if (flavour === '3.4') {
      expect([cron.totalItems, hpa.totalItems]).toEqual([1, 2]);
      expect((await list(`${V}/storageclasses?labelSelector=${none}`)).totalItems).toBe(2);
      // The filters the fallback maps still apply.
      const cronName = cron.items[0]!.metadata.name;
      expect((await list(`${V}/namespaces/demo-app/cronjobs?names=${cronName}`)).totalItems).toBe(1);
      expect((await list(`${V}/namespaces/demo-app/cronjobs?name=no-such`)).totalItems).toBe(0);
      expect((await list(`${V}/namespaces/demo-app/cronjobs?status=running`)).totalItems).toBe(1);
      expect((await list(`${V}/namespaces/demo-app/cronjobs?status=paused`)).totalItems).toBe(0);
      expect((await list(`${V}/namespaces/demo-app/cronjobs?label=${encodeURIComponent(`app:${cronName}`)}`)).totalItems).toBe(1);
      expect((await list(`${V}/namespaces/demo-app/cronjobs?label=${encodeURIComponent('app:other')}`)).totalItems).toBe(0);
      expect((await list(`${V}/storageclasses?names=local`)).items.map((o) => o.metadata.name)).toEqual(['local']);
    } else {
      expect([cron.totalItems, hpa.totalItems]).toEqual([0, 0]);
    }
  });

  it('serves the remaining kinds of the brief', async () => {
    for (const [path, min] of [
      ['statefulsets', 5],
      ['daemonsets', 5],
      ['services', 10],
      ['configmaps', 10],
      ['secrets', 5],
      ['jobs', 4],
      ['persistentvolumeclaims', 5],
      ['persistentvolumes', 5],
      ['ingresses', 3],
      ['workspaces', 4],
      ['workspacetemplates', 4],
      ['users', 4],
      ['clusters', 2],
      ['globalroles', 3],
    ] as const) {
      expect((await list(`${V}/${path}`)).totalItems, path).toBeGreaterThanOrEqual(min);
    }
  });

  it('nodes carry request/limit annotations summed over their pods', async () => {
    const nodes = await list(`${V}/nodes`);
    const podsList = await list(`${V}/pods?nodeName=worker-1`);
    const live = podsList.items.filter((p) => !['Succeeded', 'Failed', 'Completed', 'Error'].includes(p.status.phase));
    const cpu = live.reduce((n, p) => n + p.spec.containers.reduce((m: number, c: any) => m + milli(c.resources?.requests?.cpu), 0), 0);
    const worker = nodes.items.find((n) => n.metadata.name === 'worker-1')!;
    const a = worker.metadata.annotations;
    expect(milli(a['node.kubesphere.io/cpu-requests'])).toBe(cpu);
    for (const key of [
      'cpu-limits',
      'memory-requests',
      'memory-limits',
      'cpu-requests-fraction',
      'cpu-limits-fraction',
      'memory-requests-fraction',
      'memory-limits-fraction',
    ]) {
      expect(a[`node.kubesphere.io/${key}`], key).toBeDefined();
    }
    expect(a['node.kubesphere.io/cpu-requests-fraction']).toBe(`${Math.trunc((cpu / 7900) * 100)}%`);
    expect(a['node.kubesphere.io/memory-requests']).toMatch(/^\d+(Ki|Mi|Gi)$/);
    const single = (await get(`${V}/nodes/worker-1`)).json();
    expect(single.metadata.annotations['node.kubesphere.io/cpu-requests']).toBeDefined();
  });
});

describe('v1alpha3 authorization', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('alice reads her namespaces but nothing else', async () => {
    const get = client(sim, 'alice');
    expect((await get(`${V}/namespaces/alpha-web/pods`)).status).toBe(200);
    expect((await get(`${V}/namespaces/alpha-api/deployments/api`)).status).toBe(200);
    expect((await get(`${V}/namespaces/alpha-web`)).status).toBe(200);
    const other = await get(`${V}/namespaces/demo-app/pods`);
    expect(other.status).toBe(403);
    expect(other.json()).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "demo-app"',
    });
    const named = await get(`${V}/namespaces/beta-web/deployments/site`);
    expect(named.json().message).toBe(
      'deployments.apps "site" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "beta-web"',
    );
    for (const path of [`${V}/pods`, `${V}/namespaces`, `${V}/nodes/worker-1`, `${V}/users`, `${V}/workspaces/team-beta`]) {
      expect((await get(path)).status, path).toBe(403);
    }
  });
});
