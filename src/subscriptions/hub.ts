/**
 * Every open subscription of the process: the caps (per connection and per
 * process), the sharing of upstream watches, followed logs, and shutdown.
 *
 * Subscriptions of the same token for the same (cluster, path, selectors)
 * share one upstream watch, whose current state lets a later subscriber start
 * with `initial` objects without another list. Different tokens never share:
 * what a token may see is decided upstream, per request. When the last
 * subscriber of a watch leaves, its request is aborted at once.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { FacadeError } from '../errors.ts';
import type { KubeSphereSession } from '../kubesphere/client.ts';
import { podLogQuery, withQuery, type LogQuery } from '../kubesphere/paths.ts';
import type { KubeObject } from '../kubesphere/types.ts';
import { UpstreamError } from '../kubesphere/upstream-error.ts';
import { UpstreamWatch, type ChangeType, type WatchTarget } from '../kubesphere/watch.ts';
import { EventStream } from './stream.ts';

/** What a watch subscription's source yields; `resolve` turns it into the GraphQL event (or throws its error). */
export type ChangePayload =
  { type: ChangeType; object: KubeObject; resourceVersion: string } | { type: 'RESYNC'; object: null; resourceVersion: string } | { error: Error };

export type LogPayload = { text: string; truncated: boolean } | { error: Error };

/** Who holds a subscription: its connection (for the per-connection cap) and how to cut that connection. */
export interface Holder {
  connection: object | undefined;
  /** Drops the client's connection (a client that does not read). */
  disconnect(): void;
  /** Ends the subscription when the transport goes away (SSE disconnect, WebSocket close). */
  signal?: AbortSignal | undefined;
}

interface Subscriber {
  stream: EventStream<ChangePayload>;
  initial: boolean;
}

interface SharedWatch {
  watch: UpstreamWatch;
  subscribers: Set<Subscriber>;
}

const slowConsumer = () => new FacadeError('The client did not read its subscription fast enough; it was disconnected.', { code: 'SLOW_CONSUMER' });

export class LiveHub {
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #watches = new Map<string, SharedWatch>();
  readonly #streams = new Set<EventStream<unknown>>();
  readonly #perConnection = new WeakMap<object, number>();
  #closing = false;
  /** Upstream watch requests made so far, resumes included (for the figures in tests and benchmarks). */
  watchRequests = 0;

  constructor(config: Config, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
  }

  get openSubscriptions(): number {
    return this.#streams.size;
  }

  /** Upstream watches running now (one per shared key). */
  get upstreamWatches(): number {
    return this.#watches.size;
  }

  get operation(): Config['operation'] {
    return this.#config.operation;
  }

  get logs(): Config['logs'] {
    return this.#config.logs;
  }

  /** Counts a new subscription against the caps; the returned function gives its place back. */
  #admit(holder: Holder): () => void {
    const { maxTotal, maxPerConnection } = this.#config.subscriptions;
    if (this.#closing) throw new FacadeError('The server is shutting down.', { code: 'UPSTREAM_UNAVAILABLE' });
    if (this.#streams.size >= maxTotal) {
      throw new FacadeError(`This server holds its maximum of ${maxTotal} subscriptions; try again later.`, { code: 'TOO_MANY_SUBSCRIPTIONS' });
    }
    const { connection } = holder;
    if (connection) {
      const used = this.#perConnection.get(connection) ?? 0;
      if (used >= maxPerConnection) {
        throw new FacadeError(`A connection may hold at most ${maxPerConnection} subscriptions.`, { code: 'TOO_MANY_SUBSCRIPTIONS' });
      }
      this.#perConnection.set(connection, used + 1);
    }
    let released = false;
    return () => {
      if (released || !connection) return;
      released = true;
      this.#perConnection.set(connection, (this.#perConnection.get(connection) ?? 1) - 1);
    };
  }

