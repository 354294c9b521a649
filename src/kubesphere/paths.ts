/**
 * The only place that builds upstream URLs. Every name that came from a
 * query is checked against Kubernetes grammar before it becomes a path
 * segment, and only documented query parameters are ever emitted: KubeSphere
 * 3.x treats an unknown parameter as a filter that matches nothing.
 */
import { badUserInput } from '../errors.ts';
import { splitRequirements } from '../model/selector.ts';

/** Which KubeSphere API generation the upstream speaks (from `/kapis/version`). */
export type ApiFamily = 'v3' | 'v4';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESOURCE_PLURAL = /^[a-z][a-z0-9]*$/;

/** Validates an object name (DNS-1123 subdomain, at most 253 characters). */
export function objectName(value: string, what = 'name'): string {
  if (value.length === 0 || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw badUserInput(
      `Invalid ${what} ${JSON.stringify(truncate(value))}: must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters).`,
    );
  }
  return value;
}

/** Validates a namespace or cluster name (DNS-1123 label, at most 63 characters). */
export function labelName(value: string, what: string): string {
  if (value.length === 0 || value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw badUserInput(
      `Invalid ${what} ${JSON.stringify(truncate(value))}: must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters).`,
    );
  }
  return value;
}

export const namespaceName = (value: string) => labelName(value, 'namespace');
export const clusterName = (value: string) => labelName(value, 'cluster');

/** Validates a lowercase resource plural such as `deployments` (never a path). */
export function resourcePlural(value: string): string {
  if (value.length > 63 || !RESOURCE_PLURAL.test(value)) throw badUserInput(`Invalid resource kind ${JSON.stringify(truncate(value))}.`);
  return value;
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

// Label keys: optional DNS subdomain prefix, then a name of at most 63 characters.
const LABEL_KEY = String.raw`(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`;
const LABEL_VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?`;
const SELECTOR_REQUIREMENT = new RegExp(
  String.raw`^\s*(?:!\s*${LABEL_KEY}|${LABEL_KEY}\s*(?:(?:==|=|!=)\s*${LABEL_VALUE}|\s+(?:in|notin)\s*\(\s*${LABEL_VALUE}(?:\s*,\s*${LABEL_VALUE})*\s*\))?)\s*$`,
);

/** Validates a Kubernetes label selector such as `app=web,tier in (a,b),!canary`. */
export function labelSelector(value: string): string {
  if (value.length > 1024 || splitRequirements(value).some((part) => !SELECTOR_REQUIREMENT.test(part))) {
    throw badUserInput(`Invalid label selector ${JSON.stringify(truncate(value))}.`);
  }
  return value;
}

/** Where a request goes: the host cluster, or a member cluster by name. */
export interface Target {
  family: ApiFamily;
  cluster?: string | null | undefined;
}

/**
 * Prefixes a path with the member-cluster segment: 3.x puts it after the API
 * root (`/kapis/clusters/c/...`), 4.x in front (`/clusters/c/kapis/...`).
 */
function withCluster(target: Target, root: 'api' | 'apis' | 'kapis', rest: string[]): string {
  const segments = rest.map((s) => encodeURIComponent(s));
  if (!target.cluster) return `/${root}/${segments.join('/')}`;
  const cluster = encodeURIComponent(clusterName(target.cluster));
  return target.family === 'v4' ? `/clusters/${cluster}/${root}/${segments.join('/')}` : `/${root}/clusters/${cluster}/${segments.join('/')}`;
}

/** `/kapis/{group}/{version}/...`, cluster-routed. */
export function kapis(target: Target, group: string, version: string, ...segments: string[]): string {
  return withCluster(target, 'kapis', [group, version, ...segments]);
}

/** Kubernetes-native `/api/v1/...` or `/apis/{group}/{version}/...`, cluster-routed. */
export function native(target: Target, apiVersion: string, ...segments: string[]): string {
  return apiVersion.includes('/')
    ? withCluster(target, 'apis', [...apiVersion.split('/'), ...segments])
    : withCluster(target, 'api', [apiVersion, ...segments]);
}

const API_GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const API_VERSION = /^v[1-9][0-9]{0,2}(?:(?:alpha|beta)[1-9][0-9]{0,2})?$/;

/**
 * Validates a Kubernetes `apiVersion`: `v1` (core) or `{group}/{version}`,
 * where the group is a dotted DNS subdomain (`apps` and the like are the
 * only single-label groups) and the version is `v1`, `v1beta2`, ...
 */
export function apiVersion(value: string): string {
  const slash = value.indexOf('/');
  const group = slash === -1 ? '' : value.slice(0, slash);
  const version = slash === -1 ? value : value.slice(slash + 1);
  const groupOk = slash === -1 ? version === 'v1' : group.length <= 253 && (API_GROUP.test(group) || SINGLE_LABEL_GROUPS.has(group));
  if (!groupOk || !API_VERSION.test(version)) {
    throw badUserInput(
      `Invalid apiVersion ${JSON.stringify(truncate(value))}: use \`v1\` or \`<group>/<version>\`, for example \`apps/v1\` or \`iam.kubesphere.io/v1beta1\`.`,
    );
  }
  return value;
}

