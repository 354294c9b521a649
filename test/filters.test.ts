/**
 * Acceptance: a nested to-many list (`namespace.pods`, `node.pods`,
 * `cluster.nodes`, `workspace.namespaces`, `deployment.pods`, …) and the
 * top-level list scoped to the same objects return the same items, the same
 * totalItems and the same order for every filter and sort. The top-level list
 * is filtered and sorted by KubeSphere (v1alpha3) or by the facade; the nested
 * one always by the facade (src/model/filters.ts), so this pins the facade's
 * rules to KubeSphere's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../simulator/index.ts';
import { ADMIN, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

type Filter = Record<string, string>;

interface Row {
  title: string;
  /** The field holding the nested list, for example `namespace(name: "demo-app")`. */
  parent: string;
  /** The nested list field, and arguments of its own (other than filter, sort and paging). */
  edge: string;
  edgeArgs?: string;
  /** The top-level list field, and the arguments that scope it to the parent's objects. */
  top: string;
  topArgs?: string;
  filterType: string;
  /** The sort input both lists take; none for events. */
  sortType?: 'Sort' | 'UpdateSort';
  /** The top-level filter equal to a nested filter: adds what the parent implies (its node, its labels). */
  scope?: (filter: Filter) => Filter;
  filters: Filter[];
  /**
   * False only where the demo has a single object in the parent's scope, so
   * no filter can return fewer than all but none.
   */
  narrows?: boolean;
}

const MEMBER = DEMO.clusters.member;
const WORKSPACE_LABEL = 'kubesphere.io/workspace';

/** A scope that adds label requirements to the filter's own selector. */
const labelled =
  (selector: string) =>
  (filter: Filter): Filter => ({ ...filter, labelSelector: [selector, filter.labelSelector].filter(Boolean).join(',') });

const POD_STATUSES = ['RUNNING', 'WAITING', 'ERROR', 'COMPLETED'].map((status) => ({ status }));
const POD_PHASES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'].map((phase) => ({ phase }));
const WORKLOAD_STATUSES = ['RUNNING', 'UPDATING', 'STOPPED'].map((status) => ({ status }));
const JOB_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED'].map((status) => ({ status }));
const NODE_STATUSES = ['RUNNING', 'WARNING', 'UNSCHEDULABLE'].map((status) => ({ status }));
const NAMESPACE_PHASES = ['ACTIVE', 'TERMINATING'].map((phase) => ({ phase }));
const selectors = (...labelSelectors: string[]) => labelSelectors.map((labelSelector) => ({ labelSelector }));
const names = (...substrings: string[]) => substrings.map((name) => ({ name }));

const inNamespace = (namespace: string, edge: string, top: string, filterType: string, filters: Filter[], more: Partial<Row> = {}): Row => ({
  title: `namespace(${namespace}).${edge} = ${top}(namespace: ${namespace})`,
  parent: `namespace(name: "${namespace}")`,
  edge,
  top,
  topArgs: `namespace: "${namespace}"`,
  filterType,
  sortType: 'Sort',
  filters,
  ...more,
});

/** `<kind>(namespace, name).<edge>` against the top-level list in the namespace, scoped by the parent's labels. */
const ofObject = (kind: string, namespace: string, name: string, edge: string, top: string, selector: string, filterType: string, filters: Filter[]): Row => ({
  title: `${kind}(${namespace}/${name}).${edge} = ${top}(namespace: ${namespace}, labelSelector: ${selector})`,
  parent: `${kind}(namespace: "${namespace}", name: "${name}")`,
  edge,
  top,
  topArgs: `namespace: "${namespace}"`,
  filterType,
  sortType: top === 'jobs' ? 'UpdateSort' : 'Sort',
  scope: labelled(selector),
  filters,
});

const node = (name: string): Row => ({
  title: `node(${name}).pods = pods(filter: {nodeName: ${name}})`,
  parent: `node(name: "${name}")`,
  edge: 'pods',
  top: 'pods',
  filterType: 'PodFilter',
  sortType: 'Sort',
  scope: (filter) => ({ ...filter, nodeName: name }),
  filters: [...POD_STATUSES, ...POD_PHASES, ...names('cart', 'calico'), ...selectors('app in (cart,catalog)', '!app', 'k8s-app!=calico-node')],
});

