/**
 * The hand-made demo world: a host cluster and one member cluster with
 * workspaces, projects, workloads in many states, storage, networking,
 * events, and KubeSphere's IAM and tenant objects. See demo.ts for the names.
 */
import {
  addConfigMap,
  addCronJob,
  addDaemonSet,
  addDeployment,
  addEvent,
  addHpa,
  addIngress,
  addJob,
  addNamespace,
  addNode,
  addPod,
  addProjectRoles,
  addPvc,
  addSecret,
  addService,
  addStatefulSet,
  addStorageClass,
  ClusterBuilder,
  type ContainerDef,
  type PodTemplateDef,
} from './builders/index.ts';
import { DEMO } from './demo.ts';
import { isoAt, shortHash } from './det.ts';
import { T, type ResourceRegistry } from './resources.ts';
import { GLOBAL_ROLE_TEMPLATES, seedRoleTemplates } from './roletemplates.ts';
import { growHost } from './scale.ts';
import type { ClusterStore } from './store.ts';
import type { Flavour, KObject } from './types.ts';

const DAY = 86400;
const HOUR = 3600;

export interface FlavourFacts {
  kubeSphereVersion: string;
  hostKubernetes: string;
  memberKubernetes: string;
}

export const FLAVOURS: Record<Flavour, FlavourFacts> = {
  '3.4': { kubeSphereVersion: 'v3.4.1', hostKubernetes: 'v1.26.5', memberKubernetes: 'v1.25.16' },
  '4.1': { kubeSphereVersion: 'v4.1.3', hostKubernetes: 'v1.28.8', memberKubernetes: 'v1.27.12' },
};

export interface World {
  flavour: Flavour;
  hostName: string;
  clusters: Map<string, ClusterStore>;
  /** Host pod count before/after the size knob, for logs and tests. */
  hostPods: number;
}

const HOST = DEMO.clusters.host;
const MEMBER = DEMO.clusters.member;

function c(
  name: string,
  image: string,
  cpu: [string, string | undefined] | undefined,
  mem: [string, string | undefined] | undefined,
  ports?: number[],
  extra: Partial<ContainerDef> = {},
): ContainerDef {
  return {
    name,
    image,
    ...(ports ? { ports: ports.map((p) => ({ containerPort: p, name: p === 80 || p === 8080 || p === 8000 ? 'http' : `port-${p}` })) } : {}),
    ...(cpu || mem ? { requests: { ...(cpu ? { cpu: cpu[0] } : {}), ...(mem ? { memory: mem[0] } : {}) } } : {}),
    ...(cpu?.[1] || mem?.[1] ? { limits: { ...(cpu?.[1] ? { cpu: cpu[1] } : {}), ...(mem?.[1] ? { memory: mem[1] } : {}) } } : {}),
    ...extra,
  };
}

const tpl = (labels: Record<string, string>, containers: ContainerDef[], more: Partial<PodTemplateDef> = {}): PodTemplateDef => ({
  labels,
  containers,
  ...more,
});

const TOLERATE_ALL = [{ operator: 'Exists' }];
const TOLERATE_MASTER = [
  { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
];

export function buildWorld(flavour: Flavour, registry: ResourceRegistry, pods?: number): World {
  const facts = FLAVOURS[flavour];
  const host = new ClusterBuilder(HOST, flavour, registry, facts.hostKubernetes, 1000);
  const member = new ClusterBuilder(MEMBER, flavour, registry, facts.memberKubernetes, 5000);
  const wsUids = seedTenancy(host, member, facts);
  seedHost(host, facts, wsUids.get(HOST)!);
  seedMember(member, wsUids.get(MEMBER)!);
  seedIam(host, member);
  if (pods !== undefined) growHost(host, pods, wsUids.get(HOST)!);
  return {
    flavour,
    hostName: HOST,
    clusters: new Map([
      [HOST, host.store],
      [MEMBER, member.store],
    ]),
    hostPods: host.store.count(T.pod),
  };
}

// ---- tenancy: clusters, workspaces ---------------------------------------------

const PLACEMENT: Record<string, string[]> = {
  'system-workspace': [HOST, MEMBER],
  'demo-workspace': [HOST],
  'team-alpha': [HOST],
  'team-beta': [HOST, MEMBER],
};

const MANAGER: Record<string, string> = { 'system-workspace': 'admin', 'demo-workspace': 'admin', 'team-alpha': 'alice', 'team-beta': 'bob' };
const WS_ALIAS: Record<string, string> = {
  'system-workspace': 'System Workspace',
  'demo-workspace': 'Demo Workspace',
  'team-alpha': 'Team Alpha',
  'team-beta': 'Team Beta',
};

/** Workspace uid per cluster, for namespace owner references. */
function seedTenancy(host: ClusterBuilder, member: ClusterBuilder, facts: FlavourFacts): Map<string, Map<string, string>> {
  const uids = new Map<string, Map<string, string>>([
    [HOST, new Map()],
    [MEMBER, new Map()],
  ]);
  const configz = {
    alerting: false,
    auditing: false,
    devops: false,
    events: false,
    logging: true,
    metrics_server: true,
    monitoring: true,
    multicluster: true,
    network: true,
    notification: true,
    openpitrix: false,
    servicemesh: false,
  };
  const clusters: [string, string, number, string][] = [
    [HOST, facts.hostKubernetes, 4, 'host'],
    [MEMBER, facts.memberKubernetes, 2, 'member'],
  ];
  for (const [name, k8s, nodes, role] of clusters) {
    const created = role === 'host' ? 0 : 6 * DAY;
    const labels: Record<string, string> = {
      'cluster.kubesphere.io/group': role === 'host' ? 'production' : 'edge',
      'cluster.kubesphere.io/region': role === 'host' ? 'eu-central' : 'eu-north',
      'kubesphere.io/managed': 'true',
    };
    if (role === 'host') labels['cluster-role.kubesphere.io/host'] = '';
    const conditions = ['Initialized', 'AgentAvailable', 'Federated', 'ExternalAccessReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastUpdateTime: isoAt(created + 120),
      lastTransitionTime: isoAt(created + 120),
      reason: type,
      message:
        type === 'Ready'
          ? 'Cluster is available now'
          : type === 'Initialized'
            ? 'Cluster has been initialized'
            : type === 'AgentAvailable'
              ? 'Cluster agent is available now'
              : type === 'Federated'
                ? 'Cluster has joined the federation control plane successfully'
                : 'Cluster can be accessed externally',
    }));
    host.add(T.cluster, {
      metadata: host.meta(T.cluster, undefined, name, created, {
        generation: 3,
        labels,
        annotations: {
          'kubesphere.io/creator': 'admin',
          'kubesphere.io/description': role === 'host' ? 'The host cluster' : 'Edge site in the north',
          'kubesphere.io/alias-name': role === 'host' ? 'Host' : 'Edge North',
        },
        finalizers: ['finalizer.cluster.kubesphere.io'],
      }),
      spec: {
        provider: role === 'host' ? 'kubesphere' : 'Aliyun ACK',
        enable: true,
        joinFederation: true,
        connection: {
          type: 'direct',
          kubernetesAPIEndpoint: `https://${name}.clusters.kubesphere.local:6443`,
          kubesphereAPIEndpoint: `http://ks-apiserver.${name}.clusters.kubesphere.local`,
          kubernetesAPIServerPort: 6443,
          kubesphereAPIServerPort: 80,
        },
      },
      status: {
        conditions,
        kubernetesVersion: k8s,
        kubeSphereVersion: facts.kubeSphereVersion,
        nodeCount: nodes,
        zones: [''],
        region: labels['cluster.kubesphere.io/region'],
        configz,
        uid: host.uid('kube-system', undefined, name),
      },
    });
  }
  for (const ws of DEMO.workspaces) {
    const manager = MANAGER[ws]!;
    const created = ws === 'system-workspace' ? 600 : ws === 'demo-workspace' ? 2 * DAY - 600 : ws === 'team-alpha' ? 5 * DAY - 600 : 7 * DAY - 600;
    const annotations = {
      'kubesphere.io/alias-name': WS_ALIAS[ws]!,
      'kubesphere.io/creator': 'admin',
      'kubesphere.io/description': `${WS_ALIAS[ws]} projects`,
    };
    host.add(T.workspacetemplate, {
      metadata: host.meta(T.workspacetemplate, undefined, ws, created, {
        generation: 1,
        labels: { 'kubefed.io/managed': 'false' },
        annotations,
        finalizers: ['finalizers.workspacetemplate.kubesphere.io'],
      }),
      spec: { template: { metadata: {}, spec: { manager } }, placement: { clusters: PLACEMENT[ws]!.map((name) => ({ name })) } },
    });
    for (const clusterName of PLACEMENT[ws]!) {
      const b = clusterName === HOST ? host : member;
      const w = b.add(T.workspace, {
        metadata: b.meta(T.workspace, undefined, ws, created + 5, {
          generation: 1,
          labels: { 'kubefed.io/managed': 'false' },
          annotations,
          finalizers: ['finalizers.tenant.kubesphere.io'],
        }),
        spec: { manager, ...(b.flavour === '3.4' ? { networkIsolation: false } : {}) },
      });
      uids.get(clusterName)!.set(ws, w.metadata.uid!);
    }
  }
  return uids;
}

