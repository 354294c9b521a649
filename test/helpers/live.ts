/**
 * Subscription clients for tests: the real `graphql-ws` and `graphql-sse`
 * npm clients against the facade, collecting every event of one
 * subscription so that a test can wait for what it expects.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

export type Transport = 'ws' | 'sse';
export const TRANSPORTS: Transport[] = ['ws', 'sse'];

export interface Received {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Subscription {
  events: Received[];
  done: boolean;
  error: unknown;
  /** Resolves with the events once `predicate` holds, or fails after `timeoutMs`. */
  until(predicate: (events: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  /** Unsubscribes (graphql-ws `complete`; SSE: the request is aborted). */
  dispose(): void;
}

export interface LiveClient {
  subscribe(query: string, variables?: Record<string, unknown>): Subscription;
  /** Drops the connection without saying goodbye. */
  drop(): void;
  close(): Promise<void>;
}

export function liveClient(transport: Transport, baseUrl: string, token: string | undefined, headers: Record<string, string> = {}): LiveClient {
  const authorization = token ? `Bearer ${token}` : undefined;
  let sockets: WebSocket[] = [];
  if (transport === 'ws') {
    const client: WsClient = createWsClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
          sockets.push(this);
        }
      },
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
      lazy: true,
    });
    return {
      subscribe: (query, variables) => collect((sink) => client.subscribe({ query, variables: variables ?? {} }, sink)),
      drop: () => {
        for (const s of sockets) s.terminate();
        sockets = [];
      },
      close: () => client.dispose() as Promise<void>,
    };
  }
  const controllers = new Set<() => void>();
  const client = createSseClient({
    url: `${baseUrl}/graphql`,
    headers: { ...headers, ...(authorization && { authorization }) },
    retryAttempts: 0,
  });
  return {
    subscribe: (query, variables) =>
      collect((sink) => {
        const dispose = client.subscribe({ query, variables: variables ?? {} }, sink);
        controllers.add(dispose);
        return () => {
          controllers.delete(dispose);
          dispose();
        };
      }),
    drop: () => {
      for (const dispose of controllers) dispose();
      controllers.clear();
    },
    close: async () => client.dispose(),
  };
}

interface Sink {
  next(value: any): void;
  error(error: unknown): void;
  complete(): void;
}

function collect(start: (sink: Sink) => () => void): Subscription {
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  const sub: Subscription = {
    events: [],
    done: false,
    error: undefined,
    until(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(sub.events)) {
            cleanup();
            resolve(sub.events);
          } else if (sub.done) {
            cleanup();
            reject(new Error(`subscription ended first: ${JSON.stringify(sub.error ?? sub.events.slice(-3))}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out; last events: ${JSON.stringify(sub.events.slice(-3)).slice(0, 2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    dispose: () => undefined,
  };
  sub.dispose = start({
    next: (value) => {
      sub.events.push(value as Received);
      wake();
    },
    error: (error) => {
      sub.error = error;
      sub.done = true;
      wake();
    },
    complete: () => {
      sub.done = true;
      wake();
    },
  });
  return sub;
}

/** The change events of a typed subscription field. */
export const changesOf = (events: Received[], field: string) =>
  events.filter((e) => e.data?.[field]).map((e) => e.data![field] as { type: string; resourceVersion: string; object: Record<string, any> | null });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 2_000, what = 'condition'): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
  return Date.now() - started;
}
