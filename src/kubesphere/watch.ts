/**
 * One upstream list-then-watch of a native list path (api doc §10.2), kept
 * running for as long as someone listens: it lists, watches from the list's
 * resourceVersion with bookmarks and a server-side timeout, resumes a
 * stream that ends from the last resourceVersion it saw (event or
 * bookmark), re-lists on 410 Gone (status or ERROR event) and says so,
 * backs off with jitter between failed attempts, and gives up only on
 * answers that retrying cannot change (401, 403, 400, 404, 422).
 */
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeSphereSession } from './client.ts';
import { nativeWatchQuery, withQuery, nativeListQuery } from './paths.ts';
import { tagCluster, tagKind, type KubeObject } from './types.ts';
import { UpstreamError } from './upstream-error.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchTarget {
  cluster: string | null | undefined;
  /** The native list path (no query), built by paths.ts. */
  path: string;
  labelSelector?: string | null | undefined;
  fieldSelector?: string | null | undefined;
  /** Tags every object with its kind, so typed fields resolve as for lists. */
  kind?: string | undefined;
}

export interface WatchListener {
  /** A (re-)list: the complete current state. `resync` is true for every list after the first. */
  sync(objects: readonly KubeObject[], resourceVersion: string, resync: boolean): void;
  change(type: ChangeType, object: KubeObject, resourceVersion: string): void;
  /** The watch ended for good (401/403 and other answers a retry cannot change). */
  fail(error: Error): void;
}

export interface WatchOptions {
  /** `timeoutSeconds` of each watch request; the stream is then resumed. */
  timeoutSeconds: number;
  /** Longest JSON line accepted from the stream. */
  maxLineBytes: number;
  backoff?: { minMs: number; maxMs: number };
}

interface WireEvent {
  type?: string;
  object?: KubeObject & { code?: number; message?: string; reason?: string };
}

/** Statuses a retry cannot fix: the subscription ends with their error. */
const FATAL = new Set([400, 401, 403, 404, 422]);

