/**
 * What a frontend team builds on: the typed example client (codegen client
 * preset over `schema.graphql`) against the demo, the persisted-documents
 * round trip through `TRUSTED_DOCUMENTS_FILE`, `@defer`, and the upstream
 * cost of each console screen as docs/cookbook.md states it.
 */
import { readFileSync } from 'node:fs';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, GraphQLRequestError } from '../examples/client/src/client.ts';
import { tour } from '../examples/client/src/main.ts';
import * as operations from '../examples/client/src/operations.ts';
import { DEMO } from '../simulator/index.ts';
import { ADMIN, codes, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

const MANIFEST = 'examples/client/src/gql/persisted-documents.json';
const { namespace: CRASH_NS, deployment: CRASH_DEPLOYMENT } = DEMO.cases.crashLoop;

async function crashPod(stack: Stack, token: string): Promise<string> {
  const result = await stack.gql(
    `{ pods(namespace: "${CRASH_NS}", filter: { labelSelector: "app=${CRASH_DEPLOYMENT}" }, limit: 1) { items { metadata { name } } } }`,
    {
      token,
    },
  );
  return result.data?.pods.items[0].metadata.name;
}

describe('example client against the demo', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('runs every screen with typed results', async () => {
    const { overview, nodes, projects, workloads, members, podDetail } = await tour(`${stack.url}/graphql`);
    expect(overview.version?.kubesphere.gitVersion).toMatch(/^v4\./);
    expect(overview.nodes?.totalItems).toBe(DEMO.nodes.host.length);
    expect(nodes.nodes?.items.map((n) => n.metadata.name).sort()).toEqual([...DEMO.nodes.host].sort());
    expect(projects.namespaces?.totalItems).toBeGreaterThan(10);
    expect(workloads.deployments?.items.map((d) => d.metadata.name).sort()).toEqual([...DEMO.deployments['demo-app']].sort().slice(0, 10));
    expect(members.workspace?.members?.items.length).toBeGreaterThan(0);
    const token = await stack.login(ADMIN.username, ADMIN.password);
    const pod = await podDetail(CRASH_NS, await crashPod(stack, token));
    expect(pod.pod?.containers.length).toBeGreaterThan(0);
    expect(pod.pod?.owner?.kind).toBe('ReplicaSet');
  });
});

describe('persisted documents', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS_FILE: MANIFEST } });
  });
  afterAll(() => stack.close());

  it('the manifest the client build emitted holds exactly its operations', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const names = Object.values(manifest).map((doc) => /^(?:query|mutation) (\w+)/.exec(doc)?.[1]);
    expect(names.sort()).toEqual(Object.keys(operations).sort());
  });

  it('runs the client by hash only, and refuses anything else', async () => {
    const { nodes, podDetail } = await tour(`${stack.url}/graphql`, ADMIN, true);
    expect(nodes.nodes?.totalItems).toBe(DEMO.nodes.host.length);
    const full = new Client({ url: `${stack.url}/graphql` });
    await expect(full.request(operations.Nodes, {})).rejects.toThrow(/PERSISTED_QUERY_ONLY/);
    const bogus = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: `sha256:${'0'.repeat(64)}` } } }),
    });
    expect(codes(await bogus.json())).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    await expect(podDetail('bad_name!', 'x')).rejects.toBeInstanceOf(GraphQLRequestError);
  });
});

describe('@defer', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('sends the slow part of a page later, over multipart/mixed', async () => {
    const token = await stack.login(ADMIN.username, ADMIN.password);
    const name = await crashPod(stack, token);
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query ($ns: String!, $name: String!) { pod(namespace: $ns, name: $name) { status ... @defer(label: "events") { events(limit: 5) { totalItems } } } }`,
        variables: { ns: CRASH_NS, name },
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    const parts = (await response.text())
      .split(/\r\n---/)
      .map((part) => part.slice(part.indexOf('{')).trim())
      .filter((part) => part.startsWith('{'))
      .map((part) => JSON.parse(part));
    expect(parts[0]).toMatchObject({ data: { pod: { status: expect.any(String) } }, hasNext: true });
    expect(parts[0].data.pod.events).toBeUndefined();
    expect(parts.at(-1)).toMatchObject({ hasNext: false });
    expect(JSON.stringify(parts.slice(1))).toMatch(/"label":"events".*"totalItems":\d+|"totalItems":\d+.*"label":"events"/);
  });
});

/** `| Screen | operation | 3.4 | 4.1 |` rows of the cookbook's cost table. */
function cookbookCosts(): Map<string, Record<string, number>> {
  const rows = readFileSync('docs/cookbook.md', 'utf8').matchAll(/^\|[^|]+\|\s*`(\w+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/gm);
  return new Map([...rows].map((m) => [m[1]!, { '3.4': Number(m[2]), '4.1': Number(m[3]) }]));
}

describe.each(FLAVOURS)('cookbook costs on KubeSphere %s', (flavour) => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack({ flavour });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  it('each screen makes the upstream calls the cookbook states', async () => {
    const variables: Record<string, Record<string, unknown>> = {
      ClusterOverview: {},
      Nodes: { limit: 10 },
      Projects: { limit: 10 },
      Workloads: { namespace: CRASH_NS, limit: 10 },
      PodDetail: { namespace: CRASH_NS, name: await crashPod(stack, token) },
      WorkspaceMembers: { workspace: 'demo-workspace' },
    };
    const measured: Record<string, { calls: number; paths: string[] }> = {};
    for (const [name, vars] of Object.entries(variables)) {
      const document = operations[name as keyof typeof operations];
      stack.sim.clearRequests();
      const result = await stack.gql(print(document), { variables: vars, token });
      expect(result.errors, name).toBeUndefined();
      measured[name] = { calls: stack.upstreamCalls().length, paths: stack.upstreamCalls().map((r) => `${r.method} ${r.path}`) };
    }
    console.log(`KubeSphere ${flavour} upstream calls per screen:\n${JSON.stringify(measured, null, 1)}`);
    const stated = cookbookCosts();
    expect(Object.fromEntries(Object.keys(variables).map((name) => [name, stated.get(name)?.[flavour]]))).toEqual(
      Object.fromEntries(Object.entries(measured).map(([name, m]) => [name, m.calls])),
    );
  });
});
