import type { IngressResolvers, QueryResolvers, ServiceResolvers } from '../generated/graphql.ts';
import type { IngressResource, PodResource, ServiceResource } from '../kubesphere/types.ts';
import { matchesSelector, selectorString } from '../model/selector.ts';
import { enumValue } from '../model/enums.ts';
import { inNamespace, pageEdge, rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';

const serviceFields = rootFields<ServiceResource>('services');
const ingressFields = rootFields<IngressResource>('ingresses');
export const networkQuery = {
  services: serviceFields.list,
  service: serviceFields.get,
  ingresses: ingressFields.list,
  ingress: ingressFields.get,
} satisfies QueryResolvers;

const loadBalancer = (status: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined) =>
  (status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);

/** A service's `spec.selector` is a label equality map: `matchLabels` by another name. */
const selects = (selector: Record<string, string> | undefined) => (pod: PodResource) =>
  selector !== undefined && matchesSelector({ matchLabels: selector }, pod.metadata?.labels);

export const Service: ServiceResolvers = {
  ...kubeObjectFields<ServiceResource>('Service'),
  type: (s) => enumValue('ServiceType', s.spec?.type) ?? 'ClusterIP',
  clusterIP: (s) => s.spec?.clusterIP ?? null,
  externalIPs: (s) => s.spec?.externalIPs ?? [],
  loadBalancerIngress: (s) => loadBalancer(s.status),
  selector: (s) => s.spec?.selector ?? {},
  ports: (s) =>
    (s.spec?.ports ?? []).map((p) => ({
      name: p.name ?? null,
      protocol: enumValue('Protocol', p.protocol),
      port: p.port,
      targetPort: p.targetPort === undefined ? null : String(p.targetPort),
      nodePort: p.nodePort ?? null,
    })),
  sessionAffinity: (s) => s.spec?.sessionAffinity ?? null,
  pods: (s, args, ctx) =>
    pageEdge('pods', s, args, ctx, async () => {
      const labelSelector = selectorString({ matchLabels: s.spec?.selector });
      if (s.spec?.selector === undefined || labelSelector === undefined) return [];
      return (await inNamespace<PodResource>(s, 'pods', ctx, undefined, { labelSelector })).filter(selects(s.spec.selector));
    }),
};

type Backend = NonNullable<NonNullable<IngressResource['spec']>['defaultBackend']>;

const backendService = (backend: Backend | undefined) => backend?.service;

export const Ingress: IngressResolvers = {
  ...kubeObjectFields<IngressResource>('Ingress'),
  ingressClassName: (i) => i.spec?.ingressClassName ?? null,
  rules: (i) =>
    (i.spec?.rules ?? []).map((rule) => ({
      host: rule.host ?? null,
      paths: (rule.http?.paths ?? []).map((p) => {
        const service = backendService(p.backend);
        return {
          path: p.path ?? null,
          pathType: p.pathType ?? null,
          serviceName: service?.name ?? null,
          servicePort: service?.port ? String(service.port.number ?? service.port.name ?? '') : null,
        };
      }),
    })),
  tls: (i) => (i.spec?.tls ?? []).map((t) => ({ hosts: t.hosts ?? [], secretName: t.secretName ?? null })),
  loadBalancerIngress: (i) => loadBalancer(i.status),
  services: async (i, _args, ctx) => {
    const backends = [i.spec?.defaultBackend, ...(i.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
    const names = new Set(backends.map((b) => backendService(b)?.name).filter((n): n is string => Boolean(n)));
    return (await inNamespace<ServiceResource>(i, 'services', ctx)).filter((s) => names.has(s.metadata?.name ?? ''));
  },
};