/** A stream that ends within this time without an event counts as a failed attempt (so it backs off). */
const SHORT_STREAM_MS = 1_000;

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class UpstreamWatch {
  readonly #session: KubeSphereSession;
  readonly #target: WatchTarget;
  readonly #options: WatchOptions;
  readonly #listener: WatchListener;
  readonly #abort = new AbortController();
  /** The current state, as of `resourceVersion`: late subscribers start from it. */
  readonly objects = new Map<string, KubeObject>();
  resourceVersion: string | undefined;
  synced = false;
  #stopped = false;
  readonly #onRequest: (() => void) | undefined;

  /** `session` is the subscriber's; the watch keeps its token but runs under its own signal and no operation budget. */
  constructor(session: KubeSphereSession, target: WatchTarget, options: WatchOptions, listener: WatchListener, onRequest?: () => void) {
    this.#session = session.fork({ signal: this.#abort.signal, budget: undefined });
    this.#onRequest = onRequest;
    this.#target = target;
    this.#options = options;
    this.#listener = listener;
  }

  /** Runs until `stop` or a fatal answer. */
  start(): void {
    void this.#run();
  }

  /** Aborts the open request at once. */
  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  async #run(): Promise<void> {
    const { minMs, maxMs } = this.#options.backoff ?? { minMs: 250, maxMs: 30_000 };
    let needList = true;
    let failures = 0;
    while (!this.#stopped) {
      try {
        if (needList) {
          await this.#list();
          needList = false;
        }
        const started = performance.now();
        const outcome = await this.#watchOnce();
        if (outcome === 'gone') {
          needList = true;
          failures = 0;
          continue;
        }
        // A normal end (timeout, EOF): resume at once, unless the upstream keeps hanging up straight away.
        failures = outcome === 'events' || performance.now() - started >= SHORT_STREAM_MS ? 0 : failures + 1;
      } catch (error) {
        if (this.#stopped) return;
        if (error instanceof UpstreamError && error.status === 410) {
          needList = true;
          continue;
        }
        if (error instanceof UpstreamError && error.status !== undefined && FATAL.has(error.status)) {
          this.#stopped = true;
          this.#listener.fail(error);
          return;
        }
        failures += 1;
      }
      if (failures > 0) {
        // Full jitter: many watches broken at once do not come back in step.
        const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 16));
        await sleep(Math.random() * ceiling, undefined, { signal: this.#abort.signal }).catch(() => undefined);
      }
    }
  }

  async #list(): Promise<void> {
    const { cluster, path, labelSelector, fieldSelector } = this.#target;
    const list = await this.#session.get<KubeObject & { items?: KubeObject[] | null }>(
      withQuery(path, nativeListQuery({ labelSelector, fieldSelector })),
      cluster,
    );
    const resourceVersion = list.metadata?.resourceVersion;
    if (!resourceVersion) throw new UpstreamError('The list has no resourceVersion.', { kind: 'bad-body' });
    this.objects.clear();
    for (const item of list.items ?? []) this.objects.set(keyOf(item), this.#tag(item));
    this.resourceVersion = resourceVersion;
    const resync = this.synced;
    this.synced = true;
    this.#listener.sync([...this.objects.values()], resourceVersion, resync);
  }

  #tag(object: KubeObject): KubeObject {
    tagCluster(object, this.#target.cluster);
    if (this.#target.kind) tagKind(object, this.#target.kind);
    return object;
  }

  /** One watch request, read to its end: whether it brought events, ended empty, or said the resourceVersion is gone. */
  async #watchOnce(): Promise<'events' | 'empty' | 'gone'> {
    const { cluster, path, labelSelector, fieldSelector } = this.#target;
    const query = nativeWatchQuery({ labelSelector, fieldSelector, resourceVersion: this.resourceVersion!, timeoutSeconds: this.#options.timeoutSeconds });
    // One request at a time; its own controller ends it without stopping the watch.
    const request = new AbortController();
    const onStop = () => request.abort();
    this.#abort.signal.addEventListener('abort', onStop, { once: true });
    this.#onRequest?.();
    let saw = false;
    try {
      const body = await this.#session.stream(withQuery(path, query), {
        cluster,
        signal: request.signal,
        // The server ends the stream at timeoutSeconds; silence well past that means a dead connection.
        idleTimeoutMs: (this.#options.timeoutSeconds + 30) * 1000,
      });
      for await (const event of jsonLines(body, this.#options.maxLineBytes)) {
        const type = event.type;
        const object = event.object;
        if (type === 'ERROR') {
          if (object?.code === 410) return 'gone';
          throw UpstreamError.fromResponse(object?.code ?? 500, 'application/json', JSON.stringify(object ?? {}));
        }
        const rv = object?.metadata?.resourceVersion;
        if (!object || !rv) continue;
        saw = true;
        this.resourceVersion = rv;
        if (type === 'BOOKMARK') continue;
        if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') continue;
        this.#tag(object);
        if (type === 'DELETED') this.objects.delete(keyOf(object));
        else this.objects.set(keyOf(object), object);
        this.#listener.change(type, object, rv);
      }
      return saw ? 'events' : 'empty';
    } catch (error) {
      if (this.#stopped) return saw ? 'events' : 'empty';
      if (error instanceof UpstreamError) throw error;
      throw UpstreamError.fromTransport(error);
    } finally {
      this.#abort.signal.removeEventListener('abort', onStop);
      request.abort();
    }
  }
}

/** JSON objects, one per line, from a byte stream; a line longer than `maxLineBytes` breaks the stream. */
export async function* jsonLines(body: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<WireEvent> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of body) {
    pending += decoder.write(chunk);
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield parseLine(line);
    }
    if (pending.length > maxLineBytes) throw new UpstreamError(`A watch event exceeded ${maxLineBytes} bytes.`, { kind: 'oversize', limitBytes: maxLineBytes });
  }
  const rest = (pending + decoder.end()).trim();
  if (rest) yield parseLine(rest);
}

function parseLine(line: string): WireEvent {
  try {
    return JSON.parse(line) as WireEvent;
  } catch (error) {
    throw new UpstreamError('A watch event is not JSON.', { kind: 'bad-body', cause: error });
  }
}