/** The built-in API groups whose names have no dot. */
const SINGLE_LABEL_GROUPS = new Set(['apps', 'batch', 'autoscaling', 'policy', 'extensions']);

/** A Kubernetes-native object or list path: `/api/v1/...` or `/apis/{group}/{version}/...`, cluster-routed. */
export function nativeResource(target: Target, version: string, ref: ResourceRef): string {
  const segments: string[] = [];
  if (ref.namespace) segments.push('namespaces', namespaceName(ref.namespace));
  segments.push(resourcePlural(ref.resource));
  if (ref.name !== undefined) segments.push(objectName(ref.name));
  return native(target, apiVersion(version), ...segments);
}

/** Paths that need no cluster and no token. */
export const VERSION_PATH = '/kapis/version';
export const OAUTH_TOKEN_PATH = '/oauth/token';
/** GET on 3.1+ and 4.x (there is no `/oauth/revoke`): revokes the bearer's tokens. */
export const OAUTH_LOGOUT_PATH = '/oauth/logout';

export interface ResourceRef {
  /** Lowercase plural, e.g. `pods`. */
  resource: string;
  namespace?: string | null | undefined;
  name?: string | undefined;
}

/** `resources.kubesphere.io/v1alpha3` list or get. */
export function resourcesV1alpha3(target: Target, ref: ResourceRef): string {
  const segments: string[] = [];
  if (ref.namespace) segments.push('namespaces', namespaceName(ref.namespace));
  segments.push(resourcePlural(ref.resource));
  if (ref.name !== undefined) segments.push(objectName(ref.name));
  return kapis(target, 'resources.kubesphere.io', 'v1alpha3', ...segments);
}

/** Tenant (workspaces, projects) paths: v1alpha2 on 3.x, v1beta1 on 4.x. */
export function tenant(target: Target, ...segments: string[]): string {
  return kapis(target, 'tenant.kubesphere.io', target.family === 'v4' ? 'v1beta1' : 'v1alpha2', ...segments);
}

/** IAM (users, members) paths: v1alpha2 on 3.x, v1beta1 on 4.x. */
export function iam(target: Target, ...segments: string[]): string {
  return kapis(target, 'iam.kubesphere.io', target.family === 'v4' ? 'v1beta1' : 'v1alpha2', ...segments);
}

export const workspaceName = (value: string) => labelName(value, 'workspace');
export const username = (value: string) => objectName(value, 'username');

/** `tenant.../workspaces/{ws}[/...]`, with the workspace name validated. */
export function tenantWorkspace(target: Target, workspace: string, ...segments: string[]): string {
  return tenant(target, 'workspaces', workspaceName(workspace), ...segments);
}

/** 4.x `tenant.../v1beta1/workspacetemplates[/{ws}]`: the templates, which carry the placement. */
export function tenantWorkspaceTemplates(target: Target, workspace?: string): string {
  return kapis(target, 'tenant.kubesphere.io', 'v1beta1', 'workspacetemplates', ...(workspace === undefined ? [] : [workspaceName(workspace)]));
}