  #track<T>(stream: EventStream<T>, holder: Holder): EventStream<T> {
    this.#streams.add(stream as EventStream<unknown>);
    if (holder.signal) {
      if (holder.signal.aborted) void stream.return();
      else holder.signal.addEventListener('abort', () => void stream.return(), { once: true });
    }
    return stream;
  }

  /** A subscription to changes of one list scope, with the current objects first when `initial`. */
  watch(session: KubeSphereSession, target: WatchTarget, initial: boolean, holder: Holder): EventStream<ChangePayload> {
    const release = this.#admit(holder);
    const key = [session.principal(), target.cluster ?? '', target.path, target.labelSelector ?? '', target.fieldSelector ?? ''].join('\u0000');
    let shared = this.#watches.get(key);
    const subscriber = {} as Subscriber;
    const stream = new EventStream<ChangePayload>(this.#config.subscriptions.bufferEvents, {
      onClose: () => {
        release();
        this.#streams.delete(stream as EventStream<unknown>);
        const current = this.#watches.get(key);
        if (!current?.subscribers.delete(subscriber)) return;
        if (current.subscribers.size === 0) {
          current.watch.stop();
          this.#watches.delete(key);
        }
      },
      onOverflow: () => {
        this.#logger.warn({ path: target.path }, 'subscription buffer full: disconnecting a client that does not read');
        holder.disconnect();
      },
      overflowItem: () => ({ error: slowConsumer() }),
    });
    subscriber.stream = stream;
    subscriber.initial = initial;
    if (!shared) {
      const subscribers = new Set<Subscriber>();
      const watch = new UpstreamWatch(
        session,
        target,
        { timeoutSeconds: this.#config.subscriptions.watchTimeoutSeconds, maxLineBytes: this.#config.upstream.maxResponseBytes },
        {
          sync: (objects, resourceVersion, resync) => {
            for (const s of subscribers) {
              const added = s.initial ? added$(objects) : [];
              if (resync) s.stream.restart({ type: 'RESYNC', object: null, resourceVersion }, added);
              else s.stream.pushBacklog(added);
            }
          },
          change: (type, object, resourceVersion) => {
            for (const s of subscribers) s.stream.push({ type, object, resourceVersion });
          },
          fail: (error) => {
            this.#watches.delete(key);
            for (const s of [...subscribers]) s.stream.end({ error });
          },
        },
        () => this.watchRequests++,
      );
      shared = { watch, subscribers };
      this.#watches.set(key, shared);
      subscribers.add(subscriber);
      watch.start();
    } else {
      shared.subscribers.add(subscriber);
      // A running watch already holds the state: start from it, in step with the changes that follow.
      if (shared.watch.synced && initial) stream.pushBacklog(added$([...shared.watch.objects.values()]));
    }
    return this.#track(stream, holder);
  }

  /**
   * A followed container log, one item per line. Lines longer than the cap
   * are cut (and marked); the stream ends when the upstream ends it.
   */
  followLogs(session: KubeSphereSession, ref: { cluster: string | null | undefined; path: string; query: LogQuery }, holder: Holder): EventStream<LogPayload> {
    const release = this.#admit(holder);
    const abort = new AbortController();
    const stream = new EventStream<LogPayload>(this.#config.subscriptions.bufferEvents, {
      onClose: () => {
        release();
        abort.abort();
        this.#streams.delete(stream as EventStream<unknown>);
      },
      onOverflow: () => holder.disconnect(),
      overflowItem: () => ({ error: slowConsumer() }),
    });
    const path = withQuery(ref.path, podLogQuery({ ...ref.query, follow: true }));
    void (async () => {
      try {
        const body = await session.stream(path, { cluster: ref.cluster, signal: abort.signal, accept: 'text/plain' });
        for await (const line of logLines(body, this.#config.logs.maxLineBytes)) stream.push(line);
        stream.end();
      } catch (error) {
        if (abort.signal.aborted) return;
        stream.end({ error: error instanceof Error ? error : new Error(String(error)) });
      }
    })();
    return this.#track(stream, holder);
  }

  /** SIGTERM: every open subscription completes (what is queued is still delivered); no new ones start. */
  close(): void {
    this.#closing = true;
    for (const stream of [...this.#streams]) stream.end();
    for (const shared of this.#watches.values()) shared.watch.stop();
    this.#watches.clear();
  }
}

function added$(objects: readonly KubeObject[]): Iterable<ChangePayload> {
  return {
    *[Symbol.iterator]() {
      for (const object of objects) yield { type: 'ADDED', object, resourceVersion: object.metadata?.resourceVersion ?? '' };
    },
  };
}

/** Text lines from a byte stream; a line past `maxBytes` is cut there and the rest of it skipped. */
export async function* logLines(body: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<{ text: string; truncated: boolean }> {
  let pending: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const flush = () => {
    const text = Buffer.concat(pending).toString('utf8');
    pending = [];
    size = 0;
    const line = { text: text.endsWith('\r') ? text.slice(0, -1) : text, truncated };
    truncated = false;
    return line;
  };
  for await (const chunk of body) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      const room = maxBytes - size;
      if (end - start > room) truncated = true;
      const piece = chunk.subarray(start, start + Math.max(0, Math.min(room, end - start)));
      if (piece.length) {
        pending.push(Buffer.from(piece));
        size += piece.length;
      }
      if (newline === -1) break;
      yield flush();
      start = newline + 1;
    }
  }
  if (size > 0 || truncated) yield flush();
}

/** Reads a one-shot log: at most `maxBytes` (asked upstream as `limitBytes`, and enforced here too). */
export async function readLog(
  session: KubeSphereSession,
  ref: { cluster: string | null | undefined; path: string; query: LogQuery },
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  const abort = new AbortController();
  const cancel = () => abort.abort();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const body = await session.stream(withQuery(ref.path, podLogQuery({ ...ref.query, limitBytes: maxBytes })), {
      cluster: ref.cluster,
      signal: abort.signal,
      accept: 'text/plain',
      idleTimeoutMs: 10_000,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const room = maxBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= maxBytes) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw UpstreamError.fromTransport(error);
  } finally {
    signal?.removeEventListener('abort', cancel);
    abort.abort();
  }
}
