/** Events about other objects. */
import { isoAt } from '../det.ts';
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import { sha256, type ClusterBuilder } from './core.ts';

export function addEvent(
  b: ClusterBuilder,
  def: {
    about: KObject;
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    first: number;
    last?: number;
    count?: number;
    component: string;
    fieldPath?: string;
    host?: string;
  },
): KObject {
  const o = def.about;
  const ns = o.metadata.namespace ?? 'default';
  const name = `${o.metadata.name}.${sha256('event', o.metadata.uid!, def.reason, String(def.first)).slice(0, 16)}`;
  return b.add(T.event, {
    metadata: b.meta(T.event, ns, name, def.first),
    involvedObject: {
      kind: o.kind,
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      uid: o.metadata.uid,
      apiVersion: o.apiVersion,
      resourceVersion: o.metadata.resourceVersion,
      ...(def.fieldPath ? { fieldPath: def.fieldPath } : {}),
    },
    reason: def.reason,
    message: def.message,
    source: { component: def.component, ...(def.host ? { host: def.host } : {}) },
    firstTimestamp: isoAt(def.first),
    lastTimestamp: isoAt(def.last ?? def.first),
    count: def.count ?? 1,
    type: def.type,
    eventTime: null,
    reportingComponent: def.component,
    reportingInstance: def.host ?? '',
  });
}
