/** Process entry: configuration, the upstream (or the built-in simulator), listen, shut down. */
import { once } from 'node:events';
import { handleArguments } from './cli.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { startTracing } from './observability/tracing.ts';
import { createFacade } from './server.ts';

async function main(): Promise<void> {
  const handled = handleArguments(process.argv.slice(2));
  if (handled) {
    (handled.code === 0 ? process.stdout : process.stderr).write(handled.text);
    process.exitCode = handled.code;
    return;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let upstreamUrl: string | null = config.upstream.url;
  let stopSimulator: (() => Promise<void>) | undefined;
  if (upstreamUrl === null) {
    const { startSimulator } = await import('../simulator/index.ts');
    const simulator = await startSimulator({ flavour: config.simulator.flavour, ...(config.simulator.pods !== undefined && { pods: config.simulator.pods }) });
    upstreamUrl = simulator.url;
    stopSimulator = () => simulator.close();
    logger.warn(
      { upstream: simulator.url, flavour: simulator.flavour },
      'KUBESPHERE_URL is not set: serving the built-in demo cluster (KubeSphere simulator). Log in as admin / P@88w0rd, or alice / Alice@1234 for a workspace member.',
    );
  }

  // Before the facade exists, so that every span it makes has a provider.
  const stopTracing = config.tracing ? await startTracing(config.tracing) : undefined;
  if (config.tracing) logger.info({ traces: config.tracing.tracesUrl }, 'tracing on: OTLP/HTTP export');
  const facade = createFacade({ ...config, upstream: { ...config.upstream, url: upstreamUrl } }, logger);
  // Before the ready line: until a handler exists, SIGTERM's default action kills the process
  // outright, so a supervisor that signals right after "ready" would skip the graceful shutdown.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await facade.close();
    metricsServer?.close();
    await stopTracing?.().catch(() => undefined);
    await stopSimulator?.();
    process.exit(0);
  };
  let metricsServer: ReturnType<typeof facade.metrics.server> | undefined;
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  facade.server.listen(config.http.port, config.http.host);
  try {
    await once(facade.server, 'listening');
  } catch (error) {
    // A taken or forbidden port is an operator's mistake: one line, not a stack trace.
    const reason = listenFailure(error as NodeJS.ErrnoException, config.http.host, config.http.port);
    if (reason === null) throw error;
    process.stderr.write(`${reason}\n`);
    await facade.client.close();
    await stopSimulator?.();
    process.exit(1);
  }
  if (config.metrics.port !== 0) {
    metricsServer = facade.metrics.server();
    metricsServer.listen(config.metrics.port, config.metrics.host);
    try {
      await once(metricsServer, 'listening');
      logger.info({ port: config.metrics.port }, `Prometheus metrics at http://localhost:${config.metrics.port}/metrics`);
    } catch (error) {
      // Metrics are for the operator: a taken port must not take the GraphQL service down with it.
      const reason = listenFailure(error as NodeJS.ErrnoException, config.metrics.host, config.metrics.port, 'METRICS_PORT', 'METRICS_HOST');
      if (reason === null) throw error;
      logger.warn(`No metrics listener. ${reason}`);
      metricsServer = undefined;
    }
  }
  const address = facade.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info({ port, upstream: facade.client.origin }, `GraphQL ready at http://localhost:${port}/graphql`);
  // Once, for the operator: which KubeSphere this facade talks to. Unreachable is not fatal:
  // /readyz reports it, and the version is read again on the first request that needs it.
  facade.client.version().then(
    (version) => logger.info({ kubesphere: version.gitVersion, kubernetes: version.kubernetes?.gitVersion }, `KubeSphere ${version.gitVersion} detected`),
    (error: unknown) =>
      logger.warn(
        { upstream: facade.client.origin, reason: (error as Error).message },
        'KubeSphere version unknown: the upstream did not answer /kapis/version',
      ),
  );
}

function listenFailure(error: NodeJS.ErrnoException, host: string, port: number, portVariable = 'PORT', hostVariable = 'HOST'): string | null {
  if (error.code === 'EADDRINUSE') return `Port ${port} on ${host} is already in use: stop the other process or set ${portVariable} to a free port.`;
  if (error.code === 'EACCES') return `Port ${port} on ${host} needs privileges this process does not have: set ${portVariable} to 1024 or above.`;
  if (error.code === 'EADDRNOTAVAIL') return `Cannot listen on ${host}:${port}: ${hostVariable} is not an address of this machine.`;
  return null;
}

await main();
