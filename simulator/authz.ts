/**
 * Authorization as one small rule function over a directory of who is what:
 * global role → workspace memberships → the namespaces those grant. It
 * answers with the Kubernetes `Forbidden` Status KubeSphere's filter writes.
 */
import { ANONYMOUS } from './auth.ts';
import { T } from './resources.ts';
import { groupResource, HttpError, statusReply } from './errors.ts';
import type { ClusterStore } from './store.ts';

export interface Attributes {
  verb: string;
  /** Undefined for non-resource requests (discovery, unknown paths). */
  resource?: string;
  apiGroup: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  workspace?: string;
  cluster: string;
  path: string;
}

const ROLE_REF_LABEL = 'iam.kubesphere.io/user-ref';
const WORKSPACE_LABEL = 'kubesphere.io/workspace';

export class Directory {
  private readonly clusters: Map<string, ClusterStore>;
  private readonly host: ClusterStore;
  private readonly globalRoles = new Map<string, string>();
  /** user → workspace → workspace role */
  private readonly workspaceRoles = new Map<string, Map<string, string>>();
  /** `${cluster}/${namespace}` → user → namespace role */
  private readonly namespaceRoles = new Map<string, Map<string, string>>();
  /** cluster → user → cluster role */
  private readonly clusterRoles = new Map<string, Map<string, string>>();

  constructor(clusters: Map<string, ClusterStore>, hostName: string) {
    this.clusters = clusters;
    this.host = clusters.get(hostName)!;
    for (const b of this.host.list(T.globalrolebinding)) {
      const user = b.metadata.labels?.[ROLE_REF_LABEL];
      if (user) this.globalRoles.set(user, (b.roleRef as { name: string }).name);
    }
    for (const b of this.host.list(T.workspacerolebinding)) {
      const user = b.metadata.labels?.[ROLE_REF_LABEL];
      const ws = b.metadata.labels?.[WORKSPACE_LABEL];
      if (!user || !ws) continue;
      if (!this.workspaceRoles.has(user)) this.workspaceRoles.set(user, new Map());
      this.workspaceRoles.get(user)!.set(ws, (b.roleRef as { name: string }).name);
    }
    for (const [name, store] of clusters) {
      for (const b of store.list(T.rolebinding)) {
        const user = b.metadata.labels?.[ROLE_REF_LABEL];
        if (!user) continue;
        const key = `${name}/${b.metadata.namespace}`;
        if (!this.namespaceRoles.has(key)) this.namespaceRoles.set(key, new Map());
        this.namespaceRoles.get(key)!.set(user, (b.roleRef as { name: string }).name);
      }
      const members = new Map<string, string>();
      for (const b of store.list(T.clusterrolebinding)) {
        const user = b.metadata.labels?.[ROLE_REF_LABEL];
        if (user) members.set(user, (b.roleRef as { name: string }).name);
      }
      this.clusterRoles.set(name, members);
    }
  }

  globalRole(user: string): string | undefined {
    return this.globalRoles.get(user);
  }

  isPlatformAdmin(user: string): boolean {
    return this.globalRoles.get(user) === 'platform-admin';
  }

  workspaceRole(user: string, workspace: string): string | undefined {
    return this.workspaceRoles.get(user)?.get(workspace);
  }

  workspaceMembers(workspace: string): [string, string][] {
    const out: [string, string][] = [];
    for (const [user, roles] of this.workspaceRoles) {
      const role = roles.get(workspace);
      if (role) out.push([user, role]);
    }
    return out;
  }

  namespaceMembers(cluster: string, namespace: string): [string, string][] {
    return [...(this.namespaceRoles.get(`${cluster}/${namespace}`) ?? [])];
  }

  clusterMembers(cluster: string): [string, string][] {
    return [...(this.clusterRoles.get(cluster) ?? [])];
  }

