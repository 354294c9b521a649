/**
 * A child of bench/run.ts: the simulator or the facade in a process of its
 * own, so that the driver's load generator, the upstream and the facade do
 * not share one event loop, and the facade's RSS is its own. It answers the
 * driver over IPC.
 *
 *   node bench/worker.ts simulator <pods> <flavour> <latencyMs>
 *   node bench/worker.ts facade <upstreamUrl>
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

type Message = { id: number; op: string; arg?: string };
const [role, ...args] = process.argv.slice(2);
const reply = (id: number, value: unknown) => process.send!({ id, value });
/**
 * CPU time (user + system) of the event loop's thread, in ms: the facade's own work. The process's total adds V8's
 * and libuv's helper threads, which run longer when requests wait longer on a slow upstream, whatever the facade does.
 */
const cpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};
const rss = () => ({ rss: process.memoryUsage.rss(), peak: process.resourceUsage().maxRSS * 1024 });

if (role === 'simulator') {
  const { startSimulator } = await import('../simulator/index.ts');
  const sim = await startSimulator({ pods: Number(args[0]), flavour: args[1] as '3.4' | '4.1', latencyMs: Number(args[2]) });
  process.on('message', (m: Message) => {
    if (m.op === 'token') reply(m.id, sim.issueToken('admin'));
    else if (m.op === 'clear') reply(m.id, void sim.clearRequests());
    else if (m.op === 'stats') {
      const done = sim.requests.filter((r) => r.path !== '/kapis/version');
      reply(m.id, { calls: done.length, bytes: done.reduce((sum, r) => sum + r.bytes, 0), paths: done.map((r) => `${r.path}?${r.rawQuery}`) });
      sim.clearRequests();
    }
  });
  process.send!({ ready: sim.url });
} else if (role === 'facade') {
  const { loadConfig } = await import('../src/config.ts');
  const { createLogger } = await import('../src/logger.ts');
  const { createFacade } = await import('../src/server.ts');
  const config = loadConfig({
    KUBESPHERE_URL: args[0],
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    UPSTREAM_CONNECTIONS: '64',
    // The 5,000-pod list of goal 4 is one page.
    LIST_MAX_LIMIT: '5000',
  });
  const facade = createFacade({ ...config, upstream: { ...config.upstream, url: args[0]! } }, createLogger('silent'));
  facade.server.listen(0, '127.0.0.1');
  await once(facade.server, 'listening');
  await facade.client.version();
  let profiler: Session | undefined;
  process.on('message', async (m: Message) => {
    if (m.op === 'rss') reply(m.id, rss());
    else if (m.op === 'cpu') reply(m.id, cpuMs());
    else if (m.op === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      reply(m.id, null);
    } else if (m.op === 'profile-stop' && profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(m.arg!, JSON.stringify(profile));
      profiler.disconnect();
      reply(m.id, null);
    }
  });
  process.send!({ ready: `http://127.0.0.1:${(facade.server.address() as AddressInfo).port}/graphql` });
} else {
  throw new Error(`unknown role ${role}`);
}