/** `iam.../users/{name}`, with the username validated. */
export function iamUser(target: Target, name: string): string {
  return iam(target, 'users', username(name));
}

/** `iam.../workspaces/{ws}/workspacemembers`. */
export function iamWorkspaceMembers(target: Target, workspace: string): string {
  return iam(target, 'workspaces', workspaceName(workspace), 'workspacemembers');
}

/** The query parameters of KubeSphere's list API (§4.2); nothing else is ever sent. */
export interface ListQuery {
  page?: number | null | undefined;
  limit?: number | null | undefined;
  sortBy?: string | null | undefined;
  ascending?: boolean | null | undefined;
  name?: string | null | undefined;
  names?: readonly string[] | null | undefined;
  labelSelector?: string | null | undefined;
  namespace?: string | null | undefined;
  ownerKind?: string | null | undefined;
  ownerReference?: string | null | undefined;
  nodeName?: string | null | undefined;
  status?: string | null | undefined;
  /** Pods only: the raw `status.phase`. */
  phase?: string | null | undefined;
}

const SORT_FIELDS = new Set(['creationTimestamp', 'createTime', 'name', 'updateTime']);
const OWNER_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Deployment', 'Workspace']);
const STATUS_VALUE = /^[A-Za-z]{1,32}$/;
const UID = /^[0-9a-fA-F-]{1,64}$/;
/** A `name` filter is a substring, so any printable text within reason goes. */
const NAME_FILTER = /^\P{Cc}{1,253}$/u;

/** Builds the query string for a list call, validating every value. */
export function listQuery(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.limit !== undefined && query.limit !== null) {
    params.set('limit', String(query.limit));
    if (query.page !== undefined && query.page !== null) params.set('page', String(query.page));
  }
  if (query.sortBy) {
    if (!SORT_FIELDS.has(query.sortBy))
      throw badUserInput(`Invalid sortBy ${JSON.stringify(truncate(query.sortBy))}: use creationTimestamp, name or updateTime.`);
    params.set('sortBy', query.sortBy);
  }
  if (query.ascending !== undefined && query.ascending !== null) params.set('ascending', String(query.ascending));
  if (query.name) {
    if (!NAME_FILTER.test(query.name)) throw badUserInput('Invalid name filter: at most 253 printable characters.');
    params.set('name', query.name);
  }
  if (query.names) params.set('names', query.names.map((n) => objectName(n)).join(','));
  if (query.labelSelector) params.set('labelSelector', labelSelector(query.labelSelector));
  if (query.namespace) params.set('namespace', namespaceName(query.namespace));
  if (query.ownerKind) {
    if (!OWNER_KINDS.has(query.ownerKind)) throw badUserInput(`Invalid ownerKind ${JSON.stringify(truncate(query.ownerKind))}.`);
    params.set('ownerKind', query.ownerKind);
  }
  if (query.ownerReference) {
    if (!UID.test(query.ownerReference)) throw badUserInput('Invalid ownerReference: must be a UID.');
    params.set('ownerReference', query.ownerReference);
  }
  if (query.nodeName) params.set('nodeName', objectName(query.nodeName, 'nodeName'));
  if (query.status) {
    if (!STATUS_VALUE.test(query.status)) throw badUserInput(`Invalid status filter ${JSON.stringify(truncate(query.status))}.`);
    params.set('status', query.status);
  }
  if (query.phase) {
    if (!STATUS_VALUE.test(query.phase)) throw badUserInput(`Invalid phase filter ${JSON.stringify(truncate(query.phase))}.`);
    params.set('phase', query.phase);
  }
  return params.toString();
}

/** The query parameters of a Kubernetes-native list (`/api`, `/apis`); nothing else is ever sent. */
export interface NativeListQuery {
  labelSelector?: string | null | undefined;
  fieldSelector?: string | null | undefined;
  limit?: number | null | undefined;
  continue?: string | null | undefined;
}

const FIELD_REQUIREMENT = /^[A-Za-z][A-Za-z0-9.]{0,62}(?:==|=|!=)[A-Za-z0-9._:/-]{0,253}$/;
const CONTINUE_TOKEN = /^[A-Za-z0-9_\-=+/.]{1,4096}$/;