// ---- host cluster ------------------------------------------------------------------

function systemNamespaces(b: ClusterBuilder, wsUids: Map<string, string>, names: readonly string[]): void {
  for (const ns of names) {
    const early = ns.startsWith('kube') && !ns.startsWith('kubesphere') ? 0 : ns === 'default' ? 0 : 600;
    addNamespace(b, ns, early + 30, { workspace: 'system-workspace', workspaceUid: wsUids.get('system-workspace') });
  }
}

function seedKubeSystem(b: ClusterBuilder, k8s: string, master: string): void {
  const ns = 'kube-system';
  const critical = { priorityClassName: 'system-node-critical', tolerations: TOLERATE_ALL };
  addDaemonSet(b, {
    namespace: ns,
    name: 'calico-node',
    created: 120,
    template: tpl({ 'k8s-app': 'calico-node' }, [c('calico-node', 'calico/node:v3.27.0', ['250m', undefined], undefined)], {
      ...critical,
      hostNetwork: true,
      serviceAccountName: 'calico-node',
    }),
  });
  addDaemonSet(b, {
    namespace: ns,
    name: 'kube-proxy',
    created: 60,
    template: tpl(
      { 'k8s-app': 'kube-proxy' },
      [
        c('kube-proxy', `registry.k8s.io/kube-proxy:${k8s}`, undefined, undefined, undefined, {
          command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        }),
      ],
      { ...critical, hostNetwork: true, serviceAccountName: 'kube-proxy' },
    ),
  });
  addDaemonSet(b, {
    namespace: ns,
    name: 'nodelocaldns',
    created: 150,
    template: tpl(
      { 'k8s-app': 'nodelocaldns' },
      [c('node-cache', 'kubesphere/k8s-dns-node-cache:1.22.20', ['100m', undefined], ['70Mi', '200Mi'], [53, 9253])],
      { ...critical, hostNetwork: true, serviceAccountName: 'nodelocaldns' },
    ),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'coredns',
    replicas: 2,
    created: 90,
    labels: { 'k8s-app': 'kube-dns' },
    nodes: [master, undefined],
    template: tpl(
      { 'k8s-app': 'kube-dns' },
      [c('coredns', 'coredns/coredns:1.9.3', ['100m', undefined], ['70Mi', '300Mi'], [53, 9153], { args: ['-conf', '/etc/coredns/Corefile'] })],
      { priorityClassName: 'system-cluster-critical', tolerations: TOLERATE_MASTER, serviceAccountName: 'coredns' },
    ),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'calico-kube-controllers',
    replicas: 1,
    created: 125,
    labels: { 'k8s-app': 'calico-kube-controllers' },
    nodes: [master],
    template: tpl({ 'k8s-app': 'calico-kube-controllers' }, [c('calico-kube-controllers', 'calico/kube-controllers:v3.27.0', undefined, undefined)], {
      priorityClassName: 'system-cluster-critical',
      tolerations: TOLERATE_MASTER,
      serviceAccountName: 'calico-kube-controllers',
    }),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'metrics-server',
    replicas: 1,
    created: 700,
    labels: { 'k8s-app': 'metrics-server' },
    template: tpl(
      { 'k8s-app': 'metrics-server' },
      [
        c('metrics-server', 'kubesphere/metrics-server:v0.6.4', ['100m', undefined], ['200Mi', undefined], [4443], {
          args: ['--cert-dir=/tmp', '--secure-port=4443', '--kubelet-insecure-tls'],
        }),
      ],
      { priorityClassName: 'system-cluster-critical', serviceAccountName: 'metrics-server' },
    ),
  });
  const node = b.store.get(T.node, undefined, master)!;
  for (const [component, image, cpu] of [
    ['kube-apiserver', `registry.k8s.io/kube-apiserver:${k8s}`, '250m'],
    ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:${k8s}`, '200m'],
    ['kube-scheduler', `registry.k8s.io/kube-scheduler:${k8s}`, '100m'],
  ] as const) {
    addPod(b, {
      namespace: ns,
      name: `${component}-${master}`,
      template: tpl({ component, tier: 'control-plane' }, [c(component, image, [cpu, undefined], undefined)], {
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      }),
      owner: b.ownerOf(node),
      node: master,
      state: 'Running',
      created: 40,
      annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': component.length.toString(16).repeat(16).slice(0, 32) },
    });
  }
  addService(b, {
    namespace: ns,
    name: 'kube-dns',
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53 },
      { name: 'dns-tcp', port: 53 },
      { name: 'metrics', port: 9153 },
    ],
    created: 90,
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' },
  });
  addService(b, {
    namespace: ns,
    name: 'metrics-server',
    selector: { 'k8s-app': 'metrics-server' },
    ports: [{ name: 'https', port: 443, targetPort: 4443 }],
    created: 700,
    labels: { 'k8s-app': 'metrics-server' },
  });
  addConfigMap(b, {
    namespace: ns,
    name: 'coredns',
    created: 90,
    data: {
      Corefile:
        '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n',
    },
  });
  addConfigMap(b, {
    namespace: ns,
    name: 'kube-proxy',
    created: 60,
    labels: { app: 'kube-proxy' },
    data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nclusterCIDR: 10.233.64.0/18\n' },
  });
  addConfigMap(b, {
    namespace: ns,
    name: 'kubeadm-config',
    created: 30,
    data: {
      ClusterConfiguration: `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: ${k8s}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.233.64.0/18\n  serviceSubnet: 10.233.0.0/18\n`,
    },
  });
  addSecret(b, {
    namespace: ns,
    name: 'bootstrap-token-abcdef',
    type: 'bootstrap.kubernetes.io/token',
    created: 30,
    data: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true' },
  });
}

function seedKubeSphereSystem(b: ClusterBuilder, ksVersion: string, host: boolean): void {
  const ns = 'kubesphere-system';
  const tag = ksVersion;
  addDeployment(b, {
    namespace: ns,
    name: 'ks-apiserver',
    replicas: 1,
    created: 900,
    labels: { app: 'ks-apiserver', tier: 'backend' },
    template: tpl(
      { app: 'ks-apiserver', tier: 'backend' },
      [c('ks-apiserver', `kubesphere/ks-apiserver:${tag}`, ['20m', '1'], ['100Mi', '1Gi'], [9090], { command: ['ks-apiserver', '--logtostderr=true'] })],
      { serviceAccountName: 'kubesphere' },
    ),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'ks-controller-manager',
    replicas: 1,
    created: 905,
    labels: { app: 'ks-controller-manager', tier: 'backend' },
    template: tpl(
      { app: 'ks-controller-manager', tier: 'backend' },
      [c('ks-controller-manager', `kubesphere/ks-controller-manager:${tag}`, ['30m', '1'], ['50Mi', '1000Mi'], [8080, 8443])],
      { serviceAccountName: 'kubesphere' },
    ),
  });
  addService(b, {
    namespace: ns,
    name: 'ks-apiserver',
    selector: { app: 'ks-apiserver', tier: 'backend' },
    ports: [{ name: 'http', port: 80, targetPort: 9090 }],
    created: 900,
    labels: { app: 'ks-apiserver', tier: 'backend' },
  });
  addConfigMap(b, {
    namespace: ns,
    name: 'kubesphere-config',
    created: 900,
    managed: true,
    data: {
      'kubesphere.yaml':
        'authentication:\n  authenticateRateLimiterMaxTries: 10\n  authenticateRateLimiterDuration: 10m0s\n  loginHistoryRetentionPeriod: 168h\n  maximumClockSkew: 10s\n  multipleLogin: True\n  oauthOptions:\n    accessTokenMaxAge: 2h0m0s\n    accessTokenInactivityTimeout: 30m0s\n',
    },
  });
  if (!host) return;
  addDeployment(b, {
    namespace: ns,
    name: 'ks-console',
    replicas: 1,
    created: 910,
    labels: { app: 'ks-console', tier: 'frontend' },
    template: tpl({ app: 'ks-console', tier: 'frontend' }, [c('ks-console', `kubesphere/ks-console:${tag}`, ['20m', '1'], ['100Mi', '1Gi'], [8000])], {
      serviceAccountName: 'kubesphere',
    }),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'redis',
    replicas: 1,
    created: 880,
    labels: { app: 'redis', tier: 'database' },
    template: tpl({ app: 'redis', tier: 'database' }, [c('redis', 'kubesphere/redis:6.2.6-alpine', ['20m', '1'], ['100Mi', '1000Mi'], [6379])]),
  });
  addService(b, {
    namespace: ns,
    name: 'ks-console',
    selector: { app: 'ks-console', tier: 'frontend' },
    ports: [{ name: 'nginx', port: 80, targetPort: 8000, nodePort: 30880 }],
    created: 910,
    type: 'NodePort',
    labels: { app: 'ks-console', tier: 'frontend' },
  });
  addService(b, {
    namespace: ns,
    name: 'redis',
    selector: { app: 'redis', tier: 'database' },
    ports: [{ name: 'redis', port: 6379 }],
    created: 880,
    labels: { app: 'redis', tier: 'database' },
  });
  addSecret(b, {
    namespace: ns,
    name: 'ks-controller-manager-webhook-cert',
    type: 'kubernetes.io/tls',
    created: 905,
    data: { 'ca.crt': 'simulated CA', 'tls.crt': 'simulated certificate', 'tls.key': 'simulated key' },
  });
  if (b.flavour === '4.1') {
    addSecret(b, {
      namespace: ns,
      name: 'oauthclient-kubesphere',
      type: 'config.kubesphere.io/oauthclient',
      created: 900,
      labels: { 'config.kubesphere.io/type': 'oauthclient' },
      data: {
        'configuration.yaml': 'name: kubesphere\nsecret: kubesphere\ntrusted: true\ngrantMethod: auto\nscopeRestrictions: ["full"]\nredirectURIs: ["*"]\n',
      },
    });
  }
}

function seedMonitoring(b: ClusterBuilder): void {
  const ns = 'kubesphere-monitoring-system';
  addStatefulSet(b, {
    namespace: ns,
    name: 'prometheus-k8s',
    replicas: 2,
    created: 1200,
    serviceName: 'prometheus-operated',
    template: tpl(
      { 'app.kubernetes.io/name': 'prometheus', prometheus: 'k8s' },
      [c('prometheus', 'prom/prometheus:v2.39.1', ['200m', '4'], ['400Mi', '16Gi'], [9090])],
      { serviceAccountName: 'prometheus-k8s' },
    ),
    claims: [{ name: 'prometheus-k8s-db', size: '20Gi', storageClass: 'local' }],
  });
  addStatefulSet(b, {
    namespace: ns,
    name: 'alertmanager-main',
    replicas: 1,
    created: 1210,
    serviceName: 'alertmanager-operated',
    template: tpl({ 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'main' }, [
      c('alertmanager', 'prom/alertmanager:v0.23.0', ['20m', '200m'], ['30Mi', '200Mi'], [9093]),
    ]),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'prometheus-operator',
    replicas: 1,
    created: 1100,
    labels: { 'app.kubernetes.io/name': 'prometheus-operator' },
    template: tpl({ 'app.kubernetes.io/name': 'prometheus-operator' }, [
      c('prometheus-operator', 'kubesphere/prometheus-operator:v0.55.1', ['100m', '1'], ['50Mi', '200Mi'], [8080]),
    ]),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'kube-state-metrics',
    replicas: 1,
    created: 1110,
    labels: { 'app.kubernetes.io/name': 'kube-state-metrics' },
    template: tpl({ 'app.kubernetes.io/name': 'kube-state-metrics' }, [
      c('kube-state-metrics', 'kubesphere/kube-state-metrics:v2.6.0', ['100m', '1'], ['150Mi', '400Mi'], [8443]),
    ]),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'notification-manager-operator',
    replicas: 1,
    created: 1120,
    labels: { app: 'notification-manager' },
    template: tpl({ app: 'notification-manager', control: 'controller-manager' }, [
      c('notification-manager-operator', 'kubesphere/notification-manager-operator:v2.3.0', ['5m', '50m'], ['20Mi', '50Mi']),
    ]),
  });
  addDaemonSet(b, {
    namespace: ns,
    name: 'node-exporter',
    created: 1130,
    template: tpl(
      { 'app.kubernetes.io/name': 'node-exporter' },
      [c('node-exporter', 'kubesphere/node-exporter:v1.3.1', ['102m', '1'], ['180Mi', '600Mi'], [9100])],
      { hostNetwork: true, tolerations: TOLERATE_ALL },
    ),
  });
  addService(b, {
    namespace: ns,
    name: 'prometheus-k8s',
    selector: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'k8s' },
    ports: [{ name: 'web', port: 9090 }],
    created: 1200,
    labels: { 'app.kubernetes.io/name': 'prometheus' },
  });
  addService(b, {
    namespace: ns,
    name: 'prometheus-operated',
    selector: { 'app.kubernetes.io/name': 'prometheus' },
    ports: [{ name: 'web', port: 9090 }],
    created: 1200,
    headless: true,
    labels: { 'operated-prometheus': 'true' },
  });
  addService(b, {
    namespace: ns,
    name: 'alertmanager-operated',
    selector: { 'app.kubernetes.io/name': 'alertmanager' },
    ports: [{ name: 'web', port: 9093 }],
    created: 1210,
    headless: true,
    labels: { 'operated-alertmanager': 'true' },
  });
  addSecret(b, {
    namespace: ns,
    name: 'alertmanager-main',
    type: 'Opaque',
    created: 1210,
    data: { 'alertmanager.yaml': 'global:\n  resolve_timeout: 5m\nroute:\n  receiver: default\nreceivers:\n- name: default\n' },
  });
}

function seedLogging(b: ClusterBuilder): void {
  const ns = 'kubesphere-logging-system';
  addDaemonSet(b, {
    namespace: ns,
    name: 'fluent-bit',
    created: 1300,
    template: tpl({ 'app.kubernetes.io/name': 'fluent-bit' }, [c('fluent-bit', 'kubesphere/fluent-bit:v2.0.6', ['10m', '500m'], ['25Mi', '200Mi'], [2020])], {
      tolerations: TOLERATE_ALL,
    }),
  });
  addStatefulSet(b, {
    namespace: ns,
    name: 'opensearch-cluster-master',
    replicas: 3,
    created: 1310,
    template: tpl({ 'app.kubernetes.io/name': 'opensearch', 'app.kubernetes.io/component': 'opensearch-cluster-master' }, [
      c('opensearch', 'opensearchproject/opensearch:2.6.0', ['1', '2'], ['2Gi', '4Gi'], [9200, 9300]),
    ]),
    claims: [{ name: 'opensearch-cluster-master', size: '20Gi', storageClass: 'local' }],
  });
  addDeployment(b, {
    namespace: ns,
    name: 'logsidecar-injector',
    replicas: 2,
    created: 1320,
    labels: { app: 'logsidecar-injector' },
    template: tpl({ app: 'logsidecar-injector' }, [
      c('logsidecar-injector', 'kubesphere/log-sidecar-injector:v1.2.0', ['10m', '100m'], ['10Mi', '100Mi'], [9443]),
    ]),
  });
}

function seedHost(b: ClusterBuilder, facts: FlavourFacts, wsUids: Map<string, string>): void {
  const [master, w1, w2, w3] = DEMO.nodes.host;
  addNode(b, { name: master!, role: 'control-plane', ip: '192.168.0.11', cpu: 4, memoryGi: 8, created: 0, zone: 'zone-a' });
  addNode(b, { name: w1!, role: 'worker', ip: '192.168.0.21', cpu: 8, memoryGi: 16, created: 300, zone: 'zone-a' });
  addNode(b, { name: w2!, role: 'worker', ip: '192.168.0.22', cpu: 8, memoryGi: 16, created: 305, zone: 'zone-b' });
  addNode(b, { name: w3!, role: 'worker', ip: '192.168.0.23', cpu: 8, memoryGi: 16, created: 310, zone: 'zone-b', unhealthy: ['MemoryPressure'] });

  addStorageClass(b, 'local', 'openebs.io/local', 800, true);
  addStorageClass(b, 'csi-standard', 'disk.csi.example.com', 800, false);
  systemNamespaces(b, wsUids, DEMO.namespaces['system-workspace']);
  seedKubeSystem(b, facts.hostKubernetes, master!);
  seedKubeSphereSystem(b, facts.kubeSphereVersion, true);
  seedMonitoring(b);
  seedLogging(b);
  const controls = 'kubesphere-controls-system';
  addDeployment(b, {
    namespace: controls,
    name: 'default-http-backend',
    replicas: 1,
    created: 950,
    labels: { app: 'kubesphere', component: 'kubesphere-router' },
    template: tpl({ app: 'kubesphere', component: 'kubesphere-router' }, [
      c('default-http-backend', 'kubesphere/defaultbackend-amd64:1.4', ['10m', '10m'], ['20Mi', '20Mi'], [8080]),
    ]),
  });
  addDeployment(b, {
    namespace: controls,
    name: 'kubectl-admin',
    replicas: 1,
    created: 960,
    labels: { 'kubesphere.io/username': 'admin' },
    template: tpl(
      { 'kubesphere.io/username': 'admin' },
      [c('kubectl', 'kubesphere/kubectl:v1.26.0', undefined, undefined, undefined, { command: ['sleep', 'infinity'] })],
      { serviceAccountName: 'kubesphere-cluster-admin' },
    ),
  });

  seedDemoApp(b, wsUids);
  seedDemoDb(b, wsUids);
  seedAlpha(b, wsUids);
  seedBeta(b, wsUids);
  seedHostEvents(b);
}

const web = (image: string, port: number, cpu: [string, string] = ['100m', '500m'], mem: [string, string] = ['128Mi', '256Mi']) => [
  c('app', image, cpu, mem, [port]),
];

function seedDemoApp(b: ClusterBuilder, wsUids: Map<string, string>): void {
  const ns = 'demo-app';
  const t0 = 2 * DAY;
  addNamespace(b, ns, t0, {
    workspace: 'demo-workspace',
    workspaceUid: wsUids.get('demo-workspace'),
    alias: DEMO.aliases[ns],
    creator: 'admin',
    description: 'Storefront microservices',
  });
  const d = (name: string, replicas: number, image: string, port: number, offset: number, more: Partial<Parameters<typeof addDeployment>[1]> = {}) =>
    addDeployment(b, {
      namespace: ns,
      name,
      replicas,
      created: t0 + offset,
      creator: 'admin',
      labels: { app: name },
      template: tpl({ app: name, tier: port === 80 ? 'web' : 'backend', version: 'v1' }, web(image, port)),
      ...more,
    });
  const frontend = d('frontend', 8, 'nginx:1.25.3', 80, 600, {
    revisions: 2,
    template: tpl(
      { app: 'frontend', tier: 'web', version: 'v2' },
      [c('nginx', 'nginx:1.25.3', ['100m', '500m'], ['128Mi', '256Mi'], [80], { mounts: [{ name: 'config', mountPath: '/etc/nginx/conf.d' }] })],
      { volumes: [{ name: 'config', configMap: { name: 'frontend-config', defaultMode: 420 } }] },
    ),
  });
  d('backend-api', 5, 'kubesphere/demo-backend:1.4.2', 8080, 700, {
    template: tpl(
      { app: 'backend-api', tier: 'backend', version: 'v1' },
      [
        c('api', 'kubesphere/demo-backend:1.4.2', ['250m', '1'], ['256Mi', '512Mi'], [8080], {
          env: [
            { name: 'DB_HOST', value: 'mysql.demo-db.svc' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'backend-db-credentials', key: 'password' } } },
          ],
          mounts: [{ name: 'uploads', mountPath: '/data/uploads' }],
        }),
      ],
      { volumes: [{ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads' } }] },
    ),
  });
  const cart = d('cart', 3, 'kubesphere/demo-cart:0.9.1', 8080, 800, {
    states: ['CrashLoopBackOff', 'Running', 'Running'],
    restarts: [DEMO.cases.crashLoop.restarts],
  });
  d('catalog', 6, 'kubesphere/demo-catalog:2.1.0', 8080, 900);
  d('orders', 3, 'kubesphere/demo-orders:1.0.3', 8080, 1000, { states: ['OOMKilled', 'Running', 'Running'], restarts: [3] });
  d('search', 4, 'kubesphere/demo-search:0.4.0', 8080, 1100);
  const recommender = d('recommender', 1, 'kubesphere/demo-recommender:2.0.0-rc1', 8080, 20 * DAY, { states: ['ImagePullBackOff'] });
  d('payments', 2, 'kubesphere/demo-payments:3.3.3', 8080, 1200, {
    template: tpl({ app: 'payments', tier: 'backend', version: 'v1' }, [
      c('payments', 'kubesphere/demo-payments:3.3.3', ['200m', '200m'], ['256Mi', '256Mi'], [8080]),
      c('istio-proxy', 'istio/proxyv2:1.14.6', ['10m', '2'], ['40Mi', '1Gi'], [15090]),
    ]),
  });
  d('legacy-worker', 0, 'kubesphere/demo-legacy:0.1.0', 9000, 300);
  for (const [name, port] of [
    ['frontend', 80],
    ['backend-api', 8080],
    ['cart', 8080],
    ['catalog', 8080],
    ['orders', 8080],
    ['search', 8080],
    ['recommender', 8080],
    ['payments', 8080],
  ] as const) {
    addService(b, { namespace: ns, name, selector: { app: name }, ports: [{ name: 'http', port, targetPort: port }], created: t0 + 590, creator: 'admin' });
  }
  addIngress(b, {
    namespace: ns,
    name: 'frontend',
    host: 'shop.demo.example.com',
    tls: 'frontend-tls',
    paths: [
      { path: '/', service: 'frontend', port: 80 },
      { path: '/api', service: 'backend-api', port: 8080 },
    ],
    created: t0 + 1300,
  });
  addHpa(b, { namespace: ns, name: 'frontend', target: 'frontend', min: 3, max: 12, current: 8, cpuUtilisation: 64, created: t0 + 1400 });
  addHpa(b, { namespace: ns, name: 'backend-api', target: 'backend-api', min: 2, max: 8, current: 5, cpuUtilisation: 58, created: t0 + 1410 });
  addConfigMap(b, {
    namespace: ns,
    name: 'frontend-config',
    created: t0 + 500,
    managed: true,
    labels: { app: 'frontend' },
    data: {
      'default.conf': 'server {\n  listen 80;\n  location / { root /usr/share/nginx/html; }\n  location /api { proxy_pass http://backend-api:8080; }\n}\n',
    },
  });
  addConfigMap(b, {
    namespace: ns,
    name: 'backend-config',
    created: t0 + 510,
    managed: true,
    labels: { app: 'backend-api' },
    data: { 'application.yaml': 'server:\n  port: 8080\nfeatures:\n  recommendations: true\n', LOG_LEVEL: 'info' },
  });
  addSecret(b, {
    namespace: ns,
    name: 'frontend-tls',
    type: 'kubernetes.io/tls',
    created: t0 + 520,
    data: {
      'tls.crt': '-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n',
      'tls.key': '-----BEGIN PRIVATE KEY-----\nsimulated\n-----END PRIVATE KEY-----\n',
    },
  });
  addSecret(b, {
    namespace: ns,
    name: 'registry-credentials',
    type: 'kubernetes.io/dockerconfigjson',
    created: t0 + 530,
    data: {
      '.dockerconfigjson': JSON.stringify({
        auths: { 'registry.example.com': { username: 'demo', password: 'not-a-real-password', auth: 'ZGVtbzpub3QtYS1yZWFsLXBhc3N3b3Jk' } },
      }),
    },
  });
  addSecret(b, {
    namespace: ns,
    name: 'backend-db-credentials',
    type: 'Opaque',
    created: t0 + 540,
    labels: { app: 'backend-api' },
    data: { username: 'shop', password: 'S3cr3t-Sh0p' },
  });
  addPvc(b, { namespace: ns, name: 'uploads', size: '5Gi', storageClass: 'local', created: t0 + 550, labels: { app: 'backend-api' } });
  addPvc(b, { namespace: ns, name: DEMO.cases.pendingClaim.pvc, size: '50Gi', storageClass: 'csi-standard', created: 25 * DAY, pending: true });
  const migrateTpl = tpl({ app: 'db-migrate' }, [
    c('migrate', 'kubesphere/demo-backend:1.4.2', ['100m', '500m'], ['128Mi', '256Mi'], undefined, { command: ['/app/migrate', 'up'] }),
  ]);
  addJob(b, { namespace: ns, name: DEMO.cases.completedJob.job, template: migrateTpl, created: t0 + 650, outcome: 'complete', labels: { app: 'db-migrate' } });
  const failed = addJob(b, {
    namespace: ns,
    name: DEMO.cases.failedJob.job,
    template: tpl({ app: 'schema-upgrade' }, [
      c('upgrade', 'kubesphere/demo-backend:1.5.0-beta', ['100m', '500m'], ['128Mi', '256Mi'], undefined, { command: ['/app/migrate', 'up', '--target=42'] }),
    ]),
    created: 27 * DAY,
    outcome: 'failed',
    labels: { app: 'schema-upgrade' },
  });
  addCronJob(b, {
    namespace: ns,
    name: DEMO.cases.cronJob.cronJob,
    schedule: '0 2 * * *',
    created: t0 + 1500,
    template: tpl({ app: 'report-generator' }, [
      c('report', 'kubesphere/demo-reports:1.1.0', ['200m', '1'], ['256Mi', '1Gi'], undefined, { args: ['--daily'] }),
    ]),
    runs: [
      { at: 28 * DAY + 2 * HOUR - 8 * HOUR, outcome: 'complete' },
      { at: 29 * DAY + 2 * HOUR - 8 * HOUR, outcome: 'complete' },
    ],
  });

  const crashPod = cart.pods[0]!;
  addEvent(b, {
    about: crashPod,
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off restarting failed container cart in pod ${crashPod.metadata.name}_${ns}(${crashPod.metadata.uid})`,
    first: 2 * DAY + 900,
    last: 30 * DAY - 60,
    count: 412,
    component: 'kubelet',
    host: crashPod.spec ? ((crashPod.spec as { nodeName?: string }).nodeName ?? '') : '',
    fieldPath: 'spec.containers{app}',
  });
  addEvent(b, {
    about: crashPod,
    type: 'Normal',
    reason: 'Pulled',
    message: 'Container image "kubesphere/demo-cart:0.9.1" already present on machine',
    first: 2 * DAY + 810,
    last: 30 * DAY - 400,
    count: 18,
    component: 'kubelet',
    fieldPath: 'spec.containers{app}',
  });
  const pullPod = recommender.pods[0]!;
  addEvent(b, {
    about: pullPod,
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned ${ns}/${pullPod.metadata.name} to ${(pullPod.spec as { nodeName: string }).nodeName}`,
    first: 20 * DAY + 1,
    component: 'default-scheduler',
  });
  addEvent(b, {
    about: pullPod,
    type: 'Warning',
    reason: 'Failed',
    message:
      'Failed to pull image "kubesphere/demo-recommender:2.0.0-rc1": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/kubesphere/demo-recommender:2.0.0-rc1": not found',
    first: 20 * DAY + 5,
    last: 30 * DAY - 120,
    count: 2211,
    component: 'kubelet',
    fieldPath: 'spec.containers{app}',
  });
  addEvent(b, {
    about: pullPod,
    type: 'Normal',
    reason: 'BackOff',
    message: 'Back-off pulling image "kubesphere/demo-recommender:2.0.0-rc1"',
    first: 20 * DAY + 20,
    last: 30 * DAY - 100,
    count: 48001,
    component: 'kubelet',
    fieldPath: 'spec.containers{app}',
  });
  addEvent(b, {
    about: failed.job,
    type: 'Warning',
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    first: 27 * DAY + 355,
    component: 'job-controller',
  });
  addEvent(b, {
    about: frontend.deployment,
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled up replica set ${frontend.replicaSet.metadata.name} to 8`,
    first: 2 * DAY + 600 + 3 * DAY,
    component: 'deployment-controller',
  });
  addEvent(b, {
    about: frontend.deployment,
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled down replica set frontend-${shortHash(10, ns, 'frontend', '1')} to 0 from 8`,
    first: 2 * DAY + 660 + 3 * DAY,
    component: 'deployment-controller',
  });
}

function seedDemoDb(b: ClusterBuilder, wsUids: Map<string, string>): void {
  const ns = 'demo-db';
  const t0 = 2 * DAY + HOUR;
  addNamespace(b, ns, t0, { workspace: 'demo-workspace', workspaceUid: wsUids.get('demo-workspace'), alias: DEMO.aliases[ns], creator: 'admin' });
  addStatefulSet(b, {
    namespace: ns,
    name: 'mysql',
    replicas: 1,
    created: t0 + 300,
    creator: 'admin',
    template: tpl({ app: 'mysql' }, [
      c('mysql', 'mysql:8.0.36', ['500m', '2'], ['1Gi', '2Gi'], [3306], {
        env: [{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql-root', key: 'password' } } }],
        mounts: [{ name: 'data', mountPath: '/var/lib/mysql' }],
      }),
    ]),
    claims: [{ name: 'data', size: '10Gi', storageClass: 'local' }],
  });
  addStatefulSet(b, {
    namespace: ns,
    name: 'redis',
    replicas: 3,
    created: t0 + 400,
    creator: 'admin',
    template: tpl({ app: 'redis' }, [
      c('redis', 'redis:7.2.4-alpine', ['100m', '500m'], ['128Mi', '512Mi'], [6379], { mounts: [{ name: 'data', mountPath: '/data' }] }),
    ]),
    claims: [{ name: 'data', size: '1Gi', storageClass: 'local' }],
  });
  addService(b, {
    namespace: ns,
    name: 'mysql',
    selector: { app: 'mysql' },
    ports: [{ name: 'mysql', port: 3306 }],
    created: t0 + 300,
    headless: true,
    creator: 'admin',
  });
  addService(b, {
    namespace: ns,
    name: 'redis',
    selector: { app: 'redis' },
    ports: [{ name: 'redis', port: 6379 }],
    created: t0 + 400,
    headless: true,
    creator: 'admin',
  });
  addSecret(b, { namespace: ns, name: 'mysql-root', type: 'Opaque', created: t0 + 200, data: { password: 'R00t-Pa55' } });
  addConfigMap(b, { namespace: ns, name: 'mysql-config', created: t0 + 210, data: { 'my.cnf': '[mysqld]\nmax_connections=500\n' } });
  addCronJob(b, {
    namespace: ns,
    name: 'mysql-backup',
    schedule: '30 3 * * *',
    created: t0 + 600,
    template: tpl({ app: 'mysql-backup' }, [
      c('backup', 'mysql:8.0.36', ['100m', '500m'], ['128Mi', '512Mi'], undefined, { command: ['sh', '-c', 'mysqldump --all-databases > /backup/dump.sql'] }),
    ]),
    runs: [{ at: 29 * DAY + 3 * HOUR + 1800 - 8 * HOUR, outcome: 'complete' }],
  });
}

function seedAlpha(b: ClusterBuilder, wsUids: Map<string, string>): void {
  const t0 = 5 * DAY;
  const ws = { workspace: 'team-alpha', workspaceUid: wsUids.get('team-alpha'), creator: 'alice' };
  addNamespace(b, 'alpha-web', t0, { ...ws, alias: DEMO.aliases['alpha-web'], description: 'Public web tier of team alpha' });
  addNamespace(b, 'alpha-api', t0 + 2 * HOUR, { ...ws, alias: DEMO.aliases['alpha-api'] });
  let ns = 'alpha-web';
  addDeployment(b, {
    namespace: ns,
    name: 'web',
    replicas: 3,
    created: t0 + 600,
    creator: 'alice',
    template: tpl({ app: 'web' }, web('nginx:1.25-alpine', 80)),
  });
  const canary = addDeployment(b, {
    namespace: ns,
    name: 'web-canary',
    replicas: 1,
    created: 29 * DAY,
    creator: 'alice',
    states: ['Pending'],
    template: tpl({ app: 'web-canary', track: 'canary' }, [c('app', 'nginx:1.26-alpine', ['500m', '1'], ['64Gi', '64Gi'], [80])]),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'gateway',
    replicas: 2,
    created: t0 + 700,
    creator: 'alice',
    template: tpl({ app: 'gateway' }, [c('envoy', 'envoyproxy/envoy:v1.29.1', ['100m', '1'], ['64Mi', '256Mi'], [8080, 9901])]),
  });
  addService(b, { namespace: ns, name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }], created: t0 + 600, creator: 'alice' });
  addService(b, {
    namespace: ns,
    name: 'gateway',
    selector: { app: 'gateway' },
    ports: [{ name: 'http', port: 8080, nodePort: 30080 }],
    type: 'NodePort',
    created: t0 + 700,
    creator: 'alice',
  });
  addIngress(b, { namespace: ns, name: 'web', host: 'alpha.example.com', tls: 'web-tls', paths: [{ path: '/', service: 'web', port: 80 }], created: t0 + 800 });
  addHpa(b, { namespace: ns, name: 'web', target: 'web', min: 2, max: 6, current: 3, cpuUtilisation: 41, created: t0 + 900 });
  addConfigMap(b, { namespace: ns, name: 'web-config', created: t0 + 500, managed: true, data: { 'index.html': '<h1>Team Alpha</h1>\n' } });
  addSecret(b, {
    namespace: ns,
    name: 'web-tls',
    type: 'kubernetes.io/tls',
    created: t0 + 510,
    data: { 'tls.crt': 'simulated certificate', 'tls.key': 'simulated key' },
  });
  const pendingPod = canary.pods[0]!;
  addEvent(b, {
    about: pendingPod,
    type: 'Warning',
    reason: 'FailedScheduling',
    message: (pendingPod.status as { conditions: { message: string }[] }).conditions[0]!.message,
    first: 29 * DAY + 2,
    last: 30 * DAY - 30,
    count: 289,
    component: 'default-scheduler',
  });

  ns = 'alpha-api';
  const a0 = t0 + 2 * HOUR;
  const api = addDeployment(b, {
    namespace: ns,
    name: 'api',
    replicas: 3,
    created: a0 + 600,
    creator: 'alice',
    template: tpl({ app: 'api' }, [
      c('api', 'kubesphere/alpha-api:3.2.0', ['200m', '1'], ['256Mi', '512Mi'], [8000], {
        env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'url' } } }],
      }),
    ]),
  });
  addDeployment(b, {
    namespace: ns,
    name: 'worker',
    replicas: 4,
    created: a0 + 650,
    creator: 'alice',
    template: tpl({ app: 'worker' }, [c('worker', 'kubesphere/alpha-worker:3.2.0', ['100m', '500m'], ['128Mi', '512Mi'])]),
  });
  addStatefulSet(b, {
    namespace: ns,
    name: 'postgres',
    replicas: 1,
    created: a0 + 300,
    creator: 'alice',
    template: tpl({ app: 'postgres' }, [
      c('postgres', 'postgres:16.2', ['250m', '1'], ['512Mi', '1Gi'], [5432], { mounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] }),
    ]),
    claims: [{ name: 'data', size: '8Gi', storageClass: 'local' }],
  });
  addJob(b, {
    namespace: ns,
    name: 'seed-data',
    template: tpl({ app: 'seed-data' }, [c('seed', 'kubesphere/alpha-api:3.2.0', ['100m', '500m'], ['128Mi', '256Mi'], undefined, { command: ['/app/seed'] })]),
    created: a0 + 700,
    outcome: 'complete',
    labels: { app: 'seed-data' },
  });
  addService(b, { namespace: ns, name: 'api', selector: { app: 'api' }, ports: [{ name: 'http', port: 8000 }], created: a0 + 600, creator: 'alice' });
  addService(b, {
    namespace: ns,
    name: 'postgres',
    selector: { app: 'postgres' },
    ports: [{ name: 'postgres', port: 5432 }],
    created: a0 + 300,
    headless: true,
    creator: 'alice',
  });
  addSecret(b, {
    namespace: ns,
    name: 'postgres-credentials',
    type: 'Opaque',
    created: a0 + 200,
    data: { username: 'alpha', password: 'Alph4-DB', url: 'postgres://alpha:Alph4-DB@postgres:5432/alpha' },
  });
  addSecret(b, { namespace: ns, name: 'api-token', type: 'Opaque', created: a0 + 210, data: { token: 'alpha-api-token-0001' } });
  addConfigMap(b, { namespace: ns, name: 'api-config', created: a0 + 220, managed: true, data: { 'settings.toml': '[server]\nport = 8000\n' } });
  const apiPod = api.pods[0]!;
  const node = (apiPod.spec as { nodeName: string }).nodeName;
  addEvent(b, {
    about: apiPod,
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned ${ns}/${apiPod.metadata.name} to ${node}`,
    first: a0 + 601,
    component: 'default-scheduler',
  });
  addEvent(b, {
    about: apiPod,
    type: 'Normal',
    reason: 'Pulled',
    message: 'Container image "kubesphere/alpha-api:3.2.0" already present on machine',
    first: a0 + 603,
    component: 'kubelet',
    host: node,
    fieldPath: 'spec.containers{api}',
  });
  addEvent(b, {
    about: apiPod,
    type: 'Normal',
    reason: 'Created',
    message: 'Created container api',
    first: a0 + 604,
    component: 'kubelet',
    host: node,
    fieldPath: 'spec.containers{api}',
  });
  addEvent(b, {
    about: apiPod,
    type: 'Normal',
    reason: 'Started',
    message: 'Started container api',
    first: a0 + 605,
    component: 'kubelet',
    host: node,
    fieldPath: 'spec.containers{api}',
  });
}

