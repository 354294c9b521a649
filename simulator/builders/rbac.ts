/** The Roles and RoleBinding KubeSphere creates in a new project. */
import { isoAt } from '../det.ts';
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import type { ClusterBuilder } from './core.ts';

export function addProjectRoles(b: ClusterBuilder, ns: KObject, creator: string): void {
  const name = ns.metadata.name;
  const created = (Date.parse(ns.metadata.creationTimestamp!) - Date.parse(isoAt(0))) / 1000 + 1;
  for (const role of ['admin', 'operator', 'viewer']) {
    b.add(T.role, {
      metadata: b.meta(T.role, name, role, created, {
        annotations: {
          'kubesphere.io/creator': 'system',
          'iam.kubesphere.io/aggregation-roles': JSON.stringify([`role-template-${role === 'admin' ? 'manage' : 'view'}-app-workloads`]),
        },
      }),
      rules:
        role === 'viewer' ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] : [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
  }
  b.add(T.rolebinding, {
    metadata: b.meta(T.rolebinding, name, `${creator}-admin`, created + 1, { labels: { 'iam.kubesphere.io/user-ref': creator } }),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: creator }],
  });
}
