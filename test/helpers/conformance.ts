/**
 * Checks upstream requests against the real KubeSphere contract: every
 * `/kapis` (and `/oauth`) request must match a path and method of that
 * version's Swagger (`../shared/specs/kubesphere-{3.4,4.1}-ks-openapi.json`)
 * and carry only the query parameters that Swagger documents for it or that
 * the list API takes (api doc §4.2); every `/api` and `/apis` request must
 * follow the Kubernetes API path grammar and carry only Kubernetes list
 * parameters. Member-cluster prefixes (api doc §3) are removed first.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Flavour, RecordedRequest } from '../../simulator/index.ts';

/** CI places `shared/` next to the clone, so it is found relative to the repository root. */
const SPECS = new URL('../../../shared/specs/', import.meta.url);

/** §4.2: the generic list parameters of the KubeSphere list API, with the per-kind filters it names. */
const LIST_PARAMS = [
  'limit',
  'page',
  'sortBy',
  'ascending',
  'labelSelector',
  'name',
  'names',
  'uid',
  'namespace',
  'ownerReference',
  'ownerKind',
  'label',
  'annotation',
  'alias',
  'status',
  'fieldSelector',
  'nodeName',
  'pvcName',
  'serviceName',
  'phase',
  'storageClassName',
  'email',
  'ingroup',
  'notingroup',
  'workspace',
  'workspacerole',
  'role',
  'cluster',
  'clusterrole',
  'globalrole',
];

/** Query parameters of Kubernetes list and get calls. */
const KUBE_PARAMS = new Set([
  'labelSelector',
  'fieldSelector',
  'limit',
  'continue',
  'resourceVersion',
  'resourceVersionMatch',
  'timeoutSeconds',
  'watch',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'pretty',
]);

/** Query parameters of Kubernetes writes (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions), by method. */
const KUBE_WRITE_PARAMS: Record<string, Set<string>> = {
  POST: new Set(['dryRun', 'fieldManager', 'fieldValidation', 'pretty']),
  PUT: new Set(['dryRun', 'fieldManager', 'fieldValidation', 'pretty']),
  PATCH: new Set(['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty']),
  DELETE: new Set(['dryRun', 'gracePeriodSeconds', 'propagationPolicy', 'orphanDependents', 'pretty']),
};
/** PodLogOptions, the query of `pods/{name}/log`. */
const LOG_PARAMS = new Set(['container', 'follow', 'limitBytes', 'previous', 'sinceSeconds', 'tailLines', 'timestamps']);

/** `GET /kapis/version` exists in 3.1–4.1 (api doc §0.10, §1) but only the 4.1 Swagger lists it. */
const ALWAYS = [{ method: 'GET', path: '/kapis/version' }];

/**
 * 4.1 only: the WhizardTelemetry extension's monitoring routes (api doc §8.2).
 * The extension is proxied through an APIService, so the ks-apiserver 4.1
 * Swagger does not list them (it has no monitoring path at all); the route
 * names and parameters come from the extension's swagger.json as the doc
 * records it, plus the level filters the simulator infers (see
 * simulator/monitoring/v1beta1.ts).
 */
const EXTENSION_LEVELS = 'cluster|node|workspace|namespace|workload|pod|container|persistentvolumeclaim|component';
const EXTENSION_PARAMS = [
  'cluster',
  'cluster_resources_filter',
  'node',
  'workspace',
  'namespace',
  'namespace_resources_filter',
  'kind',
  'workload_name',
  'pod',
  'container',
  'persistentvolumeclaim',
  'storageclass',
  'resources_filter',
  'metrics_filter',
  'start',
  'end',
  'step',
  'time',
  'sort_metric',
  'sort_type',
  'page',
  'limit',
];
const EXTENSION_ROUTES: Record<Flavour, { pattern: RegExp; template: string; params: string[] }[]> = {
  '3.4': [],
  '4.1': [
    {
      pattern: new RegExp(`^/kapis/monitoring\\.kubesphere\\.io/v1beta1/(${EXTENSION_LEVELS})_metrics$`),
      template: '/kapis/monitoring.kubesphere.io/v1beta1/{level}_metrics',
      params: EXTENSION_PARAMS,
    },
  ],
};

interface Route {
  pattern: RegExp;
  template: string;
  methods: Map<string, Set<string>>;
}