function seedBeta(b: ClusterBuilder, wsUids: Map<string, string>): void {
  const ns = 'beta-web';
  const t0 = 7 * DAY;
  addNamespace(b, ns, t0, { workspace: 'team-beta', workspaceUid: wsUids.get('team-beta'), alias: DEMO.aliases[ns], creator: 'bob' });
  addDeployment(b, { namespace: ns, name: 'site', replicas: 3, created: t0 + 600, creator: 'bob', template: tpl({ app: 'site' }, web('httpd:2.4.58', 80)) });
  addDeployment(b, {
    namespace: ns,
    name: 'cms',
    replicas: 2,
    created: t0 + 700,
    creator: 'bob',
    template: tpl({ app: 'cms' }, web('wordpress:6.4.3', 80, ['250m', '1'], ['256Mi', '1Gi'])),
  });
  addService(b, { namespace: ns, name: 'site', selector: { app: 'site' }, ports: [{ name: 'http', port: 80 }], created: t0 + 600, creator: 'bob' });
  addService(b, { namespace: ns, name: 'cms', selector: { app: 'cms' }, ports: [{ name: 'http', port: 80 }], created: t0 + 700, creator: 'bob' });
  addIngress(b, {
    namespace: ns,
    name: 'site',
    host: 'beta.example.com',
    paths: [
      { path: '/', service: 'site', port: 80 },
      { path: '/admin', service: 'cms', port: 80 },
    ],
    created: t0 + 800,
  });
  addConfigMap(b, { namespace: ns, name: 'site-config', created: t0 + 500, data: { 'httpd.conf': 'ServerName beta.example.com\n' } });
  addSecret(b, { namespace: ns, name: 'cms-db', type: 'Opaque', created: t0 + 510, data: { password: 'B3ta-CMS' } });
}

