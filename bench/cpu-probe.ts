import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Pool } from 'undici';
const start = async (...args: string[]) => {
  const child = fork(new URL('./worker.ts', import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
  const [ready] = (await once(child, 'message')) as [{ ready: string }];
  let next = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  child.on('message', (m: any) => m.id !== undefined && waiting.get(m.id)?.(m.value));
  return {
    child,
    url: ready.ready,
    ask: <T>(op: string, arg?: string) =>
      new Promise<T>((r) => {
        const id = next++;
        waiting.set(id, r as any);
        child.send({ id, op, arg });
      }),
  };
};
const sim = await start('simulator', '2000', '4.1', '0');
const facade = await start('facade', sim.url);
const token = await sim.ask<string>('token');
const pool = new Pool(new URL(facade.url).origin, { connections: 4 });
const query = process.argv[2] ?? `{ nodes(limit: 10) { totalItems items { metadata { name } roles ready capacity { cpu memory } } } }`;
const body = JSON.stringify({ query });
const one = async () => {
  const r = await pool.request({
    method: 'POST',
    path: '/graphql',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
  });
  const t = await r.body.text();
  if (t.includes('"errors"')) throw new Error(t);
};
for (let i = 0; i < 300; i++) await one();
const N = 2000;
if (process.env.PROFILE) await facade.ask('profile-start');
const c0 = await facade.ask<number>('cpu');
const t0 = performance.now();
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let i = 0; i < N / 4; i++) await one();
  }),
);
const c1 = await facade.ask<number>('cpu');
if (process.env.PROFILE) await facade.ask('profile-stop', process.env.PROFILE);
console.log(
  `facade CPU per request: ${((c1 - c0) / N).toFixed(3)} ms; ${(N / ((performance.now() - t0) / 1000)).toFixed(0)} req/s; rss ${JSON.stringify(await facade.ask('rss'))}`,
);
await pool.close();
facade.child.kill();
sim.child.kill();
