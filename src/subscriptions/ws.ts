/**
 * The WebSocket transport on `/graphql` (graphql-ws protocol), wired the way
 * Yoga's docs show: graphql-ws's `useServer` on a `ws` server, with every
 * operation run through Yoga's envelop (the same parse, validation limits,
 * context and error masking as HTTP). The token comes from
 * `connectionParams.authorization` and is checked on `connection_init`; each
 * operation then sees it as its request's Authorization header.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.ts';
import { readBearerToken, type RequestContext } from '../context.ts';
import type { Logger } from '../logger.ts';

interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** Per socket: its authorization header, and the signal that ends its subscriptions when it closes. */
interface SocketState {
  authorization: string | undefined;
  closed: AbortController;
}

/**
 * Browsers cannot set headers on a WebSocket, so the production CSRF rule
 * (a custom header) becomes an origin rule: a browser's Origin must be this
 * server's own; clients that send no Origin are not browsers.
 */
function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSocket(
  server: Server,
  yoga: YogaServerInstance<Record<string, unknown>, RequestContext>,
  config: Config,
  logger: Logger,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.requestBytes });
  const sockets = new WeakMap<WebSocket, SocketState>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== yoga.graphqlEndpoint) return refuse(socket, '404 Not Found');
    if (config.production && !originAllowed(request)) return refuse(socket, '403 Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);
  wss.on('connection', (ws: WebSocket) => {
    const state: SocketState = { authorization: undefined, closed: new AbortController() };
    sockets.set(ws, state);
    ws.once('close', () => state.closed.abort());
  });

  const disposable = useServer<Record<string, unknown>>(
    {
      isProd: config.production,
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onConnect: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        if (authorization !== undefined && typeof authorization !== 'string') return false;
        const { token, error } = readBearerToken(authorization ?? null);
        // No token at all is refused here: every subscription needs one, and a bad one should fail at once.
        if (!token || error) return false;
        const state = sockets.get(ctx.extra.socket);
        if (state) state.authorization = authorization;
        return true;
      },
      onSubscribe: async (ctx, _id, params) => {
        const state = sockets.get(ctx.extra.socket);
        if (!state) return [new GraphQLError('The connection is closing.')];
        const request = new Request(`http://websocket${yoga.graphqlEndpoint}`, {
          headers: state.authorization ? { authorization: state.authorization } : {},
          signal: state.closed.signal,
        });
        const socket = ctx.extra.socket;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          params,
          connection: socket,
          connectionSignal: state.closed.signal,
          disconnect: () => socket.terminate(),
        });
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors as GraphQLError[];
        const contextValue = await contextFactory();
        return {
          schema,
          document,
          contextValue,
          variableValues: params.variables ?? undefined,
          operationName: params.operationName ?? undefined,
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      // The hub has completed every subscription; give their `complete` messages a moment to leave.
      await new Promise((resolve) => setTimeout(resolve, 50));
      // dispose() closes every socket with 1001 Going Away; one that does not finish its close handshake is cut.
      await Promise.race([disposable.dispose(), new Promise((resolve) => setTimeout(resolve, 1_000))]);
      for (const ws of wss.clients) ws.terminate();
      logger.debug('websocket server closed');
    },
  };
}
