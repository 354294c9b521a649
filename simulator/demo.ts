/**
 * The names in the seeded demo cluster that tests and docs may rely on. The
 * seed is built from these constants, so they cannot drift apart.
 */

export const DEMO = {
  clientId: 'kubesphere',
  clientSecret: 'kubesphere',
  users: {
    admin: { username: 'admin', password: 'P@88w0rd', email: 'admin@kubesphere.io', globalRole: 'platform-admin' },
    alice: {
      username: 'alice',
      password: 'Alice@1234',
      email: 'alice@example.com',
      globalRole: 'platform-regular',
      workspace: 'team-alpha',
      workspaceRole: 'team-alpha-admin',
    },
    bob: {
      username: 'bob',
      password: 'Bob@12345',
      email: 'bob@example.com',
      globalRole: 'platform-regular',
      workspace: 'team-beta',
      workspaceRole: 'team-beta-admin',
    },
    /** A disabled account: logins fail with "account is not active" / "Account suspended.". */
    carol: { username: 'carol', password: 'Carol@1234', email: 'carol@example.com', globalRole: 'platform-regular', disabled: true },
  },
  clusters: { host: 'host', member: 'member-1' },
  nodes: {
    host: ['master-1', 'worker-1', 'worker-2', 'worker-3'],
    member: ['edge-master', 'edge-worker-1'],
    /** worker-3 reports MemoryPressure (v1alpha3 status `warning`). */
    warning: 'worker-3',
    /** edge-worker-1 on member-1 is cordoned (v1alpha3 status `unschedulable`). */
    cordoned: 'edge-worker-1',
  },
  workspaces: ['system-workspace', 'demo-workspace', 'team-alpha', 'team-beta'],
  namespaces: {
    'system-workspace': [
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'kubesphere-controls-system',
      'kubesphere-logging-system',
      'kubesphere-monitoring-system',
      'kubesphere-system',
    ],
    'demo-workspace': ['demo-app', 'demo-db'],
    'team-alpha': ['alpha-web', 'alpha-api'],
    'team-beta': ['beta-web'],
    /** Namespaces that exist only on member-1. */
    member: ['beta-edge', 'beta-cache'],
  },
  deployments: {
    'kube-system': ['coredns', 'calico-kube-controllers', 'metrics-server'],
    'demo-app': ['frontend', 'backend-api', 'cart', 'catalog', 'orders', 'search', 'recommender', 'payments', 'legacy-worker'],
    'alpha-web': ['web', 'web-canary', 'gateway'],
    'alpha-api': ['api', 'worker'],
    'beta-web': ['site', 'cms'],
    'beta-edge': ['edge-gateway', 'telemetry-collector'],
  },
  statefulsets: { 'demo-db': ['mysql', 'redis'], 'alpha-api': ['postgres'], 'kubesphere-monitoring-system': ['prometheus-k8s', 'alertmanager-main'] },
  daemonsets: { 'kube-system': ['calico-node', 'kube-proxy', 'nodelocaldns'], 'kubesphere-monitoring-system': ['node-exporter'] },
  /** Interesting cases, by owning workload (pod names carry generated hashes). */
  cases: {
    crashLoop: { namespace: 'demo-app', deployment: 'cart', status: 'CrashLoopBackOff', restarts: 17 },
    imagePull: { namespace: 'demo-app', deployment: 'recommender', status: 'ImagePullBackOff' },
    pending: { namespace: 'alpha-web', deployment: 'web-canary', status: 'Pending' },
    /** Deployment with an old ReplicaSet scaled to 0. */
    rolledOut: { namespace: 'demo-app', deployment: 'frontend' },
    /** Deployment scaled to 0 (v1alpha3 status `stopped`). */
    stopped: { namespace: 'demo-app', deployment: 'legacy-worker' },
    completedJob: { namespace: 'demo-app', job: 'db-migrate' },
    failedJob: { namespace: 'demo-app', job: 'schema-upgrade' },
    cronJob: { namespace: 'demo-app', cronJob: 'report-generator' },
    pendingClaim: { namespace: 'demo-app', pvc: 'scratch-space' },
  },
  storageClasses: ['local', 'csi-standard'],
  /** `kubesphere.io/alias-name` of namespaces (matched by v1alpha3 `name` on 4.1). */
  aliases: {
    'demo-app': 'Demo Shop',
    'demo-db': 'Demo Databases',
    'alpha-web': 'Alpha Web Frontend',
    'alpha-api': 'Alpha Backend',
    'beta-web': 'Beta Website',
  },
} as const;
