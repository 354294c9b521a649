/**
 * The kinds the simulator serves, with their discovery facts, and which
 * plural names the `resources.kubesphere.io/v1alpha3` getter table knows per
 * flavour. KubeSphere's own CRDs change group version between 3.4 and 4.1.
 */
import type { Flavour } from './types.ts';

export interface ResourceType {
  /** Storage key, independent of version: `group/plural` (`/pods` for core). */
  id: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** KubeSphere global objects (users, workspace templates, clusters) live on the host cluster only. */
  hostOnly?: boolean;
}

type Def = Omit<ResourceType, 'id' | 'version'> & { version: string | Record<Flavour, string> };

const ALL = ['all'];

const DEFS: Def[] = [
  { group: '', version: 'v1', plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ALL },
  { group: '', version: 'v1', plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ALL },
  { group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
  },
  { group: '', version: 'v1', plural: 'persistentvolumes', singular: 'persistentvolume', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'] },
  { group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ALL,
  },
  { group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ALL },
  {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ALL,
  },
  { group: 'apps', version: 'v1', plural: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ALL },
  { group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', kind: 'Job', namespaced: true, categories: ALL },
  { group: 'batch', version: 'v1', plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ALL },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true, shortNames: ['ing'] },
  {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ALL,
  },
  { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', singular: 'storageclass', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', singular: 'role', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
  {
    group: 'iam.kubesphere.io',
    version: { '3.4': 'v1alpha2', '4.1': 'v1beta1' },
    plural: 'users',
    singular: 'user',
    kind: 'User',
    namespaced: false,
    hostOnly: true,
  },
  {
    group: 'iam.kubesphere.io',
    version: { '3.4': 'v1alpha2', '4.1': 'v1beta1' },
    plural: 'globalroles',
    singular: 'globalrole',
    kind: 'GlobalRole',
    namespaced: false,
    hostOnly: true,
  },
  {
    group: 'iam.kubesphere.io',
    version: { '3.4': 'v1alpha2', '4.1': 'v1beta1' },
    plural: 'globalrolebindings',
    singular: 'globalrolebinding',
    kind: 'GlobalRoleBinding',
    namespaced: false,
    hostOnly: true,
  },
  {
    group: 'iam.kubesphere.io',
    version: { '3.4': 'v1alpha2', '4.1': 'v1beta1' },
    plural: 'workspaceroles',
    singular: 'workspacerole',
    kind: 'WorkspaceRole',
    namespaced: false,
    hostOnly: true,
  },
  {
    group: 'iam.kubesphere.io',
    version: { '3.4': 'v1alpha2', '4.1': 'v1beta1' },
    plural: 'workspacerolebindings',
    singular: 'workspacerolebinding',
    kind: 'WorkspaceRoleBinding',
    namespaced: false,
    hostOnly: true,
  },
  {
    group: 'tenant.kubesphere.io',
    version: { '3.4': 'v1alpha2', '4.1': 'v1beta1' },
    plural: 'workspacetemplates',
    singular: 'workspacetemplate',
    kind: 'WorkspaceTemplate',
    namespaced: false,
    hostOnly: true,
  },
  {
    group: 'tenant.kubesphere.io',
    version: { '3.4': 'v1alpha1', '4.1': 'v1beta1' },
    plural: 'workspaces',
    singular: 'workspace',
    kind: 'Workspace',
    namespaced: false,
  },
  { group: 'cluster.kubesphere.io', version: 'v1alpha1', plural: 'clusters', singular: 'cluster', kind: 'Cluster', namespaced: false, hostOnly: true },
];

export const typeId = (group: string, plural: string) => `${group}/${plural}`;

/** Storage keys of the kinds the simulator serves. */
export const T = {
  node: typeId('', 'nodes'),
  namespace: typeId('', 'namespaces'),
  pod: typeId('', 'pods'),
  service: typeId('', 'services'),
  configmap: typeId('', 'configmaps'),
  secret: typeId('', 'secrets'),
  serviceaccount: typeId('', 'serviceaccounts'),
  pvc: typeId('', 'persistentvolumeclaims'),
  pv: typeId('', 'persistentvolumes'),
  event: typeId('', 'events'),
  deployment: typeId('apps', 'deployments'),
  replicaset: typeId('apps', 'replicasets'),
  statefulset: typeId('apps', 'statefulsets'),
  daemonset: typeId('apps', 'daemonsets'),
  job: typeId('batch', 'jobs'),
  cronjob: typeId('batch', 'cronjobs'),
  ingress: typeId('networking.k8s.io', 'ingresses'),
  hpa: typeId('autoscaling', 'horizontalpodautoscalers'),
  storageclass: typeId('storage.k8s.io', 'storageclasses'),
  role: typeId('rbac.authorization.k8s.io', 'roles'),
  rolebinding: typeId('rbac.authorization.k8s.io', 'rolebindings'),
  clusterrole: typeId('rbac.authorization.k8s.io', 'clusterroles'),
  clusterrolebinding: typeId('rbac.authorization.k8s.io', 'clusterrolebindings'),
  user: typeId('iam.kubesphere.io', 'users'),
  globalrole: typeId('iam.kubesphere.io', 'globalroles'),
  globalrolebinding: typeId('iam.kubesphere.io', 'globalrolebindings'),
  workspacerole: typeId('iam.kubesphere.io', 'workspaceroles'),
  workspacerolebinding: typeId('iam.kubesphere.io', 'workspacerolebindings'),
  workspacetemplate: typeId('tenant.kubesphere.io', 'workspacetemplates'),
  workspace: typeId('tenant.kubesphere.io', 'workspaces'),
  cluster: typeId('cluster.kubesphere.io', 'clusters'),
} as const;

export class ResourceRegistry {
  readonly flavour: Flavour;
  readonly types: ResourceType[];
  private readonly byId = new Map<string, ResourceType>();
  private readonly byGroupVersion = new Map<string, Map<string, ResourceType>>();

  constructor(flavour: Flavour) {
    this.flavour = flavour;
    this.types = DEFS.map((d) => {
      const version = typeof d.version === 'string' ? d.version : d.version[flavour];
      return { ...d, version, id: typeId(d.group, d.plural) };
    });
    for (const t of this.types) {
      this.byId.set(t.id, t);
      const gv = `${t.group}/${t.version}`;
      if (!this.byGroupVersion.has(gv)) this.byGroupVersion.set(gv, new Map());
      this.byGroupVersion.get(gv)!.set(t.plural, t);
    }
  }

  get(id: string): ResourceType {
    const t = this.byId.get(id);
    if (!t) throw new Error(`unknown resource type ${id}`);
    return t;
  }

  /** Resolves `/apis/{group}/{version}/{plural}` (group '' for `/api/v1`). */
  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGroupVersion.get(`${group}/${version}`)?.get(plural);
  }

  groupVersionResources(group: string, version: string): ResourceType[] | undefined {
    const m = this.byGroupVersion.get(`${group}/${version}`);
    return m ? [...m.values()] : undefined;
  }

  /** Groups in discovery order (core first, then as declared), each with its versions. */
  groups(): { name: string; versions: string[] }[] {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      if (t.group === '') continue;
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return [...out].map(([name, versions]) => ({ name, versions }));
  }

  apiVersionOf(t: ResourceType): string {
    return t.group ? `${t.group}/${t.version}` : t.version;
  }
}

/**
 * `resources.kubesphere.io/v1alpha3` getter tables (api doc §4.4). 3.4 sends
 * names missing there to its v1alpha2 fallback (cronjobs, HPAs, storage
 * classes here); 4.1 has cronjobs and HPAs as real getters and no fallback.
 * Neither has replicasets or controllerrevisions: clients read those natively
 * (release-3.4:pkg/models/resources/v1alpha3/resource/resource.go,
 * release-3.4:pkg/models/resources/v1alpha2/resource/resources.go,
 * release-4.1:pkg/models/resources/v1alpha3/resource/resource.go).
 */
const V1ALPHA3_NAMESPACED = [
  'deployments',
  'daemonsets',
  'statefulsets',
  'services',
  'configmaps',
  'secrets',
  'pods',
  'serviceaccounts',
  'ingresses',
  'jobs',
  'persistentvolumeclaims',
  'roles',
  'rolebindings',
];
const V1ALPHA3_CLUSTER = [
  'nodes',
  'namespaces',
  'persistentvolumes',
  'workspaces',
  'workspacetemplates',
  'globalroles',
  'workspaceroles',
  'users',
  'globalrolebindings',
  'workspacerolebindings',
  'clusterroles',
  'clusterrolebindings',
  'clusters',
];
const V1ALPHA3_EXTRA: Record<Flavour, { namespaced: string[]; cluster: string[] }> = {
  '3.4': { namespaced: [], cluster: [] },
  '4.1': { namespaced: ['cronjobs', 'horizontalpodautoscalers'], cluster: [] },
};
/** 3.4's v1alpha2 searchers the simulator has objects for; storage classes are cluster-scoped only there (`clusterResources`). */
const V1ALPHA2_FALLBACK: Record<Flavour, { namespaced: string[]; cluster: string[] }> = {
  '3.4': { namespaced: ['cronjobs', 'horizontalpodautoscalers'], cluster: ['storageclasses'] },
  '4.1': { namespaced: [], cluster: [] },
};

const GROUP_OF: Record<string, string> = {};
for (const d of DEFS) GROUP_OF[d.plural] ??= d.group;

export interface V1alpha3Route {
  type: string;
  /** Served by 3.x's v1alpha2 fallback rather than a v1alpha3 getter. */
  fallback: boolean;
}

function pick(table: { namespaced: string[]; cluster: string[] }, plural: string, namespaced: boolean): boolean {
  if (!namespaced && table.cluster.includes(plural)) return true;
  return table.namespaced.includes(plural);
}

/**
 * Which stored type a v1alpha3 `{resources}` name means, mirroring
 * `TryResource`: at cluster scope cluster getters win, then namespaced ones
 * (listing across namespaces); under `namespaces/{ns}` only namespaced ones.
 * Only when the v1alpha3 table has no getter does 3.x try the fallback.
 */
export function v1alpha3Route(flavour: Flavour, plural: string, namespaced: boolean): V1alpha3Route | undefined {
  const extra = V1ALPHA3_EXTRA[flavour];
  const v1alpha3 = { namespaced: [...V1ALPHA3_NAMESPACED, ...extra.namespaced], cluster: [...V1ALPHA3_CLUSTER, ...extra.cluster] };
  if (pick(v1alpha3, plural, namespaced)) return { type: typeId(GROUP_OF[plural]!, plural), fallback: false };
  if (pick(V1ALPHA2_FALLBACK[flavour], plural, namespaced)) return { type: typeId(GROUP_OF[plural]!, plural), fallback: true };
  return undefined;
}