const clusterNodes = (cluster: string): Row => ({
  title: `cluster(${cluster}).nodes = nodes(cluster: ${cluster})`,
  parent: `cluster(name: "${cluster}")`,
  edge: 'nodes',
  top: 'nodes',
  topArgs: `cluster: "${cluster}"`,
  filterType: 'NodeFilter',
  sortType: 'Sort',
  filters: [
    ...NODE_STATUSES,
    ...names('worker', 'master', 'edge'),
    ...selectors(
      'node-role.kubernetes.io/worker',
      '!node-role.kubernetes.io/worker',
      'topology.kubernetes.io/zone in (zone-a)',
      'topology.kubernetes.io/zone!=zone-a',
    ),
    { status: 'RUNNING', labelSelector: 'node-role.kubernetes.io/worker' },
  ],
});

const workspaceNamespaces = (workspace: string, cluster?: string): Row => ({
  title: `workspace(${workspace}).namespaces${cluster ? `(cluster: ${cluster})` : ''} = namespaces(labelSelector: ${WORKSPACE_LABEL}=${workspace})`,
  parent: `workspace(name: "${workspace}")`,
  edge: 'namespaces',
  edgeArgs: cluster && `cluster: "${cluster}"`,
  top: 'namespaces',
  topArgs: cluster && `cluster: "${cluster}"`,
  filterType: 'NamespaceFilter',
  sortType: 'Sort',
  scope: labelled(`${WORKSPACE_LABEL}=${workspace}`),
  filters: [
    ...NAMESPACE_PHASES,
    ...names('kube', 'system', 'beta', 'Demo'),
    ...selectors('kubernetes.io/metadata.name in (default,kube-system,demo-app,beta-edge)', 'kubernetes.io/metadata.name!=default', '!kubesphere.io/namespace'),
  ],
});

