/**
 * Benchmarks the facade against direct REST calls to the simulator, side by
 * side in one run, over loopback only. The simulator and the facade each run
 * in a child process (bench/worker.ts); this process generates the load.
 *
 *   npm run bench -- --pods 2000 --small 500 --large 20000 --duration 5 --connections 10 --latency-ms 50
 *
 * Per case it prints req/s, p50/p99, upstream calls and bytes of one
 * request, bytes to the client, the facade's RSS and the ratio to REST.
 * `--profile DIR` writes a CPU profile of the facade per flat case;
 * `--facade-node-options='--max-semi-space-size=16'` runs the facade with those V8/Node flags.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '2000' },
    small: { type: 'string', default: '500' },
    large: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    'latency-ms': { type: 'string', default: '50' },
    flavour: { type: 'string', default: '4.1' },
    profile: { type: 'string' },
    // Node options for the facade's process only, e.g. the heap limits a container sets.
    'facade-node-options': { type: 'string' },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const CONNECTIONS = Number(values.connections);
const LATENCY = Number(values['latency-ms']);
const flavour = values.flavour as '3.4' | '4.1';
const PODS_REST = '/kapis/resources.kubesphere.io/v1alpha3/pods';

// The demo's objects: the generated ones are newer and elsewhere, so these pages are the same at every size.
const QUERIES = {
  nodes: `{ nodes(limit: 10) { totalItems items { metadata { name } roles ready capacity { cpu memory } } } }`,
  pods500: `{ pods(limit: 500) { totalItems items { metadata { name namespace } status restarts nodeName } } }`,
  pods5000: `{ pods(limit: 5000) { totalItems items { metadata { name } phase } } }`,
  nodesWithCounts: `{ nodes(limit: 10, sort: { field: CREATION_TIME, ascending: true }) { totalItems items { kind metadata { name } ready pods(limit: 1) { totalItems } } } }`,
  namespacePage: `{ deployments(namespace: "demo-app", limit: 20) { totalItems items { kind metadata { name namespace } readyReplicas pods { items { kind metadata { name namespace } status node { kind metadata { name } ready } } } } } }`,
  podsWithOwners: `{ pods(limit: 50, sort: { field: CREATION_TIME, ascending: true }) { totalItems items { kind metadata { name namespace } status node { kind metadata { name } } owner { kind metadata { name namespace } ... on ReplicaSet { owner { kind metadata { name namespace } } } } } } }`,
};

interface Worker {
  child: ChildProcess;
  url: string;
  ask<T>(op: string, arg?: string): Promise<T>;
}

async function start(...args: string[]): Promise<Worker> {
  const execArgv = args[0] === 'facade' && values['facade-node-options'] ? values['facade-node-options'].split(/\s+/) : [];
  const child = fork(new URL('./worker.ts', import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const [ready] = (await once(child, 'message')) as [{ ready: string }];
  let next = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (m: { id?: number; value?: unknown }) => m.id !== undefined && waiting.get(m.id)?.(m.value));
  return {
    child,
    url: ready.ready,
    ask: <T>(op: string, arg?: string) =>
      new Promise<T>((resolve) => {
        const id = next++;
        waiting.set(id, resolve as (value: unknown) => void);
        child.send({ id, op, arg });
      }),
  };
}

async function stop(worker: Worker) {
  worker.child.kill();
  await once(worker.child, 'exit');
}

interface Cluster {
  sim: Worker;
  facade: Worker;
  token: string;
  rest: Pool;
  graphql: Pool;
}

async function cluster(pods: number, latencyMs = 0): Promise<Cluster> {
  const sim = await start('simulator', String(pods), flavour, String(latencyMs));
  const facade = await start('facade', sim.url);
  const token = await sim.ask<string>('token');
  return {
    sim,
    facade,
    token,
    rest: new Pool(sim.url, { connections: CONNECTIONS }),
    graphql: new Pool(new URL(facade.url).origin, { connections: CONNECTIONS }),
  };
}

async function close(c: Cluster) {
  await Promise.all([c.rest.close(), c.graphql.close()]);
  await stop(c.facade);
  await stop(c.sim);
}

/** One request: returns the body's size; throws on errors. */
type Request = () => Promise<number>;