/** Validates a field selector such as `involvedObject.uid=1234,type=Warning`. */
export function fieldSelector(value: string): string {
  if (value.length > 1024 || value.split(',').some((part) => !FIELD_REQUIREMENT.test(part))) {
    throw badUserInput(`Invalid field selector ${JSON.stringify(truncate(value))}.`);
  }
  return value;
}

/** Builds the query string of a native list call, validating every value. */
export function nativeListQuery(query: NativeListQuery): string {
  const params = new URLSearchParams();
  if (query.labelSelector) params.set('labelSelector', labelSelector(query.labelSelector));
  if (query.fieldSelector) params.set('fieldSelector', fieldSelector(query.fieldSelector));
  if (query.limit !== undefined && query.limit !== null && query.limit > 0) params.set('limit', String(query.limit));
  if (query.continue) {
    if (!CONTINUE_TOKEN.test(query.continue)) throw badUserInput('Invalid continue token.');
    params.set('continue', query.continue);
  }
  return params.toString();
}

/** Appends a query string to a path. */
export function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

/** A Kubernetes-native discovery document (`/api/v1`, `/apis/{group}/{version}`): which kinds that group/version serves. */
export function nativeDiscovery(target: Target, version: string): string {
  return native(target, apiVersion(version));
}

/** Validates a label or annotation key: an optional DNS subdomain prefix, then a name of at most 63 characters. */
export function metadataKey(value: string, what = 'label key'): string {
  if (value.length > 316 || !new RegExp(`^${LABEL_KEY}$`).test(value)) throw badUserInput(`Invalid ${what} ${JSON.stringify(truncate(value))}.`);
  return value;
}

/** Validates a label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
export function labelValue(value: string, what = 'label value'): string {
  if (value.length > 63 || !new RegExp(`^${LABEL_VALUE}$`).test(value)) throw badUserInput(`Invalid ${what} ${JSON.stringify(truncate(value))}.`);
  return value;
}

/** The query parameters of a Kubernetes-native write; nothing else is ever sent. */
export interface WriteQuery {
  /** Sent as `dryRun=All`: the upstream validates and answers the would-be object, and stores nothing. */
  dryRun?: boolean | null | undefined;
  fieldManager?: string | null | undefined;
  force?: boolean | null | undefined;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' | null | undefined;
  gracePeriodSeconds?: number | null | undefined;
}

/** Kubernetes' rule for a field manager: at most 128 printable ASCII characters. */
const FIELD_MANAGER = /^[\x20-\x7e]{1,128}$/;
/** A day: kubelet accepts more, but nobody means a longer grace period. */
const MAX_GRACE_PERIOD_SECONDS = 86_400;

/** Builds the query string of a native write, validating every value. */
export function writeQuery(query: WriteQuery): string {
  const params = new URLSearchParams();
  if (query.dryRun) params.set('dryRun', 'All');
  if (query.fieldManager !== undefined && query.fieldManager !== null) {
    if (!FIELD_MANAGER.test(query.fieldManager)) throw badUserInput('Invalid fieldManager: 1 to 128 printable ASCII characters.');
    params.set('fieldManager', query.fieldManager);
  }
  if (query.force) params.set('force', 'true');
  if (query.propagationPolicy) params.set('propagationPolicy', query.propagationPolicy);
  if (query.gracePeriodSeconds !== undefined && query.gracePeriodSeconds !== null) {
    const grace = query.gracePeriodSeconds;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS)
      throw badUserInput(`Invalid gracePeriodSeconds ${grace}: an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}.`);
    params.set('gracePeriodSeconds', String(grace));
  }
  return params.toString();
}

