/**
 * Builds the facade: a Yoga instance over one shared KubeSphere client, and
 * the Node HTTP server around it. `main.ts` only listens.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createYoga, useExecutionCancellation, useExtendContext, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.ts';
import { useUpstreamErrors } from './errors.ts';
import { createContextFactory, type RequestContext } from './context.ts';
import { graphiqlOptions } from './graphiql.ts';
import { KubeSphereClient } from './kubesphere/client.ts';
import type { Logger } from './logger.ts';
import { protections } from './protections.ts';
import { buildSchema } from './schema.ts';
import { LiveHub } from './subscriptions/hub.ts';
import { attachWebSocket } from './subscriptions/ws.ts';

export interface Facade {
  server: Server;
  yoga: YogaServerInstance<Record<string, unknown>, RequestContext>;
  client: KubeSphereClient;
  /** Open subscriptions and their upstream watches. */
  live: LiveHub;
  /** Stops accepting, lets in-flight requests finish within the grace period, then closes the upstream pool. */
  close(): Promise<void>;
}

export function createFacade(config: Config & { upstream: { url: string } }, logger: Logger): Facade {
  // Yoga logs on every request at debug level: build its message only when that level is on.
  const log = (level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]) => {
    if (logger.isLevelEnabled(level)) logger[level](args.map(String).join(' '));
  };
  const client = new KubeSphereClient(config.upstream, config.oauth, logger.child({ component: 'upstream' }));
  const live = new LiveHub(config, logger.child({ component: 'subscriptions' }));
  const yoga = createYoga<Record<string, unknown>, RequestContext>({
    schema: buildSchema(),
    context: createContextFactory(client, config),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: config.production ? false : graphiqlOptions,
    // The GraphiQL bundle is ~50 MB of RSS once loaded: only a browser opening GraphiQL (never production) pays for it.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    maxRequestBodySize: config.limits.requestBytes,
    logging: {
      debug: (...args) => log('debug', args),
      info: (...args) => log('info', args),
      warn: (...args) => log('warn', args),
      error: (...args) => log('error', args),
    },
    // Coded errors pass through; anything else is a bug, logged by Yoga and masked for the client.
    maskedErrors: { isDev: false },
    plugins: [
      ...protections(config),
      useUpstreamErrors(),
      useExecutionCancellation(),
      useExtendContext(() => ({ live })),
      useReadinessCheck({
        endpoint: '/readyz',
        check: async () => {
          await client.probe();
        },
      }),
    ],
  });

  const server = createHttpServer(
    {
      // A header drip (slowloris) is cut off; a stuck request cannot hold a socket forever.
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: Math.max(config.operation.timeoutMs + 5_000, config.http.headersTimeoutMs),
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, config.http.headersTimeoutMs),
    },
    yoga,
  );

  const websocket = attachWebSocket(server, yoga, config, logger.child({ component: 'websocket' }));

  return {
    server,
    yoga,
    client,
    live,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Open subscriptions complete (SSE streams end with `complete`), so their connections can go idle.
      live.close();
      await websocket.close();
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearInterval(idle);
      clearTimeout(grace);
      await client.close();
    },
  };
}
