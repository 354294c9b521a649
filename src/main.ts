/** Process entry: configuration, the upstream (or the built-in simulator), listen, shut down. */
import { once } from 'node:events';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createFacade } from './server.ts';

async function main(): Promise<void> {
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

  const facade = createFacade({ ...config, upstream: { ...config.upstream, url: upstreamUrl } }, logger);
  facade.server.listen(config.http.port, config.http.host);
  await once(facade.server, 'listening');
  const address = facade.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info({ port, upstream: facade.client.origin }, `GraphQL ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await facade.close();
    await stopSimulator?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();