/** 3.x `monitoring.kubesphere.io/v1alpha3/...`, cluster-routed (release-3.4:pkg/kapis/monitoring/v1alpha3/register.go). */
export function monitoringV1alpha3(target: Target, route: MonitoringRoute): string {
  const ns = route.namespace === undefined ? [] : ['namespaces', namespaceName(route.namespace)];
  switch (route.level) {
    case 'cluster':
      return kapis(target, MONITORING_GROUP, 'v1alpha3', 'cluster');
    case 'node':
      return kapis(target, MONITORING_GROUP, 'v1alpha3', 'nodes');
    case 'workspace':
      return kapis(target, MONITORING_GROUP, 'v1alpha3', 'workspaces');
    case 'namespace':
      return kapis(target, MONITORING_GROUP, 'v1alpha3', 'namespaces');
    case 'workload':
      return kapis(target, MONITORING_GROUP, 'v1alpha3', ...ns, 'workloads');
    case 'pod':
      if (route.node !== undefined) return kapis(target, MONITORING_GROUP, 'v1alpha3', 'nodes', objectName(route.node, 'node'), 'pods');
      return kapis(target, MONITORING_GROUP, 'v1alpha3', ...ns, 'pods');
    case 'container':
      if (route.namespace === undefined || route.pod === undefined) throw new Error('Container metrics are read per pod.');
      return kapis(target, MONITORING_GROUP, 'v1alpha3', ...ns, 'pods', objectName(route.pod, 'pod'), 'containers');
    case 'pvc':
      return kapis(target, MONITORING_GROUP, 'v1alpha3', ...ns, 'persistentvolumeclaims');
  }
}

/**
 * 4.x `monitoring.kubesphere.io/v1beta1/{level}_metrics` of the
 * WhizardTelemetry extension: installed HostOnly, so never cluster-prefixed
 * (the cluster is a query parameter).
 */
export function monitoringV1beta1(level: MonitoringRoute['level']): string {
  return kapis({ family: 'v4' }, MONITORING_GROUP, 'v1beta1', `${level === 'pvc' ? 'persistentvolumeclaim' : level}_metrics`);
}

const MONITORING_GROUP = 'monitoring.kubesphere.io';

/** Which monitoring route a query goes to: the level, and the namespace or pod of the namespaced routes. */
export interface MonitoringRoute {
  level: 'cluster' | 'node' | 'workspace' | 'namespace' | 'workload' | 'pod' | 'container' | 'pvc';
  namespace?: string | undefined;
  pod?: string | undefined;
  /** 3.x pods of one node (`nodes/{node}/pods`). */
  node?: string | undefined;
}

/** The query parameters of the monitoring routes (api doc §8.1, §8.2); nothing else is ever sent. */
export interface MonitoringQuery {
  /** Metric names, already checked against the level's named metrics. */
  metrics: readonly string[];
  /** Object names for `resources_filter` (anchored upstream by PromQL's `=~`). */
  resources?: readonly string[] | undefined;
  /** 3.x cluster-wide pods: `namespace/pod` pairs for `namespaced_resources_filter`, which KubeSphere matches exactly. */
  namespacedResources?: readonly { namespace: string; name: string }[] | undefined;
  /** 4.x: the member cluster (`cluster=`); the extension's default is the host. */
  cluster?: string | undefined;
  /** 4.x level parameters. */
  namespace?: string | undefined;
  namespaces?: readonly string[] | undefined;
  pod?: string | undefined;
  node?: string | undefined;
  /** Unix seconds. */
  time?: number | undefined;
  range?: { start: number; end: number; step: number } | undefined;
  sort?: { metric: string; ascending: boolean; page: number; limit: number } | undefined;
}

/** Object names as a regexp alternation, with `.` escaped: the console's `a|b|c$` form. */
function alternation(names: readonly string[], what: string): string {
  return `${names.map((name) => objectName(name, what).replaceAll('.', '\\.')).join('|')}$`;
}

const METRIC_NAME = /^[a-z][a-z0-9_]{0,127}$/;

