/**
 * Where the facade's upstream calls used to differ from real ks-apiserver,
 * checked against the simulator as corrected to agree with KubeSphere's
 * source, on the flavour each case affects. Each case fails on the old
 * facade: it read v1alpha3 ReplicaSets on 3.x, trusted 3.x's fallback kinds
 * to apply `labelSelector`, read 4.1 `workspaces` as templates, and took
 * 4.1's stub workspace members for whole users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../simulator/index.ts';
import { ADMIN, startStack, type Stack } from './helpers/stack.ts';

const R = '/kapis/resources.kubesphere.io/v1alpha3';

async function adminStack(flavour: '3.4' | '4.1') {
  const stack = await startStack({ flavour });
  return { stack, token: await stack.login(ADMIN.username, ADMIN.password) };
}

const paths = (stack: Stack) => stack.upstreamCalls().map((r) => r.path);

describe('KubeSphere 3.4', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => ({ stack, token } = await adminStack('3.4')));
  afterAll(() => stack.close());

  it('reads ReplicaSets natively: v1alpha3 has none on 3.x', async () => {
    const { namespace, deployment } = DEMO.cases.crashLoop;
    stack.sim.clearRequests();
    const result = await stack.gql(
      `query($ns: String!, $d: String!) {
        replicaSets(namespace: $ns) { totalItems }
        deployment(namespace: $ns, name: $d) { replicaSets { totalItems items { metadata { name } } } pods(limit: 1) { items { owner { kind ... on ReplicaSet { owner { kind metadata { name } } } } } } }
      }`,
      { token, variables: { ns: namespace, d: deployment } },
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data!.replicaSets.totalItems).toBeGreaterThan(0);
    expect(result.data!.deployment.replicaSets.totalItems).toBeGreaterThan(0);
    expect(result.data!.deployment.pods.items[0].owner).toEqual({ kind: 'ReplicaSet', owner: { kind: 'Deployment', metadata: { name: deployment } } });
    expect(paths(stack).filter((p) => p.includes('replicasets'))).not.toEqual([]);
    expect(paths(stack).filter((p) => p.startsWith(`${R}/`) && p.includes('replicasets'))).toEqual([]);
  });

  it('applies a label selector itself to kinds the v1alpha2 fallback serves (it ignores the selector)', async () => {
    const all = await stack.gql(`{ cronJobs(limit: 100) { totalItems } }`, { token });
    const selected = await stack.gql(`{ cronJobs(filter: { labelSelector: "app=mysql-backup" }, limit: 100) { totalItems items { metadata { name } } } }`, {
      token,
    });
    expect(selected.errors).toBeUndefined();
    expect(all.data!.cronJobs.totalItems).toBeGreaterThan(1);
    expect(selected.data!.cronJobs).toEqual({ totalItems: 1, items: [{ metadata: { name: 'mysql-backup' } }] });
  });
});

describe('KubeSphere 4.1', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => ({ stack, token } = await adminStack('4.1')));
  afterAll(() => stack.close());

  it('reads workspaces as templates: v1beta1 `workspaces` are per-cluster objects without placement', async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(
      `{ workspace(name: "team-beta") { kind clusterNames } workspaces(limit: 50) { items { metadata { name } clusterNames } } }`,
      {
        token,
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.workspace).toEqual({ kind: 'WorkspaceTemplate', clusterNames: ['host', 'member-1'] });
    expect(result.data!.workspaces.items.every((ws: { clusterNames: string[] }) => ws.clusterNames.length > 0)).toBe(true);
    expect(paths(stack).some((p) => p.endsWith('/workspacetemplates') || p.endsWith('/workspacetemplates/team-beta'))).toBe(true);
    expect(paths(stack).filter((p) => /\/tenant\.kubesphere\.io\/v1beta1\/workspaces\b/.test(p))).toEqual([]);
  });

  it("completes 4.1's stub workspace members with one users?names= lookup", async () => {
    stack.sim.clearRequests();
    const result = await stack.gql(`{ workspace(name: "team-alpha") { members(limit: 50) { items { roleName user { username email state } } } } }`, { token });
    expect(result.errors).toBeUndefined();
    const alice = result.data!.workspace.members.items.find((m: { user: { username: string } }) => m.user.username === 'alice');
    expect(alice).toEqual({ roleName: DEMO.users.alice.workspaceRole, user: { username: 'alice', email: DEMO.users.alice.email, state: 'ACTIVE' } });
    expect(paths(stack).filter((p) => p === '/kapis/iam.kubesphere.io/v1beta1/users')).toHaveLength(1);
  });
});