function seedHostEvents(b: ClusterBuilder): void {
  const node = b.store.get(T.node, undefined, DEMO.nodes.warning)!;
  addEvent(b, {
    about: { ...node, metadata: { ...node.metadata, namespace: undefined } } as KObject,
    type: 'Warning',
    reason: 'EvictionThresholdMet',
    message: 'Attempting to reclaim memory',
    first: 29 * DAY + HOUR,
    last: 30 * DAY - 600,
    count: 37,
    component: 'kubelet',
    host: DEMO.nodes.warning,
  });
}

// ---- member cluster --------------------------------------------------------------

function seedMember(b: ClusterBuilder, wsUids: Map<string, string>): void {
  const [master, worker] = DEMO.nodes.member;
  addNode(b, { name: master!, role: 'control-plane', ip: '192.168.10.11', cpu: 4, memoryGi: 8, created: 6 * DAY - 3600 });
  addNode(b, { name: worker!, role: 'worker', ip: '192.168.10.21', cpu: 4, memoryGi: 8, created: 6 * DAY - 3500, unschedulable: true });
  addStorageClass(b, 'local', 'openebs.io/local', 6 * DAY - 3000, true);
  const system = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'kubesphere-system'];
  for (const ns of system) addNamespace(b, ns, 6 * DAY - 3400, { workspace: 'system-workspace', workspaceUid: wsUids.get('system-workspace') });
  const k8s = b.kubeletVersion;
  addDaemonSet(b, {
    namespace: 'kube-system',
    name: 'calico-node',
    created: 6 * DAY - 3300,
    template: tpl({ 'k8s-app': 'calico-node' }, [c('calico-node', 'calico/node:v3.27.0', ['250m', undefined], undefined)], {
      hostNetwork: true,
      tolerations: TOLERATE_ALL,
    }),
  });
  addDaemonSet(b, {
    namespace: 'kube-system',
    name: 'kube-proxy',
    created: 6 * DAY - 3300,
    template: tpl({ 'k8s-app': 'kube-proxy' }, [c('kube-proxy', `registry.k8s.io/kube-proxy:${k8s}`, undefined, undefined)], {
      hostNetwork: true,
      tolerations: TOLERATE_ALL,
    }),
  });
  addDeployment(b, {
    namespace: 'kube-system',
    name: 'coredns',
    replicas: 1,
    created: 6 * DAY - 3300,
    labels: { 'k8s-app': 'kube-dns' },
    nodes: [master],
    template: tpl({ 'k8s-app': 'kube-dns' }, [c('coredns', 'coredns/coredns:1.9.3', ['100m', undefined], ['70Mi', '300Mi'], [53, 9153])], {
      tolerations: TOLERATE_MASTER,
    }),
  });
  seedKubeSphereSystem(b, FLAVOURS[b.flavour].kubeSphereVersion, false);
  const t0 = 8 * DAY;
  const ws = { workspace: 'team-beta', workspaceUid: wsUids.get('team-beta'), creator: 'bob' };
  addNamespace(b, 'beta-edge', t0, { ...ws, alias: 'Beta Edge' });
  addNamespace(b, 'beta-cache', t0 + HOUR, { ...ws, alias: 'Beta Cache' });
  addDeployment(b, {
    namespace: 'beta-edge',
    name: 'edge-gateway',
    replicas: 2,
    created: t0 + 600,
    creator: 'bob',
    template: tpl({ app: 'edge-gateway' }, web('nginx:1.25.3', 80)),
  });
  addDeployment(b, {
    namespace: 'beta-edge',
    name: 'telemetry-collector',
    replicas: 1,
    created: t0 + 700,
    creator: 'bob',
    template: tpl({ app: 'telemetry-collector' }, [c('otel', 'otel/opentelemetry-collector:0.96.0', ['100m', '500m'], ['128Mi', '512Mi'], [4317, 4318])]),
  });
  addService(b, {
    namespace: 'beta-edge',
    name: 'edge-gateway',
    selector: { app: 'edge-gateway' },
    ports: [{ name: 'http', port: 80 }],
    created: t0 + 600,
    creator: 'bob',
  });
  addStatefulSet(b, {
    namespace: 'beta-cache',
    name: 'redis',
    replicas: 1,
    created: t0 + HOUR + 300,
    creator: 'bob',
    template: tpl({ app: 'redis' }, [c('redis', 'redis:7.2.4-alpine', ['100m', '500m'], ['128Mi', '512Mi'], [6379])]),
    claims: [{ name: 'data', size: '2Gi', storageClass: 'local' }],
  });
  addService(b, {
    namespace: 'beta-cache',
    name: 'redis',
    selector: { app: 'redis' },
    ports: [{ name: 'redis', port: 6379 }],
    created: t0 + HOUR + 300,
    headless: true,
    creator: 'bob',
  });
  addConfigMap(b, { namespace: 'beta-edge', name: 'edge-config', created: t0 + 500, data: { region: 'eu-north' } });
}

