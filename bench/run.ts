/**
 * Benchmarks the facade against the simulator over loopback and prints
 * figures: latency, throughput and upstream calls per operation, for a few
 * real UI pages on a large generated cluster.
 *
 *   npm run bench -- --pods 5000 --duration 10 --connections 20
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createFacade } from '../src/server.ts';
import { startSimulator } from '../simulator/index.ts';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    flavour: { type: 'string', default: '4.1' },
  },
});

const OPERATIONS: Record<string, string> = {
  'pods page (100) with nodes': `{ pods(limit: 100) { totalItems items { metadata { name namespace } status restarts node { metadata { name } ready } } } }`,
  'namespace deployments (20) with pods and nodes': `{ deployments(namespace: "demo-app", limit: 20) { totalItems items { metadata { name } replicas readyReplicas pods { metadata { name } status node { metadata { name } } } } } }`,
  'nodes page (10) with pod counts': `{ nodes(limit: 10) { totalItems items { metadata { name } roles ready capacity { cpu memory } pods(limit: 1) { totalItems } } } }`,
};

const sim = await startSimulator({ flavour: values.flavour as '3.4' | '4.1', pods: Number(values.pods) });
const config = loadConfig({ KUBESPHERE_URL: sim.url, LOG_LEVEL: 'silent', NODE_ENV: 'production', UPSTREAM_CONNECTIONS: '64' });
const facade = createFacade({ ...config, upstream: { ...config.upstream, url: sim.url } }, createLogger('silent'));
facade.server.listen(0, '127.0.0.1');
await once(facade.server, 'listening');
const url = `http://127.0.0.1:${(facade.server.address() as AddressInfo).port}/graphql`;
const token = sim.issueToken('admin');
// The API generation is detected once per upstream; do it before counting calls.
await facade.client.version();
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' };

console.log(`simulator ${values.flavour}, ~${values.pods} pods; ${values.connections} connections for ${values.duration} s per operation\n`);
console.log('operation | upstream calls | req/s | p50 ms | p99 ms | errors');
for (const [name, query] of Object.entries(OPERATIONS)) {
  // Let the previous run's last requests drain before counting this operation's calls.
  await new Promise((resolve) => setTimeout(resolve, 500));
  sim.clearRequests();
  const probe = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const body = (await probe.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  const calls = sim.requests.length;
  sim.clearRequests();
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    body: JSON.stringify({ query }),
    connections: Number(values.connections),
    duration: Number(values.duration),
  });
  console.log(
    `${name} | ${calls} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${result.errors + result.timeouts + result.non2xx}`,
  );
}

await facade.close();
await sim.close();