function restGet(c: Cluster, path: string): Request {
  return async () => {
    const response = await c.rest.request({ method: 'GET', path, headers: { authorization: `Bearer ${c.token}` } });
    const body = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${body.slice(0, 200)}`);
    JSON.parse(body);
    return Buffer.byteLength(body);
  };
}

function graphql(c: Cluster, query: string, check?: (data: unknown) => void): Request {
  const body = JSON.stringify({ query });
  return async () => {
    const response = await c.graphql.request({
      method: 'POST',
      path: '/graphql',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, 'x-graphql-yoga-csrf': '1' },
    });
    const text = await response.body.text();
    const parsed = JSON.parse(text) as { errors?: unknown; data?: unknown };
    if (parsed.errors) throw new Error(JSON.stringify(parsed.errors).slice(0, 500));
    check?.(parsed.data);
    return Buffer.byteLength(text);
  };
}

interface Load {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  clientBytes: number;
  errors: number;
}

/** Closed-loop load: `connections` loops, each sending its next request when the last one answered. */
async function load(request: Request, connections = CONNECTIONS, durationMs = DURATION_MS): Promise<Load> {
  const clientBytes = await request();
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        // A failed request still took its time: it counts in the latencies, and is reported.
        await request().catch(() => errors++);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rps: (latencies.length - errors) / (durationMs / 1000), requests: latencies.length, p50: at(0.5), p99: at(0.99), clientBytes, errors };
}

interface Upstream {
  calls: number;
  bytes: number;
  paths: string[];
}

async function upstreamOf(c: Cluster, request: Request): Promise<Upstream> {
  await c.sim.ask('clear');
  await request();
  return c.sim.ask<Upstream>('stats');
}

const rows: string[][] = [];
const MB = (bytes: number) => (bytes / 1048576).toFixed(0);
const ms = (value: number) => value.toFixed(1);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
let peakRss = 0;

async function rss(c: Cluster) {
  const { rss, peak } = await c.facade.ask<{ rss: number; peak: number }>('rss');
  peakRss = Math.max(peakRss, peak);
  return `${MB(rss)} / ${MB(peak)} MB`;
}

async function compare(c: Cluster, name: string, query: string, restPath: string | undefined) {
  const profile = values.profile;
  if (profile) await c.facade.ask('profile-start');
  const request = graphql(c, query);
  let upstream: Upstream;
  try {
    upstream = await upstreamOf(c, request);
  } catch (error) {
    // Recorded, not fatal: a query too slow to answer at all is a result too.
    rows.push([
      name,
      '–',
      `fails: ${(error as Error).message.match(/"code":"(\w+)"/)?.[1] ?? (error as Error).message.slice(0, 80)}`,
      '–',
      '–',
      '–',
      await rss(c),
      '–',
    ]);
    console.log(`| ${rows.at(-1)!.join(' | ')} |`);
    if (profile) await c.facade.ask('profile-stop', '/dev/null');
    return undefined;
  }
  const cpuBefore = await c.facade.ask<number>('cpu');
  const facade = await load(request);
  const cpu = ((await c.facade.ask<number>('cpu')) - cpuBefore) / facade.requests;
  if (profile) {
    await mkdir(profile, { recursive: true });
    await c.facade.ask('profile-stop', `${profile}/${name.replace(/\W+/g, '-')}.cpuprofile`);
  }
  const memory = await rss(c);
  const rest = restPath ? await load(restGet(c, restPath)) : undefined;
  rows.push([
    name,
    rest ? `${rest.rps.toFixed(0)} / ${ms(rest.p50)} / ${ms(rest.p99)}` : '–',
    `${facade.rps.toFixed(0)} / ${ms(facade.p50)} / ${ms(facade.p99)}${facade.errors ? ` (${facade.errors} errors)` : ''}`,
    cpu.toFixed(2),
    `${upstream.calls} / ${kb(upstream.bytes)}`,
    kb(facade.clientBytes),
    memory,
    rest ? `${(facade.rps / rest.rps).toFixed(2)}× (p50 ${(facade.p50 / rest.p50).toFixed(1)}×)` : '–',
  ]);
  console.log(`| ${rows.at(-1)!.join(' | ')} |`);
  return { facade, upstream, cpu };
}

function table(title: string, header: string[], body: string[][]) {
  console.log(`\n### ${title}\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of body) console.log(`| ${row.join(' | ')} |`);
}

/** Bytes of the objects a GraphQL answer shows, each read once by a native get: what the query needs at least. */
async function neededBytes(c: Cluster, data: unknown): Promise<number> {
  const PATHS: Record<string, (ns: string, name: string) => string> = {
    Node: (_ns, name) => `/api/v1/nodes/${name}`,
    Pod: (ns, name) => `/api/v1/namespaces/${ns}/pods/${name}`,
    Deployment: (ns, name) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
    ReplicaSet: (ns, name) => `/apis/apps/v1/namespaces/${ns}/replicasets/${name}`,
    StatefulSet: (ns, name) => `/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`,
    DaemonSet: (ns, name) => `/apis/apps/v1/namespaces/${ns}/daemonsets/${name}`,
    Job: (ns, name) => `/apis/batch/v1/namespaces/${ns}/jobs/${name}`,
    CronJob: (ns, name) => `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`,
  };
  const seen = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const object = value as { kind?: string; metadata?: { name?: string; namespace?: string } };
    if (object.kind && object.metadata?.name && PATHS[object.kind]) seen.add(PATHS[object.kind]!(object.metadata.namespace ?? '', object.metadata.name));
    Object.values(value).forEach(walk);
  };
  walk(data);
  let total = 0;
  for (const path of seen) total += await restGet(c, path)();
  return total;
}