  /** Workspace templates the user may see. */
  canSeeWorkspace(user: string, workspace: string): boolean {
    return this.isPlatformAdmin(user) || this.workspaceRoles.get(user)?.has(workspace) === true;
  }

  /** Namespaces are granted by a project role, or by being admin of the owning workspace. */
  canUseNamespace(user: string, cluster: string, namespace: string): boolean {
    if (this.isPlatformAdmin(user)) return true;
    if (this.namespaceRoles.get(`${cluster}/${namespace}`)?.has(user)) return true;
    const ns = this.clusters.get(cluster)?.get(T.namespace, undefined, namespace);
    const ws = ns?.metadata.labels?.[WORKSPACE_LABEL];
    return ws !== undefined && this.workspaceRole(user, ws) === `${ws}-admin`;
  }

  /** Writes in a project: a non-viewer project role, or admin of the owning workspace. */
  canWriteNamespace(user: string, cluster: string, namespace: string): boolean {
    if (this.isPlatformAdmin(user)) return true;
    const role = this.namespaceRoles.get(`${cluster}/${namespace}`)?.get(user);
    if (role !== undefined && role !== 'viewer') return true;
    const ns = this.clusters.get(cluster)?.get(T.namespace, undefined, namespace);
    const ws = ns?.metadata.labels?.[WORKSPACE_LABEL];
    return ws !== undefined && this.workspaceRole(user, ws) === `${ws}-admin`;
  }

  /** Clusters where one of the user's workspaces is placed. */
  canSeeCluster(user: string, cluster: string): boolean {
    if (this.isPlatformAdmin(user)) return true;
    for (const ws of this.workspaceRoles.get(user)?.keys() ?? []) {
      const tpl = this.host.get(T.workspacetemplate, undefined, ws);
      const placed = ((tpl?.spec as { placement?: { clusters?: { name: string }[] } })?.placement?.clusters ?? []).map((c) => c.name);
      if (placed.includes(cluster)) return true;
    }
    return false;
  }
}

/** The rule function: throws the 403 Status unless the user may do it. */
export function authorize(dir: Directory, user: string, attrs: Attributes): void {
  if (allowed(dir, user, attrs)) return;
  throw new HttpError(forbidden(user, attrs));
}

function allowed(dir: Directory, user: string, a: Attributes): boolean {
  if (user === ANONYMOUS) return false;
  if (dir.isPlatformAdmin(user)) return true;
  // Discovery and other non-resource reads are open to every authenticated user.
  if (a.resource === undefined) return a.verb === 'get';
  const read = a.verb === 'get' || a.verb === 'list' || a.verb === 'watch';
  if (!read) {
    // Writes: project admins/operators and admins of the owning workspace, in that project only.
    if (a.namespace) return dir.canWriteNamespace(user, a.cluster, a.namespace);
    if (a.workspace) return dir.workspaceRole(user, a.workspace) === `${a.workspace}-admin`;
    return false;
  }
  if (a.resource === 'users' && a.apiGroup === 'iam.kubesphere.io' && a.name === user && !a.namespace && !a.workspace) return true;
  if (a.namespace) return dir.canUseNamespace(user, a.cluster, a.namespace);
  if (a.workspace) return dir.canSeeWorkspace(user, a.workspace);
  return false;
}

/** `responsewriters.Forbidden` message and Status (KubeSphere adds the workspace scope). */
export function forbidden(user: string, a: Attributes) {
  if (a.resource === undefined) {
    return statusReply(403, `forbidden: User "${user}" cannot ${a.verb} path "${a.path}"`, {});
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : a.workspace ? `in the workspace "${a.workspace}"` : 'at the cluster scope';
  const reason = `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
  const gr = groupResource(a.resource, a.apiGroup);
  const message = a.name ? `${gr} "${a.name}" is forbidden: ${reason}` : `${gr} is forbidden: ${reason}`;
  const details: Record<string, string> = {};
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  details.kind = a.resource;
  return statusReply(403, message, details);
}