const ROWS: Row[] = [
  // Pods: every status and phase, names and every selector form, in a namespace with running, waiting, failed and completed pods.
  inNamespace('demo-app', 'pods', 'pods', 'PodFilter', [
    ...POD_STATUSES,
    ...POD_PHASES,
    ...names('cart', 'report-generator', 'nothing-like-this'),
    ...selectors('app=cart', 'app in (cart,catalog)', 'app notin (frontend,catalog)', '!job-name', 'job-name', 'app!=frontend', 'tier=backend,version=v1'),
    { status: 'RUNNING', labelSelector: 'app=cart' },
    { status: 'WAITING', name: 'recommender' },
    { phase: 'RUNNING', status: 'WAITING' },
  ]),
  // A Pending pod (web-canary) is WAITING.
  inNamespace('alpha-web', 'pods', 'pods', 'PodFilter', [...POD_STATUSES, ...POD_PHASES, ...selectors('app=web-canary', 'track')]),
  node('worker-1'),
  node(DEMO.nodes.warning),
  ofObject('deployment', 'demo-app', 'cart', 'pods', 'pods', 'app=cart', 'PodFilter', [
    ...POD_STATUSES,
    ...POD_PHASES,
    ...names('cart'),
    ...selectors('tier=backend'),
  ]),
  ofObject('service', 'demo-app', 'cart', 'pods', 'pods', 'app=cart', 'PodFilter', [...POD_STATUSES, ...POD_PHASES, ...selectors('version=v1')]),
  ofObject('job', 'demo-app', 'schema-upgrade', 'pods', 'pods', 'job-name=schema-upgrade', 'PodFilter', [
    ...POD_STATUSES,
    ...POD_PHASES,
    { nodeName: 'worker-1' },
    { nodeName: 'worker-2' },
  ]),
  ofObject('daemonSet', 'kube-system', 'calico-node', 'pods', 'pods', 'k8s-app=calico-node', 'PodFilter', [
    ...POD_STATUSES,
    { nodeName: 'worker-1' },
    { nodeName: 'worker-1', status: 'RUNNING' },
  ]),
  ofObject('statefulSet', 'demo-db', 'redis', 'pods', 'pods', 'app=redis', 'PodFilter', [...POD_STATUSES, ...names('redis-0', 'redis-1')]),
  ofObject('persistentVolumeClaim', 'demo-app', 'uploads', 'pods', 'pods', 'app=backend-api', 'PodFilter', [...POD_STATUSES, { nodeName: 'worker-1' }]),
  // Both of frontend's ReplicaSets carry the same labels and name prefix (the hashes are generated): nothing narrows.
  {
    ...ofObject('deployment', 'demo-app', 'frontend', 'replicaSets', 'replicaSets', 'app=frontend', 'ObjectFilter', [
      ...names('frontend', 'nope'),
      ...selectors('pod-template-hash', '!pod-template-hash'),
    ]),
    narrows: false,
  },
  ofObject('cronJob', 'demo-app', 'report-generator', 'jobs', 'jobs', 'app=report-generator', 'JobFilter', [...JOB_STATUSES, ...names('28624440', 'report')]),

  inNamespace(
    'demo-app',
    'deployments',
    'deployments',
    'WorkloadFilter',
    [...WORKLOAD_STATUSES, ...names('end', 'Demo'), ...selectors('app in (cart,orders)', 'app!=cart', '!app', 'app'), { status: 'RUNNING', name: 'end' }],
    { sortType: 'UpdateSort' },
  ),
  inNamespace('alpha-web', 'deployments', 'deployments', 'WorkloadFilter', [...WORKLOAD_STATUSES, ...names('web')], { sortType: 'UpdateSort' }),
  inNamespace('demo-db', 'statefulSets', 'statefulSets', 'WorkloadFilter', [
    ...WORKLOAD_STATUSES,
    ...names('mysql'),
    ...selectors('app=redis', 'app notin (redis)'),
  ]),
  inNamespace('kube-system', 'daemonSets', 'daemonSets', 'WorkloadFilter', [
    ...WORKLOAD_STATUSES,
    ...names('calico'),
    ...selectors('k8s-app in (kube-proxy,nodelocaldns)', 'k8s-app!=kube-proxy'),
  ]),
  inNamespace('demo-app', 'replicaSets', 'replicaSets', 'ObjectFilter', [
    ...names('frontend', 'cart-'),
    ...selectors('app=frontend', 'app in (cart,search)', 'app!=frontend', '!app', 'version=v2'),
  ]),
  inNamespace('demo-app', 'jobs', 'jobs', 'JobFilter', [...JOB_STATUSES, ...names('report'), ...selectors('app=report-generator', 'app!=db-migrate')], {
    sortType: 'UpdateSort',
  }),
  // The demo has a single CronJob and a single Ingress per namespace.
  inNamespace('demo-app', 'cronJobs', 'cronJobs', 'ObjectFilter', [...names('report', 'nope'), ...selectors('app=report-generator', '!app')], {
    narrows: false,
  }),
  inNamespace('demo-db', 'cronJobs', 'cronJobs', 'ObjectFilter', [...names('backup', 'nope'), ...selectors('app=mysql-backup', 'app!=mysql-backup')], {
    narrows: false,
  }),
  inNamespace('demo-app', 'horizontalPodAutoscalers', 'horizontalPodAutoscalers', 'ObjectFilter', [...names('front', 'end'), ...selectors('!app', 'app')]),
  inNamespace('demo-app', 'services', 'services', 'ObjectFilter', [...names('end', 'cart', 'Demo'), ...selectors('app', '!app', 'app in (cart,orders)')]),
  inNamespace('demo-app', 'ingresses', 'ingresses', 'ObjectFilter', [...names('front', 'nope'), ...selectors('!app', 'app')], { narrows: false }),
  inNamespace('alpha-web', 'ingresses', 'ingresses', 'ObjectFilter', [...names('web', 'nope')], { narrows: false }),
  inNamespace('demo-app', 'configMaps', 'configMaps', 'ObjectFilter', [
    ...names('config', 'kube-root'),
    ...selectors('app=frontend', 'app in (frontend,backend-api)', '!app', 'app!=frontend'),
  ]),
  inNamespace('demo-app', 'secrets', 'secrets', 'ObjectFilter', [...names('cred', 'tls'), ...selectors('app=backend-api', '!app')]),
  inNamespace('demo-app', 'persistentVolumeClaims', 'persistentVolumeClaims', 'PersistentVolumeClaimFilter', [
    ...['PENDING', 'BOUND', 'LOST'].map((phase) => ({ phase })),
    ...names('up', 'space'),
    ...selectors('app=backend-api', '!app'),
    { phase: 'BOUND', name: 'space' },
  ]),
  inNamespace('demo-db', 'persistentVolumeClaims', 'persistentVolumeClaims', 'PersistentVolumeClaimFilter', [
    ...['PENDING', 'BOUND'].map((phase) => ({ phase })),
    ...selectors('app=redis'),
  ]),
  inNamespace(
    'demo-app',
    'events',
    'events',
    'EventFilter',
    [...['NORMAL', 'WARNING'].map((type) => ({ type })), { involvedObjectKind: 'Job' }, { involvedObjectKind: 'Pod', type: 'WARNING' }],
    { sortType: undefined },
  ),

  clusterNodes('host'),
  clusterNodes(MEMBER),
  workspaceNamespaces('system-workspace'),
  workspaceNamespaces('demo-workspace'),
  workspaceNamespaces('team-beta', MEMBER),
];

