/**
 * The redaction policy (issue 12, finding 5), one row per path and kind:
 * credentials never leave the facade except Secret values through
 * `Secret.data`. The upstream answers with objects full of marked values
 * (`LEAK`, and its base64 `TEVBS`); no response may contain either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_APPLIED } from '../src/model/redaction.ts';
import { encodeObjectId } from '../src/resolvers/object.ts';
import { codes, startStack, type Stack } from './helpers/stack.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const LEAKED = /LEAK|TEVBS/;

const SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's1', namespace: 'demo', annotations: { [LAST_APPLIED]: '{"data":{"k":"LEAK-applied"}}', team: 'shown' } },
  type: 'Opaque',
  data: { k: b64('LEAK-secret') },
  stringData: { s: 'LEAK-string' },
};
const USER = {
  apiVersion: 'iam.kubesphere.io/v1beta1',
  kind: 'User',
  metadata: { name: 'u1', annotations: { [LAST_APPLIED]: '{"spec":{"password":"LEAK-plaintext"}}', team: 'shown' } },
  spec: { email: 'u1@example.com', password: '$2a$10$LEAK-bcrypt-hash' },
  status: { state: 'Active' },
};
const CLUSTER = {
  apiVersion: 'cluster.kubesphere.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'c1', annotations: { [LAST_APPLIED]: 'LEAK-applied', team: 'shown' } },
  spec: {
    provider: 'kubeadm',
    connection: { type: 'direct', kubernetesAPIEndpoint: 'https://shown:6443', kubeconfig: b64('users: [{user: {token: LEAK-token}}]'), token: 'LEAK-agent' },
  },
  status: { conditions: [] },
};
const FEDERATED_SECRET = {
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedSecret',
  metadata: { name: 'f1', namespace: 'demo', annotations: { [LAST_APPLIED]: 'LEAK-applied' } },
  spec: {
    template: { type: 'Opaque', data: { k: b64('LEAK-template') }, stringData: { s: 'LEAK-template-string' } },
    placement: { clusters: [{ name: 'member-1' }] },
    overrides: [
      {
        clusterName: 'member-1',
        clusterOverrides: [
          { path: '/data/k', value: b64('LEAK-override') },
          { path: '/stringData', value: { s: 'LEAK-override-string' } },
          { path: '/metadata/labels/shown', value: 'shown' },
        ],
      },
    ],
  },
};

const list = (...items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items, totalItems: items.length });

describe('redaction policy', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = stack.sim.issueToken('admin');
    const answer = (path: RegExp, body: string) => stack.sim.faults.add({ path, method: 'GET', fault: { kind: 'body', body } });
    answer(/\/secrets\/s1$/, JSON.stringify(SECRET));
    answer(/\/secrets$/, list(SECRET));
    answer(/\/users\/u1$/, JSON.stringify(USER));
    answer(/\/users$/, list(USER));
    answer(/\/clusters\/c1$/, JSON.stringify(CLUSTER));
    answer(/\/clusters$/, list(CLUSTER));
    answer(/\/federatedsecrets\/f1$/, JSON.stringify(FEDERATED_SECRET));
    answer(/\/federatedsecrets$/, list(FEDERATED_SECRET));
  });
  afterAll(() => stack.close());

  const id = (kind: string, name: string, namespace?: string, generic?: { plural: string; apiVersion?: string }) =>
    encodeObjectId({ cluster: undefined, kind, namespace, name, ...generic });

  const rows: [string, () => string, string[]][] = [
    ['Secret: raw and metadata', () => '{ secret(namespace: "demo", name: "s1") { keys raw metadata { annotations } } }', ['shown', '["k","s"]']],
    ['Secret: object(id:)', () => `{ object(id: "${id('Secret', 's1', 'demo')}") { raw metadata { annotations } } }`, ['shown']],
    ['Secret: generic list (v1alpha3)', () => '{ resources(resource: "secrets", namespace: "demo") { items { raw metadata { annotations } } } }', ['shown']],
    [
      'Secret: generic get (native)',
      () => '{ resource(resource: "secrets", apiVersion: "v1", namespace: "demo", name: "s1") { raw metadata { annotations } } }',
      ['shown'],
    ],
    [
      'Secret: generic object(id:)',
      () => `{ object(id: "${id('Secret', 's1', 'demo', { plural: 'secrets', apiVersion: 'v1' })}") { raw metadata { annotations } } }`,
      ['shown'],
    ],
    ['User: raw and metadata', () => '{ user(name: "u1") { email raw metadata { annotations } } }', ['u1@example.com', 'shown']],
    [
      'User: generic list',
      () => '{ resources(resource: "users", apiVersion: "iam.kubesphere.io/v1beta1") { items { raw metadata { annotations } } } }',
      ['u1@example.com'],
    ],
    ['User: generic get (v1alpha3 route)', () => '{ resource(resource: "users", name: "u1") { raw } }', ['u1@example.com']],
    ['Cluster: raw and metadata', () => '{ cluster(name: "c1") { connectionType raw metadata { annotations } } }', ['https://shown:6443', 'shown']],
    ['Cluster: object(id:)', () => `{ object(id: "${id('Cluster', 'c1')}") { raw } }`, ['https://shown:6443']],
    [
      'Cluster: generic get',
      () => '{ resource(resource: "clusters", apiVersion: "cluster.kubesphere.io/v1alpha1", name: "c1") { raw metadata { annotations } } }',
      ['https://shown:6443'],
    ],
    [
      'FederatedSecret: generic list',
      () => '{ resources(resource: "federatedsecrets", apiVersion: "types.kubefed.io/v1beta1", namespace: "demo") { items { raw metadata { annotations } } } }',
      ['/metadata/labels/shown', 'member-1'],
    ],
    [
      'FederatedSecret: generic get',
      () => '{ resource(resource: "federatedsecrets", apiVersion: "types.kubefed.io/v1beta1", namespace: "demo", name: "f1") { raw } }',
      ['/metadata/labels/shown'],
    ],
  ];

  it.each(rows)('%s: no credential in the response', async (_name, query, shown) => {
    const result = await stack.gql(query(), { token });
    const text = JSON.stringify(result);
    expect(codes(result)).toEqual([]);
    expect(text).not.toMatch(LEAKED);
    // What is not a credential is still there.
    for (const expected of shown) expect(text).toContain(expected);
  });

  it('Secret values do leave through Secret.data', async () => {
    const result = await stack.gql('{ secret(namespace: "demo", name: "s1") { data { key value } } }', { token });
    expect(result.data?.secret.data).toEqual([
      { key: 'k', value: 'LEAK-secret' },
      { key: 's', value: 'LEAK-string' },
    ]);
  });
});
