const m = (l: string) => { const u = process.memoryUsage(); console.log(l, Object.fromEntries(Object.entries(u).map(([k, v]) => [k, Math.round(v / 1048576)]))); };
m('start');
const { loadConfig } = await import('../src/config.ts'); m('config');
const { createLogger } = await import('../src/logger.ts');
const { createFacade } = await import('../src/server.ts'); m('server imported');
const config = loadConfig({ KUBESPHERE_URL: 'http://127.0.0.1:1', LOG_LEVEL: 'silent', NODE_ENV: 'production' });
const f = createFacade({ ...config, upstream: { ...config.upstream, url: 'http://127.0.0.1:1' } }, createLogger('silent')); m('facade created');
globalThis.gc?.(); m('after gc');
process.exit(0);
