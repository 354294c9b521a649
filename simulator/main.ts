/**
 * CLI: `npm run simulator -- --port 9090 --flavour 3.4 --pods 5000`.
 * Serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { DEMO, startSimulator, type Flavour } from './index.ts';

const USAGE = `Usage: npm run simulator -- [--host 127.0.0.1] [--port 0] [--flavour 4.1|3.4] [--pods N] [--latency-ms N] [--tag-caller] [--monitoring-extension installed|absent|unavailable]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      flavour: { type: 'string', default: '4.1' },
      pods: { type: 'string' },
      'latency-ms': { type: 'string', default: '0' },
      'tag-caller': { type: 'boolean', default: false },
      'monitoring-extension': { type: 'string', default: 'installed' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
if (values.flavour !== '3.4' && values.flavour !== '4.1') fail(`invalid --flavour ${values.flavour}`);
const pods = values.pods === undefined ? undefined : Number(values.pods);
if (pods !== undefined && (!Number.isInteger(pods) || pods < 0)) fail(`invalid --pods ${values.pods}`);
const extension = values['monitoring-extension'];
if (extension !== 'installed' && extension !== 'absent' && extension !== 'unavailable') fail(`invalid --monitoring-extension ${extension}`);

const latencyMs = Number(values['latency-ms']);
if (!Number.isFinite(latencyMs) || latencyMs < 0) fail(`invalid --latency-ms ${values['latency-ms']}`);

const started = performance.now();
const sim = await startSimulator({
  host: values.host,
  port,
  flavour: values.flavour as Flavour,
  ...(pods !== undefined ? { pods } : {}),
  tagCaller: values['tag-caller'],
  monitoringExtension: extension,
  latencyMs,
});
const users = Object.values(DEMO.users)
  .filter((u) => !('disabled' in u))
  .map((u) => `${u.username} / ${u.password}`)
  .join(', ');
process.stdout.write(
  `KubeSphere simulator (flavour ${sim.flavour}) listening on ${sim.url} (ready in ${Math.round(performance.now() - started)} ms)\n` +
    `  log in: POST ${sim.url}/oauth/token with client_id=${DEMO.clientId}, client_secret=${DEMO.clientSecret}\n` +
    `  users:  ${users}\n`,
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
