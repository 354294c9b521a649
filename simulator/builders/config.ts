/** ConfigMaps and Secrets. */
import { base64 } from '../det.ts';
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import type { ClusterBuilder } from './core.ts';

export function addConfigMap(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    data: Record<string, string>;
    created: number;
    labels?: Record<string, string>;
    managed?: boolean;
  },
): KObject {
  return b.add(T.configmap, {
    metadata: b.meta(T.configmap, def.namespace, def.name, def.created, {
      labels: def.labels,
      managedBy: def.managed ? 'kubectl-client-side-apply' : undefined,
    }),
    data: def.data,
  });
}

export function addSecret(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    type: string;
    data: Record<string, string>;
    created: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  },
): KObject {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(def.data)) data[k] = base64(v);
  return b.add(T.secret, {
    metadata: b.meta(T.secret, def.namespace, def.name, def.created, { labels: def.labels, annotations: def.annotations }),
    data,
    type: def.type,
  });
}
