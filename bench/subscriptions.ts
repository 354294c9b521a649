/**
 * Measures subscriptions over watch, on loopback only: the facade runs as
 * its own child process (`node src/main.ts`, as in production) over the
 * simulator, which runs in this process so that its open watch streams can
 * be counted. It prints:
 *
 * - upstream watches opened for 10 subscribers of one user (one token),
 *   and for 10 subscribers of 10 users (10 tokens), same query;
 * - the facade process's RSS idle, and with 1,000 open subscriptions over
 *   10 WebSockets, both sharing watches (10 tokens × 100 subscriptions of
 *   one scope) and not (1,000 scopes: one upstream watch each).
 *
 *   node bench/subscriptions.ts [--flavour 4.1] [--budget-seconds 120]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../simulator/index.ts';

const { values } = parseArgs({
  options: {
    flavour: { type: 'string', default: '4.1' },
    'budget-seconds': { type: 'string', default: '120' },
  },
});

// Bounded in time: whatever happens, the run ends.
const budget = setTimeout(
  () => {
    console.error(`bench/subscriptions: over its budget of ${values['budget-seconds']} s`);
    process.exit(1);
  },
  Number(values['budget-seconds']) * 1000,
);
budget.unref();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kb) throw new Error('no VmRSS in /proc');
  return Number(kb[1]) * 1024;
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const sim: Simulator = await startSimulator({ flavour: values.flavour as '3.4' | '4.1' });
  // LOG_LEVEL info for the ready line only: the facade logs nothing per subscription at info.
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', KUBESPHERE_URL: sim.url, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const clients: Client[] = [];
  try {
    await until(() => /GraphQL ready at http:\/\/localhost:\d+/.test(output), 'the facade to start');
    const port = /GraphQL ready at http:\/\/localhost:(\d+)/.exec(output)![1];
    const url = `ws://127.0.0.1:${port}/graphql`;
    const connect = (token: string) => {
      const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      clients.push(client);
      return client;
    };
    const subscribe = (client: Client, query: string) => {
      let received = 0;
      const dispose = client.subscribe({ query }, { next: () => received++, error: () => undefined, complete: () => undefined });
      return { dispose, received: () => received };
    };
    const watches = () => sim.watches.open({ kind: 'watch' });
    const watchRequests = () => sim.requests.filter((r) => r.query.watch !== undefined).length;
    const POD_CHANGES = (selector?: string) =>
      `subscription { podChanges(namespace: "alpha-web"${selector ? `, labelSelector: "${selector}"` : ''}) { type object { metadata { name } } } }`;

    await sleep(500);
    const idle = rssOf(child.pid!);

    // 10 subscribers, one user: 10 sockets with the same token.
    const admin = sim.issueToken('admin');
    sim.clearRequests();
    let subs = Array.from({ length: 10 }, () => subscribe(connect(admin), POD_CHANGES()));
    await until(() => subs.every((s) => s.received() > 0), '10 subscribers of one user');
    await sleep(300);
    const oneUser = { open: watches(), requests: watchRequests() };
    for (const s of subs) s.dispose();
    await until(() => watches() === 0, 'the watches to close');

    // 10 subscribers, 10 users: 10 sockets, each with a token of its own.
    // Ten tokens (ten logins): what the facade tells users apart by. All are admin's, so that each may watch alpha-web.
    const tokens = Array.from({ length: 10 }, () => sim.issueToken('admin'));
    sim.clearRequests();
    subs = tokens.map((t) => subscribe(connect(t), POD_CHANGES()));
    await until(() => subs.every((s) => s.received() > 0), '10 subscribers of 10 users');
    await sleep(300);
    const tenUsers = { open: watches(), requests: watchRequests() };
    for (const s of subs) s.dispose();
    await until(() => watches() === 0, 'the watches to close');
    for (const c of clients.splice(0)) await c.dispose();

    // 1,000 subscriptions over 10 WebSockets (10 tokens × 100, the per-connection default), sharing watches.
    const shared = tokens.map(connect);
    subs = shared.flatMap((c) => Array.from({ length: 100 }, () => subscribe(c, POD_CHANGES())));
    await until(() => subs.every((s) => s.received() > 0), '1,000 shared subscriptions', 60_000);
    await sleep(1_000);
    const sharedRss = rssOf(child.pid!);
    const sharedWatches = watches();
    for (const s of subs) s.dispose();
    await until(() => watches() === 0, 'the watches to close');
    for (const c of clients.splice(0)) await c.dispose();

    // 1,000 subscriptions, each of its own scope (label selector): 1,000 upstream watches.
    const own = tokens.map(connect);
    subs = own.flatMap((c, i) =>
      Array.from({ length: 100 }, (_, j) =>
        subscribe(c, `subscription { podChanges(namespace: "alpha-web", labelSelector: "bench=s${i}-${j}", initial: false) { type } }`),
      ),
    );
    await until(() => watches() === 1_000, '1,000 upstream watches', 60_000);
    await sleep(1_000);
    const distinctRss = rssOf(child.pid!);
    for (const s of subs) s.dispose();
    await until(() => watches() === 0, 'the watches to close');

    console.log(`KubeSphere ${sim.flavour} simulator, facade in its own process (NODE_ENV=production), loopback`);
    console.log(`10 subscribers, 1 user (one token):   ${oneUser.open} upstream watch(es) open, ${oneUser.requests} watch request(s)`);
    console.log(`10 subscribers, 10 users (10 tokens): ${tenUsers.open} upstream watch(es) open, ${tenUsers.requests} watch request(s)`);
    console.log(`facade RSS idle:                                      ${mib(idle)}`);
    console.log(`facade RSS, 1,000 subscriptions sharing ${sharedWatches} watches:     ${mib(sharedRss)}`);
    console.log(`facade RSS, 1,000 subscriptions on 1,000 upstream watches: ${mib(distinctRss)}`);
  } finally {
    for (const c of clients) await c.dispose();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await sim.close();
  }
}

await main();
