/**
 * 4.x RoleTemplates (`iam.kubesphere.io/v1beta1`): named bundles of RBAC
 * rules that global roles aggregate through `aggregationRoleTemplates`.
 * 3.4 has no such kind. They live in the host store under their own key but
 * are not in the resource registry, so `/apis` discovery stays as it was;
 * they are reached through `users/{u}/roletemplates` only.
 */
import type { ClusterBuilder } from './builders/index.ts';
import type { KObject } from './types.ts';

export const ROLE_TEMPLATE = 'iam.kubesphere.io/roletemplates';

interface TemplateDef {
  name: string;
  category: string;
  en: string;
  dependencies?: string[];
  rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
}

const READ = ['get', 'list', 'watch'];

const GLOBAL_TEMPLATES: TemplateDef[] = [
  {
    name: 'global-view-workspaces',
    category: 'workspace-management',
    en: 'Workspace Viewing',
    rules: [{ apiGroups: ['tenant.kubesphere.io'], resources: ['workspaces', 'workspacetemplates'], verbs: READ }],
  },
  {
    name: 'global-create-workspaces',
    category: 'workspace-management',
    en: 'Workspace Creation',
    dependencies: ['global-view-workspaces'],
    rules: [{ apiGroups: ['tenant.kubesphere.io'], resources: ['workspacetemplates'], verbs: ['create'] }],
  },
  {
    name: 'global-view-users',
    category: 'access-control',
    en: 'User Viewing',
    rules: [{ apiGroups: ['iam.kubesphere.io'], resources: ['users', 'users/loginrecords'], verbs: READ }],
  },
  {
    name: 'global-manage-users',
    category: 'access-control',
    en: 'User Management',
    dependencies: ['global-view-users'],
    rules: [{ apiGroups: ['iam.kubesphere.io'], resources: ['users', 'users/loginrecords'], verbs: ['*'] }],
  },
  {
    name: 'global-view-clusters',
    category: 'cluster-management',
    en: 'Cluster Viewing',
    rules: [{ apiGroups: ['cluster.kubesphere.io'], resources: ['clusters'], verbs: READ }],
  },
];

/** Which templates each seeded global role aggregates (platform-admin has `*` rules and aggregates none). */
export const GLOBAL_ROLE_TEMPLATES: Record<string, string[]> = {
  'platform-regular': ['global-view-workspaces'],
  'platform-self-provisioner': ['global-view-workspaces', 'global-create-workspaces'],
  'users-manager': ['global-view-users', 'global-manage-users'],
};

/** Adds the global RoleTemplates to the host cluster (4.1 only). */
export function seedRoleTemplates(b: ClusterBuilder): void {
  GLOBAL_TEMPLATES.forEach((t, i) => {
    const obj: KObject = {
      apiVersion: 'iam.kubesphere.io/v1beta1',
      kind: 'RoleTemplate',
      metadata: b.meta(ROLE_TEMPLATE, undefined, t.name, 880 + i, {
        labels: { 'iam.kubesphere.io/category': t.category, 'iam.kubesphere.io/scope': 'global', 'kubesphere.io/managed': 'true' },
        annotations: t.dependencies ? { 'iam.kubesphere.io/dependencies': JSON.stringify(t.dependencies) } : {},
      }),
      spec: { displayName: { en: t.en }, rules: t.rules },
    };
    b.store.add(ROLE_TEMPLATE, obj);
  });
}