const PAGE = 'totalItems items { metadata { namespace name } }';

function operation(row: Row): string {
  const args = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(', ');
  const sort = row.sortType && 'sort: $s';
  return `query ($f: ${row.filterType}, $tf: ${row.filterType}, $af: ${row.filterType}, $page: Int, $limit: Int${row.sortType ? `, $s: ${row.sortType}` : ''}) {
    nested: ${row.parent} { list: ${row.edge}(${args(row.edgeArgs, 'filter: $f', sort, 'page: $page', 'limit: $limit')}) { ${PAGE} } }
    top: ${row.top}(${args(row.topArgs, 'filter: $tf', sort, 'page: $page', 'limit: $limit')}) { ${PAGE} }
    all: ${row.top}(${args(row.topArgs, 'filter: $af', 'limit: 500')}) { totalItems }
  }`;
}

interface Page {
  totalItems: number;
  items: { metadata: { namespace: string | null; name: string } }[];
}

const key = (item: Page['items'][number]) => `${item.metadata.namespace ?? ''}/${item.metadata.name}`;
const keys = (page: Page) => page.items.map(key);

describe.each(FLAVOURS)('KubeSphere %s: nested lists filter and sort like the top-level lists', (flavour) => {
  let stack: Stack;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack({ flavour });
    admin = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  /** Runs the nested and the top-level list with the same filter, sort and page in one operation. */
  async function both(row: Row, filter: Filter | null, sort?: Record<string, unknown>, paging = { page: 1, limit: 500 }) {
    const scope = row.scope ?? ((f: Filter) => f);
    const result = await stack.gql<{ nested: { list: Page } | null; top: Page; all: { totalItems: number } }>(operation(row), {
      token: admin,
      variables: { f: filter, tf: filter || row.scope ? scope(filter ?? {}) : null, af: row.scope ? scope({}) : null, s: sort, ...paging },
    });
    expect(result.errors).toBeUndefined();
    const { nested, top, all } = result.data!;
    expect(nested, `${row.parent} exists`).not.toBeNull();
    return { nested: nested!.list, top, all: all.totalItems };
  }

  /**
   * What the demo's pods are, whatever the KubeSphere version: a pod's phase is
   * Kubernetes' `status.phase`, and its status KubeSphere's rule (crash loops,
   * image pull back-offs and Pending are WAITING; failed pods ERROR; finished
   * ones COMPLETED). Equal nested and top-level lists must also be right.
   */
  describe('the pod filters give the known answers, on both lists', () => {
    const podsIn = (namespace: string) => ROWS.find((row) => row.parent === `namespace(name: "${namespace}")` && row.edge === 'pods')!;
    it.each([
      ['demo-app', { status: 'RUNNING' }, 30],
      ['demo-app', { status: 'WAITING' }, 2],
      ['demo-app', { status: 'ERROR' }, 4],
      ['demo-app', { status: 'COMPLETED' }, 3],
      ['demo-app', { phase: 'RUNNING' }, 31],
      ['demo-app', { phase: 'PENDING' }, 1],
      ['demo-app', { phase: 'FAILED' }, 4],
      ['demo-app', { phase: 'SUCCEEDED' }, 3],
      ['demo-app', { phase: 'UNKNOWN' }, 0],
      ['demo-app', { phase: 'RUNNING', status: 'WAITING' }, 1],
      ['demo-app', { phase: 'PENDING', status: 'WAITING', name: 'recommender' }, 1],
      ['alpha-web', { status: 'WAITING' }, 1],
      ['alpha-web', { phase: 'PENDING', status: 'WAITING' }, 1],
    ] as const)('namespace %s, filter %o: %i pods', async (namespace, filter, expected) => {
      const { nested, top } = await both(podsIn(namespace), filter);
      expect([nested.totalItems, top.totalItems]).toEqual([expected, expected]);
    });

    it('Pod.phase is the Kubernetes phase, on both lists', async () => {
      const { nested, top } = await both(podsIn('demo-app'), { name: 'recommender' });
      expect(nested.totalItems).toBe(1);
      const result = await stack.gql(
        `{ namespace(name: "demo-app") { pods(filter: { status: WAITING }, limit: 500) { items { phase statusReason } } }
             pods(namespace: "demo-app", filter: { status: WAITING }, limit: 500) { items { phase statusReason } } }`,
        { token: admin },
      );
      expect(result.errors).toBeUndefined();
      const expected = [
        { phase: 'PENDING', statusReason: 'ImagePullBackOff' },
        { phase: 'RUNNING', statusReason: 'CrashLoopBackOff' },
      ];
      const byReason = (a: any, b: any) => a.statusReason.localeCompare(b.statusReason);
      expect([...result.data!.namespace.pods.items].sort(byReason)).toEqual(expected.sort(byReason));
      expect([...result.data!.pods.items].sort(byReason)).toEqual(expected.sort(byReason));
      expect(top.totalItems).toBe(1);
    });
  });

  describe.each(ROWS.map((row) => [row.title, row] as const))('%s', (_title, row) => {
    const counts: number[] = [];
    let all = 0;

    it.each(row.filters.map((filter) => [JSON.stringify(filter), filter] as const))('filter %s', async (_name, filter) => {
      const { nested, top, all: total } = await both(row, filter);
      expect(keys(nested).sort()).toEqual(keys(top).sort());
      expect(nested.totalItems).toBe(top.totalItems);
      expect(top.totalItems).toBe(top.items.length);
      counts.push(top.totalItems);
      all = total;
    });

    it('the filters are not vacuous: some return items, and some fewer than all', () => {
      expect(all, 'the parent has objects of this kind').toBeGreaterThan(0);
      expect(counts.some((n) => n > 0)).toBe(true);
      if (row.narrows !== false) expect(counts.some((n) => n > 0 && n < all)).toBe(true);
    });

    const sorts = row.sortType
      ? [
          { field: 'NAME', ascending: true },
          { field: 'NAME' },
          { field: 'CREATION_TIME' },
          { field: 'CREATION_TIME', ascending: true },
          ...(row.sortType === 'UpdateSort' ? [{ field: 'UPDATE_TIME' }, { field: 'UPDATE_TIME', ascending: true }] : []),
        ]
      : [];
    if (sorts.length > 0) {
      it.each(sorts.map((sort) => [JSON.stringify(sort), sort] as const))('sort %s: the same order', async (_name, sort) => {
        const { nested, top } = await both(row, null, sort);
        expect(keys(nested)).toEqual(keys(top));
        expect(nested.totalItems).toBe(top.totalItems);
        if (row.narrows !== false) expect(top.items.length).toBeGreaterThan(1);
      });
    }

    it('no sort (newest first), paged: the same page', async () => {
      const first = await both(row, null, undefined, { page: 1, limit: 500 });
      expect(keys(first.nested)).toEqual(keys(first.top));
      const second = await both(row, null, row.sortType ? { field: 'NAME', ascending: true } : undefined, { page: 2, limit: 1 });
      expect(keys(second.nested)).toEqual(keys(second.top));
      expect(second.nested.totalItems).toBe(second.top.totalItems);
    });
  });
});
