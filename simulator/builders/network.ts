/** Services and Ingresses. */
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import type { ClusterBuilder } from './core.ts';

export function addService(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    selector?: Record<string, string>;
    ports: { name?: string; port: number; targetPort?: number | string; nodePort?: number }[];
    created: number;
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    headless?: boolean;
    labels?: Record<string, string>;
    creator?: string;
  },
): KObject {
  const ip = def.headless ? 'None' : b.nextClusterIp();
  const type = def.type ?? 'ClusterIP';
  return b.add(T.service, {
    metadata: b.meta(T.service, def.namespace, def.name, def.created, {
      labels: def.labels ?? { app: def.name },
      annotations: def.creator ? { 'kubesphere.io/creator': def.creator, 'kubesphere.io/serviceType': 'statelessservice' } : {},
      managedBy: def.creator ? 'ks-console' : 'kubectl-client-side-apply',
    }),
    spec: {
      ports: def.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        protocol: 'TCP',
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
      })),
      ...(def.selector ? { selector: def.selector } : {}),
      clusterIP: ip,
      clusterIPs: [ip],
      type,
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      ...(type !== 'ClusterIP' ? { externalTrafficPolicy: 'Cluster' } : {}),
    },
    status: { loadBalancer: type === 'LoadBalancer' ? { ingress: [{ ip: '203.0.113.10' }] } : {} },
  });
}

export function addIngress(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    host: string;
    paths: { path: string; service: string; port: number }[];
    created: number;
    tls?: string;
  },
): KObject {
  return b.add(T.ingress, {
    metadata: b.meta(T.ingress, def.namespace, def.name, def.created, {
      generation: 1,
      annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
      managedBy: 'kubectl-client-side-apply',
    }),
    spec: {
      ingressClassName: 'nginx',
      ...(def.tls ? { tls: [{ hosts: [def.host], secretName: def.tls }] } : {}),
      rules: [
        {
          host: def.host,
          http: { paths: def.paths.map((p) => ({ path: p.path, pathType: 'Prefix', backend: { service: { name: p.service, port: { number: p.port } } } })) },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } },
  });
}