const SEGMENT = String.raw`[^/]+`;
const DNS_LABEL = String.raw`[a-z0-9]([-a-z0-9]*[a-z0-9])?`;
const GROUP = String.raw`${DNS_LABEL}(\.${DNS_LABEL})*`;
const VERSION = String.raw`v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?`;
const NAME = String.raw`[a-z0-9]([-a-z0-9.]*[a-z0-9])?`;
const PLURAL = String.raw`[a-z][a-z0-9]*`;
const KUBE_PATH = new RegExp(String.raw`^/(api/v1|apis/${GROUP}/${VERSION})(/namespaces/${DNS_LABEL})?/${PLURAL}(/${NAME}(/${PLURAL})?)?$`);
/** Discovery documents: `/api/v1` and `/apis/{group}/{version}`. */
const KUBE_DISCOVERY = new RegExp(String.raw`^/(api/v1|apis/${GROUP}/${VERSION})$`);

const cache = new Map<Flavour, Route[]>();

function routes(flavour: Flavour): Route[] {
  let list = cache.get(flavour);
  if (list) return list;
  const file = new URL(`kubesphere-${flavour}-ks-openapi.json`, SPECS);
  if (!existsSync(file)) throw new Error(`KubeSphere Swagger not found at ${file.pathname}: the conformance check needs the shared/ folder beside this clone.`);
  const spec = JSON.parse(readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  list = Object.entries(spec.paths).map(([template, operations]) => {
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, SEGMENT)}$`);
    const methods = new Map<string, Set<string>>();
    for (const [method, operation] of Object.entries(operations)) {
      methods.set(method.toUpperCase(), new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)));
    }
    return { pattern, template, methods };
  });
  for (const extra of ALWAYS) list.push({ pattern: new RegExp(`^${extra.path}$`), template: extra.path, methods: new Map([[extra.method, new Set()]]) });
  for (const extension of EXTENSION_ROUTES[flavour])
    list.push({ pattern: extension.pattern, template: extension.template, methods: new Map([['GET', new Set(extension.params)]]) });
  cache.set(flavour, list);
  return list;
}

/** Removes the member-cluster segment: 3.x `/{api,apis,kapis}/clusters/{c}/...`; 4.x also `/clusters/{c}/{api,apis,kapis}/...`. */
export function withoutCluster(path: string, flavour: Flavour): string {
  const legacy = /^\/(api|apis|kapis)\/clusters\/[a-z0-9-]+(\/.*)$/.exec(path);
  if (legacy) return `/${legacy[1]}${legacy[2]}`;
  const front = flavour === '4.1' ? /^\/clusters\/[a-z0-9-]+(\/(?:api|apis|kapis)\/.*)$/.exec(path) : null;
  return front ? front[1]! : path;
}

/** Why a request breaks the contract, or undefined when it conforms. */
export function violation(flavour: Flavour, request: Pick<RecordedRequest, 'method' | 'path' | 'rawQuery'>): string | undefined {
  const path = withoutCluster(request.path, flavour);
  const params = [...new URLSearchParams(request.rawQuery).keys()];
  const where = `${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`;
  if (path.startsWith('/api/') || path.startsWith('/apis/')) {
    if (request.method === 'GET' && KUBE_DISCOVERY.test(path)) return params.length ? `${where}: discovery takes no parameters` : undefined;
    if (!KUBE_PATH.test(path)) return `${where}: not a Kubernetes API path`;
    const allowed = request.method === 'GET' ? (path.endsWith('/log') ? LOG_PARAMS : KUBE_PARAMS) : KUBE_WRITE_PARAMS[request.method];
    if (!allowed) return `${where}: ${request.method} is not a Kubernetes API method`;
    const unknown = params.filter((p) => !allowed.has(p));
    return unknown.length ? `${where}: undocumented parameters ${unknown.join(', ')}` : undefined;
  }
  const route = routes(flavour).find((r) => r.pattern.test(path));
  if (!route) return `${where}: no such path in the KubeSphere ${flavour} Swagger`;
  const documented = route.methods.get(request.method);
  if (!documented) return `${where}: ${request.method} not documented for ${route.template}`;
  const isList = request.method === 'GET';
  const unknown = params.filter((p) => !documented.has(p) && !(isList && LIST_PARAMS.includes(p)));
  return unknown.length ? `${where}: undocumented parameters ${unknown.join(', ')} for ${route.template}` : undefined;
}

/** Every violation among the requests, deduplicated. */
export function violations(flavour: Flavour, requests: readonly Pick<RecordedRequest, 'method' | 'path' | 'rawQuery'>[]): string[] {
  return [...new Set(requests.map((r) => violation(flavour, r)).filter((v): v is string => v !== undefined))];
}