console.log(`# kubesphere-graphql benchmark\n`);
console.log(
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(await import('node:os')).cpus().length} × ${(await import('node:os')).cpus()[0]?.model}; simulator ${flavour}; ${CONNECTIONS} connections, ${values.duration} s per measurement`,
);

// Flat lists (goal 1) on the main size.
const main = await cluster(Number(values.pods));
await compare(main, `nodes page (10), ${values.pods} pods`, QUERIES.nodes, '/kapis/resources.kubesphere.io/v1alpha3/nodes?limit=10');
await compare(main, `pods page (500), ${values.pods} pods`, QUERIES.pods500, `${PODS_REST}?limit=500`);
await compare(main, `namespace page: deployments → pods → node, ${values.pods} pods`, QUERIES.namespacePage, undefined);
await compare(main, `nodes page (10) with pod counts, ${values.pods} pods`, QUERIES.nodesWithCounts, undefined);
await close(main);

// Work bounded by the page (goal 2) and the 5,000-pod list (goal 4).
const sizes = [Number(values.small), Number(values.large)];
const bounded: Record<string, { p50: number; cpu: number; calls: number; bytes: number; needed: number }[]> = {};
for (const size of sizes) {
  const c = await cluster(size);
  for (const [name, query] of [
    ['nodes page with pod counts', QUERIES.nodesWithCounts],
    ['namespace page: deployments → pods → node', QUERIES.namespacePage],
    ['50 pods with node, owner and owner’s owner', QUERIES.podsWithOwners],
  ] as const) {
    let data: unknown;
    const measured = await compare(c, `${name}, ${size} pods`, query, undefined);
    if (!measured) continue;
    await graphql(c, query, (d) => (data = d))();
    (bounded[name] ??= []).push({
      p50: measured.facade.p50,
      cpu: measured.cpu,
      calls: measured.upstream.calls,
      bytes: measured.upstream.bytes,
      needed: await neededBytes(c, data),
    });
  }
  if (size >= 5000) await compare(c, `pods list (5000) name and phase, ${size} pods`, QUERIES.pods5000, `${PODS_REST}?limit=5000`);
  await close(c);
}

// Round trips (goal 3): one connection, upstream latency injected.
let roundTrips: Load | undefined;
if (LATENCY > 0) {
  const c = await cluster(Number(values.small), LATENCY);
  const request = graphql(c, QUERIES.namespacePage);
  const upstream = await upstreamOf(c, request);
  roundTrips = await load(request, 1, Math.max(DURATION_MS, 20 * LATENCY));
  rows.push([
    `namespace page at ${LATENCY} ms upstream latency`,
    '–',
    `${roundTrips.rps.toFixed(1)} / ${ms(roundTrips.p50)} / ${ms(roundTrips.p99)}`,
    '–',
    `${upstream.calls} / ${kb(upstream.bytes)}`,
    kb(roundTrips.clientBytes),
    await rss(c),
    `${(roundTrips.p50 / LATENCY).toFixed(2)} round trips`,
  ]);
  await close(c);
}

table(
  'Per case (one request: upstream calls and bytes; under load: req/s, p50/p99 ms)',
  [
    'case',
    'REST req/s / p50 / p99',
    'facade req/s / p50 / p99',
    'facade event-loop CPU ms / request',
    'upstream calls / bytes',
    'to client',
    'facade RSS now / peak',
    'ratio to REST',
  ],
  rows,
);
table(
  `Work bounded by the page: ${sizes[0]} vs ${sizes[1]} pods`,
  [
    'case',
    'p50 ratio (≤ 1.3)',
    'facade event-loop CPU per request ratio',
    'upstream calls',
    'upstream bytes ratio (≤ 1.1)',
    'upstream bytes / bytes of the objects shown (≤ 2)',
  ],
  Object.entries(bounded).flatMap(([name, [a, b]]) =>
    a && b
      ? [
          [
            name,
            (b!.p50 / a!.p50).toFixed(2),
            `${a!.cpu.toFixed(2)} → ${b!.cpu.toFixed(2)} ms: ${(b!.cpu / a!.cpu).toFixed(2)}`,
            `${a!.calls} → ${b!.calls}`,
            `${kb(a!.bytes)} → ${kb(b!.bytes)}: ${(b!.bytes / a!.bytes).toFixed(2)}`,
            `${(a!.bytes / a!.needed).toFixed(2)} → ${(b!.bytes / b!.needed).toFixed(2)}`,
          ],
        ]
      : [],
  ),
);
console.log(`\nPeak facade RSS through the bench: ${MB(peakRss)} MB (goal ≤ 256 MB)`);