// ---- IAM -----------------------------------------------------------------------------

const ROLE_RULES = {
  'platform-admin': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
  'platform-regular': [{ apiGroups: ['tenant.kubesphere.io'], resources: ['workspaces', 'workspacetemplates'], verbs: ['get', 'list'] }],
  'platform-self-provisioner': [{ apiGroups: ['tenant.kubesphere.io'], resources: ['workspaces', 'workspacetemplates'], verbs: ['create'] }],
  'users-manager': [{ apiGroups: ['iam.kubesphere.io'], resources: ['users', 'users/loginrecords'], verbs: ['*'] }],
};

const WS_ROLES = ['admin', 'regular', 'self-provisioner', 'viewer'] as const;

function seedIam(host: ClusterBuilder, member: ClusterBuilder): void {
  const b = host;
  const users = Object.values(DEMO.users);
  users.forEach((u, i) => {
    const created = u.username === 'admin' ? 900 : (3 + i) * DAY;
    const disabled = 'disabled' in u && u.disabled;
    b.add(T.user, {
      metadata: b.meta(T.user, undefined, u.username, created, {
        generation: 2,
        annotations: {
          'iam.kubesphere.io/last-password-change-time': isoAt(created + 60),
          'iam.kubesphere.io/password-encrypted': 'true',
          ...(u.username !== 'admin' ? { 'kubesphere.io/creator': 'admin' } : {}),
        },
        finalizers: ['finalizers.kubesphere.io/users'],
      }),
      spec: {
        email: u.email,
        lang: 'en',
        ...(u.username !== 'admin'
          ? { displayName: u.username[0]!.toUpperCase() + u.username.slice(1), description: `${u.username}'s account` }
          : { description: 'Platform administrator' }),
      },
      status: disabled
        ? { state: 'Disabled', lastTransitionTime: isoAt(created + 10 * DAY) }
        : { state: 'Active', lastTransitionTime: isoAt(created + 60), lastLoginTime: isoAt(30 * DAY - 3600 * (i + 1)) },
    });
  });
  if (b.flavour === '4.1') seedRoleTemplates(b);
  Object.entries(ROLE_RULES).forEach(([name, rules], i) => {
    b.add(T.globalrole, {
      metadata: b.meta(T.globalrole, undefined, name, 890 + i, {
        annotations: {
          'kubesphere.io/creator': 'system',
          'kubesphere.io/alias-name': name
            .split('-')
            .map((w) => w[0]!.toUpperCase() + w.slice(1))
            .join(' '),
        },
      }),
      // v1beta1 GlobalRoles name their RoleTemplates; v1alpha2 has no such field.
      ...(b.flavour === '4.1' && GLOBAL_ROLE_TEMPLATES[name] ? { aggregationRoleTemplates: { templateNames: GLOBAL_ROLE_TEMPLATES[name] } } : {}),
      rules,
    });
  });
  for (const u of users) {
    b.add(T.globalrolebinding, {
      metadata: b.meta(T.globalrolebinding, undefined, `${u.username}-${u.globalRole}`, 900, { labels: { 'iam.kubesphere.io/user-ref': u.username } }),
      roleRef: { apiGroup: 'iam.kubesphere.io', kind: 'GlobalRole', name: u.globalRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: u.username }],
    });
  }
  for (const ws of DEMO.workspaces) {
    const tplObj = b.store.get(T.workspacetemplate, undefined, ws)!;
    const created = Date.parse(tplObj.metadata.creationTimestamp!) / 1000 - Date.parse(isoAt(0)) / 1000 + 10;
    for (const role of WS_ROLES) {
      b.add(T.workspacerole, {
        metadata: b.meta(T.workspacerole, undefined, `${ws}-${role}`, created, {
          labels: { 'kubesphere.io/workspace': ws },
          annotations: {
            'kubesphere.io/creator': 'system',
            'iam.kubesphere.io/aggregation-roles': JSON.stringify(
              role === 'admin' ? ['role-template-manage-members', 'role-template-manage-projects'] : ['role-template-view-projects'],
            ),
          },
        }),
        rules:
          role === 'admin' ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] : [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
      });
    }
    const manager = MANAGER[ws]!;
    for (const [user, role] of [[manager, `${ws}-admin`]] as const) {
      b.add(T.workspacerolebinding, {
        metadata: b.meta(T.workspacerolebinding, undefined, `${user}-${role}`, created + 5, {
          labels: { 'iam.kubesphere.io/user-ref': user, 'kubesphere.io/workspace': ws },
        }),
        roleRef: { apiGroup: 'iam.kubesphere.io', kind: 'WorkspaceRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      });
    }
  }
  for (const builder of [host, member]) {
    for (const name of ['cluster-admin', 'cluster-viewer']) {
      builder.add(T.clusterrole, {
        metadata: builder.meta(T.clusterrole, undefined, name, 50, {
          labels: name === 'cluster-admin' ? { 'kubernetes.io/bootstrapping': 'rbac-defaults' } : {},
          annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
        }),
        rules:
          name === 'cluster-admin'
            ? [
                { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
                { nonResourceURLs: ['*'], verbs: ['*'] },
              ]
            : [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
      });
    }
    builder.add(T.clusterrolebinding, {
      metadata: builder.meta(T.clusterrolebinding, undefined, 'admin-cluster-admin', 950, { labels: { 'iam.kubesphere.io/user-ref': 'admin' } }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'admin' }],
    });
    // Project members: the creator of each workspace project is its admin.
    for (const ns of builder.store.list(T.namespace)) {
      const creator = ns.metadata.annotations?.['kubesphere.io/creator'];
      if (!creator || !ns.metadata.labels?.['kubesphere.io/workspace']) continue;
      addProjectRoles(builder, ns, creator);
    }
  }
}
