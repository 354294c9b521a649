/**
 * Builds the facade: a Yoga instance over one shared KubeSphere client, and
 * the Node HTTP server around it. `main.ts` only listens.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Config } from './config.ts';
import { createContextFactory, type RequestContext } from './context.ts';
import { graphiqlOptions } from './graphiql.ts';
import { KubeSphereClient } from './kubesphere/client.ts';
import type { Logger } from './logger.ts';
import { buildSchema } from './schema.ts';

export interface Facade {
  server: Server;
  yoga: YogaServerInstance<Record<string, unknown>, RequestContext>;
  client: KubeSphereClient;
  close(): Promise<void>;
}

export function createFacade(config: Config & { upstream: { url: string } }, logger: Logger): Facade {
  const client = new KubeSphereClient(config.upstream, config.oauth, logger.child({ component: 'upstream' }));
  const yoga = createYoga<Record<string, unknown>, RequestContext>({
    schema: buildSchema(),
    context: createContextFactory(client, config),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: config.production ? false : graphiqlOptions,
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    maskedErrors: {
      isDev: false,
      // Coded errors pass through; anything else is a bug: logged here, masked for the client.
      maskError: (error, message) => {
        const masked = maskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error while resolving');
        return masked;
      },
    },
    plugins: [
      useReadinessCheck({
        endpoint: '/readyz',
        check: async () => {
          await client.probe();
        },
      }),
    ],
  });
  const server = createHttpServer(yoga);
  return {
    server,
    yoga,
    client,
    /** Stops accepting, lets in-flight requests finish, then closes the upstream pool. */
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await client.close();
    },
  };
}
