/**
 * Every upstream request must be one the real KubeSphere documents. The
 * stack checks all of a test file's requests when it closes (test/helpers/
 * stack.ts); this file tests the checker itself and sweeps every root field
 * and edge of the schema on both flavours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violation, violations, withoutCluster } from './helpers/conformance.ts';
import { ADMIN, ALICE, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

const get = (pathAndQuery: string) => {
  const [path, rawQuery = ''] = pathAndQuery.split('?');
  return { method: 'GET', path: path!, rawQuery };
};

describe('the conformance checker', () => {
  it('accepts documented paths and parameters, with either cluster prefix', () => {
    expect(violation('3.4', get('/kapis/resources.kubesphere.io/v1alpha3/namespaces/demo/pods?limit=10&page=1&labelSelector=a%3Db'))).toBeUndefined();
    expect(violation('3.4', get('/kapis/clusters/m/tenant.kubesphere.io/v1alpha2/workspaces/w/namespaces?limit=-1'))).toBeUndefined();
    expect(violation('4.1', get('/clusters/m/kapis/iam.kubesphere.io/v1beta1/workspaces/w/workspacemembers?workspacerole=x'))).toBeUndefined();
    expect(violation('4.1', get('/clusters/m/apis/apps/v1/namespaces/demo/replicasets?limit=5&continue=abc'))).toBeUndefined();
    expect(violation('3.4', get('/api/clusters/m/v1/namespaces/demo/events?fieldSelector=involvedObject.uid%3D1'))).toBeUndefined();
    expect(violation('3.4', get('/kapis/version'))).toBeUndefined();
    expect(violation('4.1', { method: 'POST', path: '/oauth/token', rawQuery: '' })).toBeUndefined();
    expect(withoutCluster('/kapis/clusters/member-1/resources.kubesphere.io/v1alpha3/nodes', '3.4')).toBe('/kapis/resources.kubesphere.io/v1alpha3/nodes');
  });

  it('rejects undocumented paths, methods, versions and parameters', () => {
    expect(violation('4.1', get('/kapis/tenant.kubesphere.io/v1alpha2/workspaces'))).toMatch(/no such path/);
    expect(violation('3.4', get('/kapis/iam.kubesphere.io/v1alpha2/namespaces/n/namespacemembers'))).toMatch(/no such path/);
    expect(violation('4.1', get('/kapis/iam.kubesphere.io/v1beta1/users/u/globalroles'))).toMatch(/no such path/);
    expect(violation('4.1', get('/kapis/iam.kubesphere.io/v1beta1/namespaces/n/namespacemembers/u'))).toMatch(/GET not documented/);
    expect(violation('3.4', get('/kapis/resources.kubesphere.io/v1alpha3/pods?_=123'))).toMatch(/undocumented parameters _/);
    expect(violation('3.4', get('/clusters/m/kapis/resources.kubesphere.io/v1alpha3/pods'))).toMatch(/no such path/);
    expect(violation('4.1', get('/apis/apps/v1/namespaces/demo/replicasets?page=2'))).toMatch(/undocumented parameters page/);
    expect(violation('4.1', get('/apis/apps/../v1/pods'))).toMatch(/not a Kubernetes API path/);
  });
});

describe.each(FLAVOURS)('KubeSphere %s: every field of the schema stays within the documented API', (flavour) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ flavour });
  });
  afterAll(() => stack.close());

  const sweep = [
    `{ version { kubesphere { gitVersion } } clusters { items { name nodes(limit: 2) { items { metadata { name } events { items { reason } } pods(limit: 2) { totalItems } } } } } cluster(name: "member-1") { role } }`,
    `{ workspaces { items { metadata { name } clusters { name } namespaces(cluster: "member-1") { totalItems } members { items { roleName role { aggregationRoles } user { username } workspace { manager } } } } } workspace(name: "team-beta") { namespaces { items { metadata { name } } } } }`,
    `{ users { items { username globalRoleName globalRole { rules { verbs } } workspaces { items { workspaceName } } } } user(name: "bob") { email } me { username workspaces { items { roleName } } } }`,
    `{ namespace(name: "demo-app") { workspace { metadata { name } } deployments { totalItems } pods { totalItems } statefulSets { totalItems } daemonSets { totalItems } replicaSets { totalItems }
        jobs { totalItems } cronJobs { totalItems } horizontalPodAutoscalers { totalItems } services { totalItems } ingresses { totalItems } configMaps { totalItems }
        secrets { totalItems } persistentVolumeClaims { totalItems } events { totalItems } } }`,
    `{ pods(limit: 20, filter: { status: RUNNING }, sort: { field: NAME }) { items { node { metadata { name } } owner { __typename ... on Job { owner { __typename } } ... on ReplicaSet { owner { __typename } } } events { items { reason } } } }
       deployments(namespace: "demo-app", filter: { status: RUNNING, name: "a" }) { items { replicaSets { items { pods { items { metadata { name } } } } } events { items { reason } } } }
       statefulSets(limit: 2) { items { pods { items { metadata { name } } } events { items { reason } } } } daemonSets(limit: 2) { items { pods { items { metadata { name } } } } }
       replicaSets(limit: 2, namespace: "demo-app") { items { owner { __typename } } } jobs(limit: 3) { items { owner { __typename } pods { items { metadata { name } } } } }
       cronJobs { items { jobs { items { metadata { name } } } events { items { reason } } } } horizontalPodAutoscalers { items { target { __typename } } } }`,
    `{ services(limit: 3) { items { pods { items { metadata { name } } } } } ingresses { items { services { metadata { name } } } } configMaps(limit: 2) { totalItems } secrets(limit: 2) { items { keys } }
       persistentVolumeClaims(filter: { phase: BOUND }) { items { volume { claim { metadata { name } } } pods { items { metadata { name } } } } } persistentVolumes(limit: 2) { items { claim { metadata { name } } } }
       storageClasses { totalItems } storageClass(name: "local") { isDefault } events(namespace: "demo-app", filter: { involvedObjectKind: "Pod", type: WARNING }) { totalItems }
       secret(namespace: "demo-app", name: "frontend-tls") { keys } pvc: persistentVolumeClaim(namespace: "demo-app", name: "uploads") { phase } pv: persistentVolumes(cluster: "member-1") { totalItems } }`,
    `{ a: resources(resource: "serviceaccounts", namespace: "demo-app") { totalItems } b: resources(resource: "clusters", apiVersion: "cluster.kubesphere.io/v1alpha1") { totalItems }
       c: resources(resource: "deployments", apiVersion: "apps/v1", cluster: "member-1", filter: { labelSelector: "app" }) { totalItems } d: resource(resource: "nodes", name: "master-1") { kind }
       e: resource(resource: "configmaps", apiVersion: "v1", namespace: "demo-app", name: "frontend-config") { kind } f: deployments(cluster: "member-1") { items { pods { items { node { metadata { name } } } } } } }`,
  ];

  it('sweeps every root field and edge as admin and as alice', async () => {
    const admin = await stack.login(ADMIN.username, ADMIN.password);
    const alice = await stack.login(ALICE.username, ALICE.password);
    stack.sim.clearRequests();
    for (const query of sweep) {
      const result = await stack.gql(query, { token: admin });
      expect(result.errors?.filter((e) => e.extensions?.code !== 'NOT_FOUND') ?? []).toEqual([]);
      await stack.gql(query, { token: alice });
    }
    const requests = stack.allUpstreamCalls();
    expect(new Set(requests.map((r) => r.path)).size).toBeGreaterThan(40);
    expect(violations(flavour, requests)).toEqual([]);
  });
});
