/** Nodes and namespaces (with the ServiceAccount and root-CA ConfigMap every namespace gets). */
import type { KObject } from '../types.ts';
import { base64, isoAt, uidFor } from '../det.ts';
import { T } from '../resources.ts';
import { sha256, type ClusterBuilder, type NodeDef, type Owner } from './core.ts';

export function addNode(b: ClusterBuilder, def: NodeDef): KObject {
  const index = b.placeNode(def.name, def.role === 'worker');
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': def.name,
    'kubernetes.io/os': 'linux',
  };
  if (def.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node-role.kubernetes.io/master'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  } else {
    labels['node-role.kubernetes.io/worker'] = '';
  }
  if (def.zone) labels['topology.kubernetes.io/zone'] = def.zone;
  const taints: { key: string; effect: string; timeAdded?: string }[] = [];
  if (def.role === 'control-plane') taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  if (def.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: isoAt(def.created + 20 * 86400) });
  const bad = new Set(def.unhealthy ?? []);
  if (bad.has('MemoryPressure')) taints.push({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: isoAt(29 * 86400) });
  const beat = isoAt(30 * 86400 - 37 - index);
  const cond = (type: string, good: 'True' | 'False', reason: string, message: string, badReason: string, badMessage: string) => {
    const isBad = bad.has(type);
    return {
      type,
      status: isBad ? (good === 'True' ? 'False' : 'True') : good,
      lastHeartbeatTime: beat,
      lastTransitionTime: isoAt(isBad ? 29 * 86400 + 3600 : def.created + 40),
      reason: isBad ? badReason : reason,
      message: isBad ? badMessage : message,
    };
  };
  const memKi = def.memoryGi * 1024 * 1024 - 102400;
  const body = {
    metadata: b.meta(T.node, undefined, def.name, def.created, {
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'projectcalico.org/IPv4Address': `${def.ip}/24`,
        'projectcalico.org/IPv4IPIPTunnelAddr': `10.233.${64 + index}.0`,
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    }),
    spec: {
      podCIDR: `10.233.${64 + (index % 190)}.0/24`,
      podCIDRs: [`10.233.${64 + (index % 190)}.0/24`],
      ...(taints.length ? { taints } : {}),
      ...(def.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: {
        cpu: String(def.cpu),
        'ephemeral-storage': '102350Mi',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${def.memoryGi * 1024 * 1024}Ki`,
        pods: '110',
      },
      allocatable: {
        cpu: def.role === 'control-plane' ? `${def.cpu * 1000 - 200}m` : `${def.cpu * 1000 - 100}m`,
        'ephemeral-storage': '96589578081',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${memKi}Ki`,
        pods: '110',
      },
      conditions: [
        cond('NetworkUnavailable', 'False', 'CalicoIsUp', 'Calico is running on this node', 'CalicoIsDown', 'Calico is not running on this node'),
        cond(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
          'KubeletHasInsufficientMemory',
          'kubelet has insufficient memory available',
        ),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'KubeletHasDiskPressure', 'kubelet has disk pressure'),
        cond(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
          'KubeletHasInsufficientPID',
          'kubelet has insufficient PID available',
        ),
        cond(
          'Ready',
          'True',
          'KubeletReady',
          'kubelet is posting ready status. AppArmor enabled',
          'KubeletNotReady',
          'PLEG is not healthy: pleg was last seen active 3m12s ago; threshold is 3m0s',
        ),
      ],
      addresses: [
        { type: 'InternalIP', address: def.ip },
        { type: 'Hostname', address: def.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: sha256('machine', b.cluster, def.name).slice(0, 32),
        systemUUID: uidFor('system-uuid', b.cluster, def.name).toUpperCase(),
        bootID: uidFor('boot', b.cluster, def.name),
        kernelVersion: '5.15.0-105-generic',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.13',
        kubeletVersion: b.kubeletVersion,
        kubeProxyVersion: b.kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
  return b.add(T.node, body);
}

export function addNamespace(
  b: ClusterBuilder,
  name: string,
  created: number,
  opts: { workspace?: string; alias?: string; creator?: string; description?: string; workspaceUid?: string } = {},
): KObject {
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
  if (opts.workspace) {
    labels['kubesphere.io/namespace'] = name;
    labels['kubesphere.io/workspace'] = opts.workspace;
  }
  const annotations: Record<string, string> = {};
  if (opts.alias) annotations['kubesphere.io/alias-name'] = opts.alias;
  if (opts.creator) annotations['kubesphere.io/creator'] = opts.creator;
  if (opts.description) annotations['kubesphere.io/description'] = opts.description;
  const owners: Owner[] = [];
  if (opts.workspace && opts.workspaceUid) {
    owners.push({ apiVersion: b.apiVersion(T.workspace), kind: 'Workspace', name: opts.workspace, uid: opts.workspaceUid });
  }
  const ns = b.add(T.namespace, {
    metadata: b.meta(T.namespace, undefined, name, created, {
      labels,
      annotations,
      owners,
      finalizers: opts.workspace ? ['finalizers.kubesphere.io/namespaces'] : [],
      managedBy: opts.creator ? 'ks-console' : undefined,
    }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  b.add(T.serviceaccount, { metadata: b.meta(T.serviceaccount, name, 'default', created) });
  b.add(T.configmap, {
    metadata: b.meta(T.configmap, name, 'kube-root-ca.crt', created, {
      annotations: {
        'kubernetes.io/description':
          'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
      },
    }),
    data: { 'ca.crt': `-----BEGIN CERTIFICATE-----\n${base64(`simulated cluster CA of ${b.cluster}`)}\n-----END CERTIFICATE-----\n` },
  });
  return ns;
}
