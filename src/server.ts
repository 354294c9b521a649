/**
 * Builds the facade: a Yoga instance over one shared KubeSphere client, and
 * the Node HTTP server around it. `main.ts` only listens.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createYoga, useExecutionCancellation, useExtendContext, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.ts';
import { useUpstreamErrors } from './errors.ts';
import { createContextFactory, type RequestContext } from './context.ts';
import { graphiqlOptions, renderGraphiQL, serveGraphiQLAsset } from './graphiql.ts';
import { KubeSphereClient } from './kubesphere/client.ts';
import type { Logger } from './logger.ts';
import { createObservability, type FacadeMetrics } from './observability/index.ts';
import { CSRF_HEADER, protections } from './protections.ts';
import { buildSchema } from './schema.ts';
import { useSessionCookie } from './session-cookie.ts';
import { LiveHub } from './subscriptions/hub.ts';
import { attachWebSocket } from './subscriptions/ws.ts';

export interface Facade {
  server: Server;
  yoga: YogaServerInstance<Record<string, unknown>, RequestContext>;
  client: KubeSphereClient;
  /** Open subscriptions and their upstream watches. */
  live: LiveHub;
  /** Prometheus metrics; `metrics.server()` is the separate `/metrics` listener. */
  metrics: FacadeMetrics;
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
  // Probes come every few seconds from every kubelet and balancer: one upstream call answers them all for a while.
  let probe: { at: number; result: Promise<void> } | undefined;
  const ready = () => {
    const now = Date.now();
    if (!probe || now - probe.at >= config.readyzCacheMs) {
      const result = client.probe();
      result.catch(() => undefined);
      probe = { at: now, result };
    }
    return probe.result;
  };
  const observability = createObservability(client, live, logger, { requestLog: config.requestLog, graphqlEndpoint: '/graphql' });
  const yoga = createYoga<Record<string, unknown>, RequestContext>({
    schema: buildSchema(),
    context: createContextFactory(client, config),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: config.graphiql ? graphiqlOptions(config.session.enabled) : false,
    renderGraphiQL,
    maxRequestBodySize: config.limits.requestBytes,
    // Yoga's default reflects any Origin with credentials; here only configured origins, credentials only when asked for.
    cors: config.cors
      ? {
          origin: config.cors.origins,
          credentials: config.cors.credentials,
          methods: ['GET', 'POST'],
          allowedHeaders: ['authorization', 'content-type', 'accept', CSRF_HEADER],
        }
      : false,
    logging: {
      debug: (...args) => log('debug', args),
      info: (...args) => log('info', args),
      warn: (...args) => log('warn', args),
      error: (...args) => log('error', args),
    },
    // Coded errors pass through; anything else is a bug, logged by Yoga and masked for the client.
    maskedErrors: { isDev: false },
    plugins: [
      observability.plugin,
      ...protections(config),
      useUpstreamErrors(),
      ...(config.session.enabled ? [useSessionCookie(config.session)] : []),
      useExecutionCancellation(),
      // A page can defer slow fields (events, metrics) and render the rest first.
      useDeferStream(),
      useExtendContext(() => ({ live })),
      useReadinessCheck({
        endpoint: '/readyz',
        check: ready,
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
    // GraphiQL's static assets are cacheable, unlike everything Yoga answers.
    (request, response) => {
      // Node keeps the first of several Authorization headers; which one the client meant is unknowable.
      if ((request.headersDistinct.authorization?.length ?? 0) > 1) {
        response.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify({ errors: [{ message: 'Send one Authorization header.', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
      if (!(config.graphiql && serveGraphiQLAsset(request, response))) void yoga(request, response);
    },
  );

  const websocket = attachWebSocket(server, yoga, config, logger.child({ component: 'websocket' }));

  return {
    server,
    yoga,
    client,
    live,
    metrics: observability.metrics,
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
