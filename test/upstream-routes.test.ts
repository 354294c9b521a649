/**
 * The routes the facade takes where real ks-apiserver differs from what a
 * simple reading of its API suggests. A scripted upstream answers as real
 * 3.4 and 4.1 do (stub members, fallback kinds that ignore labelSelector),
 * and every request the facade sends is checked.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createFacade, type Facade } from '../src/server.ts';

type Answer = { status?: number; body: unknown };

/** A fake ks-apiserver: answers by path (query ignored), records `path?query` of every request. */
async function scriptedUpstream(gitVersion: string, answers: Record<string, Answer>) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (url.pathname !== '/kapis/version') requests.push(`${url.pathname}${url.search ? `?${decodeURIComponent(url.search.slice(1))}` : ''}`);
    const answer = url.pathname === '/kapis/version' ? { body: { gitVersion } } : answers[url.pathname];
    res.writeHead(answer?.status ?? (answer ? 200 : 404), { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer?.body ?? { kind: 'Status', code: 404, reason: 'NotFound', message: `${url.pathname} not scripted` }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

async function facadeFor(upstreamUrl: string) {
  const config = loadConfig({ KUBESPHERE_URL: upstreamUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const facade: Facade = createFacade({ ...config, upstream: { ...config.upstream, url: upstreamUrl } }, createLogger(config.logLevel));
  facade.server.listen(0, '127.0.0.1');
  await once(facade.server, 'listening');
  const url = `http://127.0.0.1:${(facade.server.address() as AddressInfo).port}/graphql`;
  const gql = async (query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer token' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] };
  };
  return { facade, gql };
}

const meta = (name: string, labels: Record<string, string> = {}, creationTimestamp = '2026-01-01T00:00:00Z') => ({
  name,
  namespace: 'ns1',
  labels,
  creationTimestamp,
  uid: `uid-${name}`,
});

describe('KubeSphere 3.4 routes', () => {
  const R = '/kapis/resources.kubesphere.io/v1alpha3';
  let upstream: Awaited<ReturnType<typeof scriptedUpstream>>;
  let stack: Awaited<ReturnType<typeof facadeFor>>;

  beforeAll(async () => {
    upstream = await scriptedUpstream('v3.4.1', {
      // The v1alpha2 fallback answers with every cron job: it has no label selector.
      [`${R}/namespaces/ns1/cronjobs`]: {
        body: {
          items: [
            { metadata: meta('a-old', { app: 'a' }, '2026-01-01T00:00:00Z'), spec: { schedule: '* * * * *' } },
            { metadata: meta('a-new', { app: 'a' }, '2026-02-01T00:00:00Z'), spec: { schedule: '* * * * *' } },
            { metadata: meta('b', { app: 'b' }), spec: { schedule: '* * * * *' } },
          ],
          totalItems: 3,
        },
      },
      [`${R}/namespaces/ns1/deployments`]: { body: { items: [{ metadata: meta('web', { app: 'a' }) }], totalItems: 1 } },
      [`${R}/namespaces/ns1/deployments/web`]: { body: { metadata: meta('web', { app: 'a' }) } },
      '/apis/apps/v1/namespaces/ns1/replicasets': {
        body: {
          kind: 'ReplicaSetList',
          items: [{ metadata: { ...meta('web-1', { app: 'a' }), ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true }] } }],
        },
      },
      '/kapis/tenant.kubesphere.io/v1alpha2/workspaces/ws1': { body: { metadata: { name: 'ws1' }, spec: { placement: { clusters: [{ name: 'host' }] } } } },
    });
    stack = await facadeFor(upstream.url);
  });
  afterAll(async () => {
    await stack.facade.close();
    upstream.server.close();
  });

  it('applies a label selector to fallback kinds itself, and pages what matched', async () => {
    upstream.requests.length = 0;
    const result = await stack.gql(`{ cronJobs(namespace: "ns1", filter: { labelSelector: "app=a" }, limit: 1) { totalItems items { metadata { name } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.cronJobs).toEqual({ totalItems: 2, items: [{ metadata: { name: 'a-new' } }] });
    expect(upstream.requests).toEqual([`${R}/namespaces/ns1/cronjobs?limit=-1&sortBy=createTime`]);
  });

  it('sends a label selector upstream for kinds v1alpha3 serves itself', async () => {
    upstream.requests.length = 0;
    const result = await stack.gql(`{ deployments(namespace: "ns1", filter: { labelSelector: "app=a" }, limit: 5) { totalItems } }`);
    expect(result.data!.deployments.totalItems).toBe(1);
    expect(upstream.requests).toEqual([`${R}/namespaces/ns1/deployments?limit=5&page=1&labelSelector=app=a`]);
  });

  it('reads ReplicaSets natively (3.x v1alpha3 has none), for lists and for Deployment.replicaSets', async () => {
    upstream.requests.length = 0;
    const result = await stack.gql(
      `{ replicaSets(namespace: "ns1", filter: { labelSelector: "app=a" }) { totalItems } deployment(namespace: "ns1", name: "web") { replicaSets { items { metadata { name } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.replicaSets.totalItems).toBe(1);
    expect(result.data!.deployment.replicaSets.items).toEqual([{ metadata: { name: 'web-1' } }]);
    expect(upstream.requests.filter((r) => r.includes('replicasets')).sort()).toEqual([
      '/apis/apps/v1/namespaces/ns1/replicasets',
      '/apis/apps/v1/namespaces/ns1/replicasets?labelSelector=app=a',
    ]);
  });

  it('reads workspaces from v1alpha2 workspaces, which are templates on 3.x', async () => {
    upstream.requests.length = 0;
    const result = await stack.gql(`{ workspace(name: "ws1") { clusterNames } }`);
    expect(result.data!.workspace.clusterNames).toEqual(['host']);
    expect(upstream.requests).toEqual(['/kapis/tenant.kubesphere.io/v1alpha2/workspaces/ws1']);
  });
});

describe('KubeSphere 4.1 routes', () => {
  const IAM = '/kapis/iam.kubesphere.io/v1beta1';
  const TENANT = '/kapis/tenant.kubesphere.io/v1beta1';
  let upstream: Awaited<ReturnType<typeof scriptedUpstream>>;
  let stack: Awaited<ReturnType<typeof facadeFor>>;
  const answers: Record<string, Answer> = {
    // 4.1's workspacemembers are stubs: the name and the role annotation only.
    [`${IAM}/workspaces/ws1/workspacemembers`]: {
      body: {
        items: ['bob', 'carol'].map((name) => ({ metadata: { name, annotations: { 'iam.kubesphere.io/workspacerole': 'ws1-viewer' } } })),
        totalItems: 2,
      },
    },
    [`${IAM}/users`]: {
      body: {
        items: ['bob', 'carol'].map((name) => ({
          metadata: { name, annotations: { 'iam.kubesphere.io/globalrole': 'platform-regular' } },
          spec: { email: `${name}@example.com`, displayName: name.toUpperCase() },
          status: { state: 'Active', lastLoginTime: '2026-03-01T00:00:00Z' },
        })),
        totalItems: 2,
      },
    },
    [`${TENANT}/workspacetemplates/ws1`]: {
      body: { metadata: { name: 'ws1' }, spec: { template: { spec: { manager: 'bob' } }, placement: { clusters: [{ name: 'host' }, { name: 'member-1' }] } } },
    },
    [`${TENANT}/workspacetemplates`]: {
      body: { items: [{ metadata: { name: 'ws1' }, spec: { placement: { clusters: [{ name: 'host' }] } } }], totalItems: 1 },
    },
  };

  beforeAll(async () => {
    upstream = await scriptedUpstream('v4.1.2', answers);
    stack = await facadeFor(upstream.url);
  });
  afterAll(async () => {
    await stack.facade.close();
    upstream.server.close();
  });

  it('reads workspace templates (with placement) for gets and lists, not the per-cluster workspaces', async () => {
    upstream.requests.length = 0;
    const result = await stack.gql(`{ workspace(name: "ws1") { clusterNames manager } workspaces { items { clusterNames } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.workspace).toEqual({ clusterNames: ['host', 'member-1'], manager: 'bob' });
    expect(result.data!.workspaces.items).toEqual([{ clusterNames: ['host'] }]);
    expect(upstream.requests.sort()).toEqual([`${TENANT}/workspacetemplates/ws1`, `${TENANT}/workspacetemplates?limit=10&page=1`]);
  });

  it("merges the stub members with their users, read by name in one call, keeping the member's role", async () => {
    upstream.requests.length = 0;
    const result = await stack.gql(
      `{ workspace(name: "ws1") { members { items { roleName user { username email displayName state lastLoginTime globalRoleName } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.workspace.members.items).toEqual(
      ['bob', 'carol'].map((name) => ({
        roleName: 'ws1-viewer',
        user: {
          username: name,
          email: `${name}@example.com`,
          displayName: name.toUpperCase(),
          state: 'ACTIVE',
          lastLoginTime: '2026-03-01T00:00:00.000Z',
          globalRoleName: 'platform-regular',
        },
      })),
    );
    expect(upstream.requests.filter((r) => r.startsWith(IAM))).toEqual([
      `${IAM}/workspaces/ws1/workspacemembers?limit=-1`,
      `${IAM}/users?limit=2&names=bob,carol`,
    ]);
  });

  it('keeps the stubs when the caller may not list users', async () => {
    const users = answers[`${IAM}/users`]!;
    answers[`${IAM}/users`] = { status: 403, body: { kind: 'Status', code: 403, reason: 'Forbidden', message: 'users is forbidden' } };
    try {
      const result = await stack.gql(`{ workspace(name: "ws1") { members { items { roleName user { username email } } } } }`);
      expect(result.errors).toBeUndefined();
      expect(result.data!.workspace.members.items).toEqual(['bob', 'carol'].map((name) => ({ roleName: 'ws1-viewer', user: { username: name, email: null } })));
    } finally {
      answers[`${IAM}/users`] = users;
    }
  });
});
