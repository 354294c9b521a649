/**
 * The facade's CPU time per request for one query, alone: the simulator and
 * the facade in child processes (bench/worker.ts), four connections, no
 * REST comparison. For finding per-request overhead between full bench runs.
 *
 *   npm run bench:cpu -- ['{ nodes(limit: 10) { … } }'] [--requests 2000] [--pods 2000] [--latency-ms 0] [--profile FILE]
 *
 * The CPU is the event loop's thread only (`process.threadCpuUsage`).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values, positionals } = parseArgs({
  options: {
    profile: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    pods: { type: 'string', default: '2000' },
    'latency-ms': { type: 'string', default: '0' },
  },
  allowPositionals: true,
});
const QUERY = positionals[0] ?? '{ nodes(limit: 10) { totalItems items { metadata { name } roles ready capacity { cpu memory } } } }';
const REQUESTS = Number(values.requests);
const CONNECTIONS = 4;

async function start(...args: string[]) {
  const child = fork(new URL('./worker.ts', import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ ready: string }];
  let next = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (m: { id?: number; value?: unknown }) => m.id !== undefined && waiting.get(m.id)?.(m.value));
  const ask = <T>(op: string, arg?: string) =>
    new Promise<T>((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (value: unknown) => void);
      child.send({ id, op, arg });
    });
  return { child, url: ready.ready, ask };
}

const sim = await start('simulator', values.pods, '4.1', values['latency-ms']);
const facade = await start('facade', sim.url);
const token = await sim.ask<string>('token');
const pool = new Pool(new URL(facade.url).origin, { connections: CONNECTIONS });
const body = JSON.stringify({ query: QUERY });
const request = async () => {
  const response = await pool.request({
    method: 'POST',
    path: '/graphql',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
  });
  const text = await response.body.text();
  if ((JSON.parse(text) as { errors?: unknown }).errors) throw new Error(text.slice(0, 500));
};
const run = (count: number) =>
  Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = 0; i < count / CONNECTIONS; i++) await request();
    }),
  );

await run(300); // warm-up: JIT, caches, pools
if (values.profile) await facade.ask('profile-start');
const cpuBefore = await facade.ask<number>('cpu');
const started = performance.now();
await run(REQUESTS);
const cpu = (await facade.ask<number>('cpu')) - cpuBefore;
const seconds = (performance.now() - started) / 1000;
if (values.profile) await facade.ask('profile-stop', values.profile);
const { rss } = await facade.ask<{ rss: number }>('rss');
console.log(`facade CPU per request: ${(cpu / REQUESTS).toFixed(3)} ms; ${(REQUESTS / seconds).toFixed(0)} req/s; facade RSS ${(rss / 1048576).toFixed(0)} MB`);
await pool.close();
facade.child.kill();
sim.child.kill();