/** Builds the query string of a monitoring call, validating every value. */
export function monitoringQuery(query: MonitoringQuery): string {
  const params = new URLSearchParams();
  if (query.cluster !== undefined) params.set('cluster', clusterName(query.cluster));
  if (query.namespace !== undefined) params.set('namespace', namespaceName(query.namespace));
  if (query.namespaces?.length) params.set('namespace_resources_filter', `${query.namespaces.map(namespaceName).join('|')}$`);
  if (query.pod !== undefined) params.set('pod', objectName(query.pod, 'pod'));
  if (query.node !== undefined) params.set('node', objectName(query.node, 'node'));
  const metrics = query.sort ? [query.sort.metric] : query.metrics;
  if (metrics.length === 0 || metrics.some((m) => !METRIC_NAME.test(m))) throw badUserInput('Invalid metric names.');
  // Unanchored upstream (Go's MatchString): `a|b$` may select more metrics, which the caller ignores.
  params.set('metrics_filter', `${metrics.join('|')}$`);
  if (query.resources?.length) params.set('resources_filter', alternation(query.resources, 'name'));
  if (query.namespacedResources?.length) {
    const pairs = query.namespacedResources.map(({ namespace, name }) => `${namespaceName(namespace)}/${objectName(name, 'pod')}`);
    params.set('namespaced_resources_filter', `${pairs.join('|')}$`);
  }
  if (query.range) {
    const { start, end, step } = query.range;
    params.set('start', String(wholeSeconds(start)));
    params.set('end', String(wholeSeconds(end)));
    params.set('step', `${wholeSeconds(step)}s`);
  } else if (query.time !== undefined) params.set('time', String(wholeSeconds(query.time)));
  if (query.sort) {
    params.set('sort_metric', query.sort.metric);
    params.set('sort_type', query.sort.ascending ? 'asc' : 'desc');
    params.set('page', String(positive(query.sort.page)));
    params.set('limit', String(positive(query.sort.limit)));
  }
  return params.toString();
}

function wholeSeconds(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw badUserInput('Invalid time: whole seconds since 1970 expected.');
  return value;
}

function positive(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw badUserInput('page and limit must be 1 or more.');
  return value;
}

/** What an upstream watch resumes from and how long one request may stream (api doc §10.2). */
export interface WatchQuery {
  labelSelector?: string | null | undefined;
  fieldSelector?: string | null | undefined;
  resourceVersion: string;
  timeoutSeconds: number;
}

/** resourceVersions are opaque, but they come back in URLs: keep them to a safe alphabet. */
const RESOURCE_VERSION = /^[A-Za-z0-9._:-]{1,128}$/;

/** The query string of a native watch: selectors, `watch=1`, resume point, bookmarks, server-side timeout. */
export function nativeWatchQuery(query: WatchQuery): string {
  const params = new URLSearchParams(nativeListQuery({ labelSelector: query.labelSelector, fieldSelector: query.fieldSelector }));
  params.set('watch', '1');
  if (!RESOURCE_VERSION.test(query.resourceVersion)) throw badUserInput('Invalid resourceVersion.');
  params.set('resourceVersion', query.resourceVersion);
  params.set('allowWatchBookmarks', 'true');
  params.set('timeoutSeconds', String(Math.max(1, Math.floor(query.timeoutSeconds))));
  return params.toString();
}

/** `/api/v1/namespaces/{ns}/pods/{name}/log`, cluster-routed. */
export function podLogPath(target: Target, namespace: string, name: string): string {
  return native(target, 'v1', 'namespaces', namespaceName(namespace), 'pods', objectName(name), 'log');
}

/** The options of a pod log read (PodLogOptions); nothing else is ever sent. */
export interface LogQuery {
  container?: string | null | undefined;
  tailLines?: number | null | undefined;
  sinceSeconds?: number | null | undefined;
  previous?: boolean | null | undefined;
  timestamps?: boolean | null | undefined;
  follow?: boolean | undefined;
  limitBytes?: number | undefined;
}

export function podLogQuery(query: LogQuery): string {
  const params = new URLSearchParams();
  if (query.container) params.set('container', labelName(query.container, 'container'));
  const count = (name: string, value: number | null | undefined) => {
    if (value === undefined || value === null) return;
    if (!Number.isInteger(value) || value < 0) throw badUserInput(`${name} must be a non-negative integer.`);
    params.set(name, String(value));
  };
  count('tailLines', query.tailLines);
  count('sinceSeconds', query.sinceSeconds);
  count('limitBytes', query.limitBytes);
  if (query.previous) params.set('previous', 'true');
  if (query.timestamps) params.set('timestamps', 'true');
  if (query.follow) params.set('follow', 'true');
  return params.toString();
}
