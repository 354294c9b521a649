/**
 * The only code that speaks HTTP to KubeSphere: one undici Pool per upstream
 * origin, shared by every request, with deadlines, retries for reads and a
 * circuit breaker per (cluster, API group) of the origin. Tokens are passed
 * per call and never kept.
 */
import { LRUCache } from 'lru-cache';
import CircuitBreaker from 'opossum';
import pLimit, { type LimitFunction } from 'p-limit';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { FacadeError, operationTimeout, unauthenticated } from '../errors.ts';
import { OAUTH_LOGOUT_PATH, OAUTH_TOKEN_PATH, username, VERSION_PATH, type ApiFamily, type Target } from './paths.ts';
import { tagCluster, type KubeObject, type ListResult, type VersionInfo } from './types.ts';
import { UpstreamError } from './upstream-error.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamCall {
  method: Method;
  /** Path and query string, built by paths.ts. */
  path: string;
  token?: string | undefined;
  body?: { contentType: string; text: string } | undefined;
  /** Aborts the call: the caller went away (or, for a subscription's event, its own time ran out). */
  signal?: AbortSignal | undefined;
  /** `performance.now()` by which the operation must be done: the call's deadline is the earlier of this and its own. */
  deadline?: number | undefined;
  /** Member cluster the call is routed to; the circuit breaker is kept per cluster. */
  cluster?: string | null | undefined;
  /** Asked before every attempt, retries included; throws when the operation's budget is spent. */
  budget?: OperationBudget | undefined;
}

/** `/oauth/token` success body (§2.2). */
export interface OAuthToken {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
}

export type UpstreamOptions = Config['upstream'] & { url: string };

/** A streaming GET (watch, followed logs): the body is read as it arrives, for as long as the caller wants. */
export interface StreamCall {
  path: string;
  token: string;
  /** Ends the stream: the subscriber left or the watch is being restarted. */
  signal: AbortSignal;
  cluster?: string | null | undefined;
  accept?: string | undefined;
  /** Longest silence between two chunks before the stream counts as broken; 0 waits for ever. */
  idleTimeoutMs?: number | undefined;
}

/**
 * Hears about every `call` (not streams), for metrics and traces
 * (src/observability/upstream.ts). The client stays ignorant of both.
 */
export interface UpstreamObserver {
  call(call: { method: Method; path: string; cluster: string | null }): CallObservation;
}

export interface CallObservation {
  /** Added to every attempt's request (trace context). */
  readonly headers: Readonly<Record<string, string>>;
  attempt(): void;
  /** The status line of the current attempt arrived. */
  response(status: number): void;
  attemptEnd(error?: unknown): void;
  end(error?: unknown): void;
}

/** Which deadline ended a call, once one has: its own (the upstream was slow) or the operation's (the facade's). */
interface Deadline {
  expired?: 'call' | 'operation';
}

export type BreakerState = 'closed' | 'half-open' | 'open';

/** The most of an error answer's body a stream reads (the message is all it needs). */
const MAX_STREAM_ERROR_BYTES = 64 * 1024;

export class KubeSphereClient {
  readonly origin: string;
  readonly #basePath: string;
  readonly #pool: Pool;
  /** Long-lived streams get their own connections, so that open watches never starve ordinary calls. */
  readonly #streams: Pool;
  readonly #options: UpstreamOptions;
  readonly #oauth: Config['oauth'];
  readonly #logger: Logger;
  /** Bounded: each breaker holds timers, so evicted ones are shut down. */
  readonly #breakers: LRUCache<string, Breaker>;
  /**
   * Member clusters that exist: named by the tenant cluster list, or that
   * gave a real answer. Only these get breakers, so made-up cluster names
   * cost nothing that outlives the call.
   */
  readonly #knownClusters: LRUCache<string, true>;
  /** Large answers read and parsed at once, process-wide (see `#receive`). */
  readonly #largeAnswers: LimitFunction;
  readonly #warnings = new LRUCache<string, { until: number; suppressed: number }>({ max: 1_000 });
  #version: Promise<VersionInfo> | undefined;
  #observer: UpstreamObserver | undefined;

  constructor(options: UpstreamOptions, oauth: Config['oauth'], logger: Logger) {
    const url = new URL(options.url);
    this.origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#options = options;
    this.#oauth = oauth;
    this.#logger = logger;
    this.#breakers = new LRUCache({ max: options.breaker.maxCircuits, dispose: (breaker) => breaker.shutdown() });
    this.#knownClusters = new LRUCache({ max: options.breaker.maxCircuits });
    this.#largeAnswers = pLimit(options.largeAnswers);
    // undici never follows redirects unless told to, so a 3xx stays an error.
    this.#pool = new Pool(this.origin, {
      connections: options.connections,
      // A larger body is cut off as it streams in (the socket is destroyed), never buffered whole.
      maxResponseSize: options.maxResponseBytes,
      keepAliveTimeout: 4_000,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      connect: {
        timeout: options.connectTimeoutMs,
        ...(options.ca !== undefined && { ca: options.ca }),
        rejectUnauthorized: !options.insecureSkipTlsVerify,
      },
    });
    this.#streams = new Pool(this.origin, {
      // One connection per open stream (HTTP/1.1); the subscription caps bound how many.
      connections: null,
      keepAliveTimeout: 4_000,
      headersTimeout: options.headersTimeoutMs,
      connect: {
        timeout: options.connectTimeoutMs,
        ...(options.ca !== undefined && { ca: options.ca }),
        rejectUnauthorized: !options.insecureSkipTlsVerify,
      },
    });
  }

  /**
   * Opens a streaming GET and returns its body once a 2xx head arrives.
   * Nothing is retried here (the watch loop decides), nothing goes through
   * the breaker (a stream's length says nothing about health), and there is
   * no size cap: the reader bounds what it keeps. Non-2xx answers throw
   * `UpstreamError` like `call` does.
   */
  async stream(call: StreamCall): Promise<AsyncIterable<Buffer>> {
    const headers: Record<string, string> = { accept: call.accept ?? 'application/json', authorization: `Bearer ${call.token}` };
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#streams.request({
        method: 'GET',
        path: this.#basePath + call.path,
        headers,
        signal: call.signal,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: call.idleTimeoutMs ?? 0,
      });
    } catch (error) {
      throw this.#classify(error, { method: 'GET', path: call.path, signal: call.signal }, {}); // a stream has no deadline of its own
    }
    this.#logger.debug(
      { method: 'GET', path: pathOnly(call.path), status: response.statusCode, ms: Math.round(performance.now() - started) },
      'upstream stream',
    );
    if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
    let text = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        text += chunk.toString('utf8');
        if (text.length >= MAX_STREAM_ERROR_BYTES) break;
      }
    } catch {
      // The status says enough.
    } finally {
      response.body.destroy();
    }
    throw UpstreamError.fromResponse(response.statusCode, String(response.headers['content-type'] ?? ''), text.slice(0, MAX_STREAM_ERROR_BYTES));
  }

  /**
   * Sends one logical request and returns the parsed JSON body. Reads are
   * retried on 429/502/503/504 and broken connections, within the call's
   * deadline; writes never are. Failures throw `UpstreamError`.
   */
  async call<T>(call: UpstreamCall): Promise<T> {
    const started = performance.now();
    // One controller and one timer per call, for both the call's deadline and the operation's: AbortSignal.any and
    // AbortSignal.timeout per call showed in the CPU profile of small pages.
    const operationLeft = call.deadline === undefined ? Infinity : call.deadline - started;
    const deadline: Deadline = {};
    const controller = new AbortController();
    const signal = controller.signal;
    const expire = () => {
      deadline.expired = operationLeft < this.#options.callTimeoutMs ? 'operation' : 'call';
      controller.abort(new DOMException('No answer before the deadline.', 'TimeoutError'));
    };
    const timer = setTimeout(expire, Math.max(0, Math.min(this.#options.callTimeoutMs, operationLeft)));
    const onCancel = () => controller.abort(call.signal!.reason);
    if (call.signal?.aborted) onCancel();
    else call.signal?.addEventListener('abort', onCancel, { once: true });
    if (operationLeft <= 0) expire();
    const retries = call.method === 'GET' ? this.#options.retries : 0;
    const observed = this.#observer?.call({ method: call.method, path: call.path, cluster: call.cluster ?? null });
    const send = () => this.#attempt<T>(call, signal, observed).catch((error: unknown) => Promise.reject(this.#classify(error, call, deadline)));
    try {
      // A plain loop rather than p-retry: the common case is one successful attempt, and it should cost nothing more.
      for (let retry = 0; ; retry++) {
        if (signal.aborted) throw this.#classify(signal.reason, call, deadline);
        call.budget?.take();
        observed?.attempt();
        try {
          const breaker = this.#breaker(call);
          const answer = breaker ? ((await breaker.fire(send)) as T) : await send();
          // A first real answer shows the cluster exists: from now on it has breakers.
          if (!breaker && call.cluster) this.#knownClusters.set(call.cluster, true);
          observed?.attemptEnd();
          observed?.end();
          return answer;
        } catch (error) {
          const failure = this.#classify(error, call, deadline);
          observed?.attemptEnd(failure);
          const delay = retry < retries && !signal.aborted ? retryDelay(failure, this.#options.retryAfterMaxMs) : undefined;
          if (delay === undefined || (delay > 0 && performance.now() - started + delay >= this.#options.callTimeoutMs)) throw failure;
          // Retry-After first, then exponential backoff with jitter (200 ms doubling, at most 1 s).
          await sleep(delay + Math.min(1_000, 200 * 2 ** retry * (1 + Math.random())), undefined, { signal }).catch(() => undefined);
        }
      }
    } catch (error) {
      const classified = this.#classify(error, call, deadline);
      observed?.end(classified);
      throw classified;
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCancel);
    }
  }

  async #attempt<T>(call: UpstreamCall, signal: AbortSignal, observed?: CallObservation): Promise<T> {
    const headers: Record<string, string> = { ...observed?.headers, accept: 'application/json' };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.body) headers['content-type'] = call.body.contentType;
    const started = performance.now();
    const response = await this.#pool.request({
      method: call.method,
      path: this.#basePath + call.path,
      headers,
      body: call.body?.text,
      signal,
    });
    observed?.response(response.statusCode);
    const contentType = String(response.headers['content-type'] ?? '');
    return this.#receive(response.body, response.headers['content-length'], signal, (text) => {
      this.#logger.debug(
        { method: call.method, path: pathOnly(call.path), status: response.statusCode, ms: Math.round(performance.now() - started) },
        'upstream call',
      );
      if (response.statusCode < 200 || response.statusCode >= 300) {
        if (response.statusCode >= 500) {
          this.#warn(
            `status ${response.statusCode} ${routeScope(call.path)}`,
            { method: call.method, path: pathOnly(call.path), status: response.statusCode, body: text.slice(0, 500) },
            'upstream failed',
          );
        }
        const retryAfter = Number(response.headers['retry-after']);
        throw UpstreamError.fromResponse(response.statusCode, contentType, text, Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined);
      }
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new UpstreamError('The answer is not JSON.', { kind: 'bad-body', status: response.statusCode, cause: error });
      }
    });
  }

  /**
   * Reads a body and hands its text to `use` (which parses it). A large
   * answer (1 MiB or more, known from its Content-Length or found while
   * reading a chunked one, as ks-apiserver sends large lists) is read and
   * used in one of a few process-wide slots: ten 5,000-pod lists arriving
   * together would otherwise hold ten copies of 15 MB of text and 21 MB of
   * objects at once. A waiting answer stays in the socket (backpressure),
   * and stops waiting when its call is aborted.
   */
  async #receive<T>(
    body: Dispatcher.ResponseData['body'],
    contentLength: string | string[] | undefined,
    signal: AbortSignal,
    use: (text: string) => T,
  ): Promise<T> {
    const size = Number(contentLength);
    if (Number.isSafeInteger(size)) {
      if (size < LARGE_BODY_BYTES) return use(await body.text());
      if (size < LARGE_ANSWER_BYTES) return use(await readKnownLength(body, size));
      return this.#inLargeSlot(signal, async () => use(await readKnownLength(body, size)));
    }
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const read: Buffer[] = [];
    let length = 0;
    const readTo = async (limit: number) => {
      while (length < limit) {
        const next = await chunks.next();
        if (next.done) return true;
        read.push(next.value);
        length += next.value.length;
      }
      return false;
    };
    const text = () => Buffer.concat(read.splice(0), length).toString('utf8');
    if (await readTo(LARGE_ANSWER_BYTES)) return use(text());
    return this.#inLargeSlot(signal, async () => {
      await readTo(Infinity);
      return use(text());
    });
  }

  #inLargeSlot<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const done = this.#largeAnswers(() => {
      // Its turn came after its call ended: undici has already discarded the body.
      signal.throwIfAborted();
      return work();
    });
    if (signal.aborted) {
      done.catch(() => undefined);
      return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      const abandon = () => reject(signal.reason as Error);
      signal.addEventListener('abort', abandon, { once: true });
      done.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon));
    });
  }

  /**
   * Turns whatever an attempt threw into an `UpstreamError`. A cancelled
   * caller is told apart from a deadline so that it does not count against
   * the upstream's health. Facade errors (the operation's budget) pass as they are.
   */
  #classify(error: unknown, call: UpstreamCall, deadline: Deadline): Error {
    if (error instanceof UpstreamError || error instanceof FacadeError) return error;
    if ((error as { code?: unknown }).code === 'EOPENBREAKER') return new UpstreamError('The circuit is open.', { kind: 'breaker-open' });
    if (deadline.expired === 'call') return new UpstreamError('No answer before the deadline.', { kind: 'timeout', cause: error });
    // The operation's own deadline is the facade's (other fields, queued calls): it says nothing about the upstream.
    if (deadline.expired === 'operation' || (call.signal?.reason as Error | undefined)?.name === 'TimeoutError') return operationTimeout();
    if (call.signal?.aborted) return new UpstreamError('The caller went away.', { kind: 'cancelled', cause: error });
    this.#warn(`transport ${routeScope(call.path)}`, { method: call.method, path: pathOnly(call.path), err: errorSummary(error) }, 'upstream call failed');
    return UpstreamError.fromTransport(error, this.#options.maxResponseBytes);
  }

  /**
   * The breaker of the call's route: one per (cluster, API group), never per
   * token, so a failing group (or member cluster) cannot pause `login` and
   * every other route. None for a member cluster not known to exist.
   */
  #breaker(call: UpstreamCall): Breaker | undefined {
    if (call.cluster && !this.#knownClusters.has(call.cluster)) return undefined;
    const key = `${call.cluster ?? ''} ${routeScope(call.path)}`;
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      const { errorPercent, minCalls, windowMs, resetMs } = this.#options.breaker;
      breaker = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
        timeout: false,
        errorThresholdPercentage: errorPercent,
        volumeThreshold: minCalls,
        rollingCountTimeout: windowMs,
        resetTimeout: resetMs,
        // Only failures that say something about the upstream's health count towards opening.
        errorFilter: (error: unknown) => !(error instanceof UpstreamError && error.unhealthy),
      });
      const scope = { cluster: call.cluster || 'host', route: routeScope(call.path) };
      breaker.on('open', () => this.#logger.warn(scope, 'circuit opened: upstream failing'));
      breaker.on('close', () => this.#logger.info(scope, 'circuit closed: upstream healthy'));
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Records member clusters the tenant cluster list names, so their calls get breakers from the first one. */
  noteClusters(names: Iterable<string>): void {
    for (const name of names) this.#knownClusters.set(name, true);
  }

  /** How many breakers exist now (bounded by `BREAKER_MAX_CIRCUITS`). */
  get breakerCount(): number {
    return this.#breakers.size;
  }

  /**
   * A warning at most once per interval for the same failure of the same
   * route: an outage would otherwise write one line per call. The next line
   * says how many were left out.
   */
  #warn(key: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    const seen = this.#warnings.get(key);
    if (seen && now < seen.until) {
      seen.suppressed++;
      return;
    }
    this.#warnings.set(key, { until: now + WARN_INTERVAL_MS, suppressed: 0 });
    this.#logger.warn(seen?.suppressed ? { ...fields, suppressed: seen.suppressed } : fields, message);
  }

  /** Metrics and traces of every call from now on; one observer per client. */
  observe(observer: UpstreamObserver): void {
    this.#observer = observer;
  }

  /** The worst breaker state of each cluster (null: the host) over its routes, for the metrics. */
  breakerStates(): { cluster: string | null; state: BreakerState }[] {
    const rank: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
    const worst = new Map<string | null, BreakerState>();
    for (const [key, breaker] of this.#breakers.entries()) {
      // Keys are `<cluster> <route>`, the host's cluster part empty.
      const cluster = key.split(' ')[0] || null;
      const state: BreakerState = breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
      const seen = worst.get(cluster);
      if (seen === undefined || rank[state] > rank[seen]) worst.set(cluster, state);
    }
    return [...worst].map(([cluster, state]) => ({ cluster, state }));
  }

  /** undici's connection and request counts of the two pools, for the metrics. */
  poolStats(): { calls: Pool['stats']; streams: Pool['stats'] } {
    return { calls: this.#pool.stats, streams: this.#streams.stats };
  }

  /** `/kapis/version`, cached per upstream: it is the same for every token. */
  version(): Promise<VersionInfo> {
    this.#version ??= this.call<VersionInfo>({ method: 'GET', path: VERSION_PATH }).catch((error: unknown) => {
      this.#version = undefined;
      throw error;
    });
    return this.#version;
  }

  /** A fresh, token-free round trip, for readiness. */
  async probe(): Promise<void> {
    await this.call<VersionInfo>({ method: 'GET', path: VERSION_PATH });
  }

  async family(): Promise<ApiFamily> {
    const { gitVersion } = await this.version();
    const major = Number(/^v?(\d+)/.exec(gitVersion)?.[1]);
    return major >= 4 ? 'v4' : 'v3';
  }

  /** OAuth password or refresh-token grant against `/oauth/token`. */
  oauthToken(
    grant: { grant_type: 'password'; username: string; password: string } | { grant_type: 'refresh_token'; refresh_token: string },
    options: Pick<UpstreamCall, 'signal' | 'deadline' | 'budget'> = {},
  ) {
    const form = new URLSearchParams({ ...grant, client_id: this.#oauth.clientId, client_secret: this.#oauth.clientSecret });
    return this.call<OAuthToken>({
      method: 'POST',
      path: OAUTH_TOKEN_PATH,
      body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() },
      ...options,
    });
  }

  /** Revokes a token upstream. It is a GET upstream, so it is retried: revoking twice is harmless. */
  async oauthLogout(token: string, options: Pick<UpstreamCall, 'signal' | 'budget'> = {}): Promise<void> {
    await this.call<unknown>({ method: 'GET', path: OAUTH_LOGOUT_PATH, token, ...options });
  }

  /** A view bound to one caller's token and operation; cheap, shares the pool. */
  session(options: SessionOptions): KubeSphereSession {
    return new KubeSphereSession(this, options);
  }

  async close(): Promise<void> {
    this.#breakers.clear();
    // Streams never end by themselves: cut them rather than wait.
    await Promise.all([this.#pool.close(), this.#streams.destroy()]);
  }
}

/** Answers at least this large are copied into one buffer as they arrive (see `readKnownLength`). */
const LARGE_BODY_BYTES = 256 * 1024;

/** Answers at least this large are read and parsed in one of the client's few large-answer slots. */
export const LARGE_ANSWER_BYTES = 1024 * 1024;

/**
 * A body of known length, copied into one buffer as it arrives. undici's
 * `text()` keeps every chunk until the end, then a concatenated copy, then
 * the string: three copies of a large list at once. Here each chunk is freed
 * at once, and the buffer is garbage before the text is parsed.
 */
async function readKnownLength(body: AsyncIterable<Buffer>, size: number): Promise<string> {
  const buffer = Buffer.allocUnsafe(size);
  let length = 0;
  for await (const chunk of body) {
    // The HTTP parser holds the body to its Content-Length; this only keeps the copy in bounds.
    if (length + chunk.length > size) throw new UpstreamError('The answer is longer than its Content-Length.', { kind: 'bad-body' });
    length += chunk.copy(buffer, length);
  }
  return buffer.toString('utf8', 0, length);
}

/**
 * How long to wait before retrying, or undefined for "do not retry".
 * `Retry-After` is honoured up to a cap; a longer one fails fast.
 */
function retryDelay(error: Error, retryAfterMaxMs: number): number | undefined {
  if (!(error instanceof UpstreamError) || !error.retryable) return undefined;
  const retryAfter = error.retryAfterSeconds;
  if (retryAfter === undefined) return 0;
  return retryAfter * 1000 <= retryAfterMaxMs ? retryAfter * 1000 : undefined;
}

/** Caps one GraphQL operation's upstream calls, in total and at once. */
export class OperationBudget {
  readonly #max: number;
  readonly #maxInFlight: number;
  #used = 0;
  #limit: LimitFunction | undefined;

  constructor(maxCalls: number, maxInFlight: number) {
    this.#max = maxCalls;
    this.#maxInFlight = maxInFlight;
  }

  /** The in-flight cap, built on the first upstream call: many operations make none. */
  get limit(): LimitFunction {
    return (this.#limit ??= pLimit(this.#maxInFlight));
  }

  take(): void {
    if (++this.#used > this.#max) {
      throw new FacadeError(`This operation needs more than ${this.#max} upstream calls; ask for fewer items or split it.`, {
        code: 'UPSTREAM_BUDGET_EXCEEDED',
      });
    }
  }

  get used(): number {
    return Math.min(this.#used, this.#max);
  }
}

export interface SessionOptions {
  token: string | undefined;
  /** Why the Authorization header was refused, if it was. */
  authError?: FacadeError | undefined;
  signal?: AbortSignal | undefined;
  /** `performance.now()` by which the operation must be done. */
  deadline?: number | undefined;
  budget?: OperationBudget | undefined;
}

/** One caller's access to KubeSphere for the length of one GraphQL operation. */
export class KubeSphereSession {
  readonly #client: KubeSphereClient;
  readonly #options: SessionOptions;

  constructor(client: KubeSphereClient, options: SessionOptions) {
    this.#client = client;
    this.#options = options;
  }

  /** The shared client: what is known about an upstream for a while (such as missing monitoring) is kept against it. */
  get client(): KubeSphereClient {
    return this.#client;
  }

  /** Resolves the routing for a cluster argument (needs the upstream's API family). */
  async target(cluster: string | null | undefined): Promise<Target> {
    return { family: await this.#client.family(), cluster };
  }

  /** Gets one object; `cluster` tags it so that its edges stay on that cluster. */
  async get<T extends KubeObject = KubeObject>(path: string, cluster?: string | null): Promise<T> {
    return tagCluster(await this.#get<T>(path, cluster), cluster);
  }

  /** A list in any envelope, normalised to `{items, totalItems}`. */
  async list<T extends KubeObject = KubeObject>(
    path: string,
    options: { cluster?: string | null | undefined; page?: number | null | undefined; limit?: number | null | undefined } = {},
  ): Promise<ListResult<T>> {
    const result = normaliseList<T>(await this.#get<RawList<T>>(path, options.cluster), options);
    for (const item of result.items) tagCluster(item, options.cluster);
    return result;
  }

  /**
   * Sends one write (never retried: the client retries only GETs). The
   * answer is tagged with the cluster like a get, so its edges stay there.
   */
  async send<T extends KubeObject = KubeObject>(write: {
    method: Exclude<Method, 'GET'>;
    path: string;
    body?: { contentType: string; text: string } | undefined;
    cluster?: string | null | undefined;
  }): Promise<T> {
    const token = this.#requireToken();
    const { signal, deadline, budget } = this.#options;
    const send = () => this.#client.call<T>({ ...write, token, signal, deadline, budget });
    const answer = await (budget ? budget.limit(send) : send());
    return answer !== null && typeof answer === 'object' ? tagCluster(answer, write.cluster) : answer;
  }

  /** The upstream origin, for caches that are per upstream and not per caller (discovery). */
  get origin(): string {
    return this.#client.origin;
  }

  #get<T>(path: string, cluster: string | null | undefined): Promise<T> {
    const token = this.#requireToken();
    const { signal, deadline, budget } = this.#options;
    const send = () => this.#client.call<T>({ method: 'GET', path, token, signal, deadline, cluster, budget });
    return budget ? budget.limit(send) : send();
  }

  version(): Promise<VersionInfo> {
    return this.#client.version();
  }

  /** The same caller with another signal, deadline and budget: a subscription's long-lived watch, or one of its events. */
  fork(options: Pick<SessionOptions, 'signal' | 'deadline' | 'budget'>): KubeSphereSession {
    return new KubeSphereSession(this.#client, { ...this.#options, deadline: undefined, ...options });
  }

  /** A streaming GET with the caller's token (watch, followed logs), ended by `signal`. */
  stream(
    path: string,
    options: { cluster?: string | null | undefined; signal: AbortSignal; accept?: string; idleTimeoutMs?: number },
  ): Promise<AsyncIterable<Buffer>> {
    return this.#client.stream({ path, token: this.#requireToken(), ...options });
  }

  /**
   * Who the caller is, for sharing one upstream watch between subscriptions
   * of the same token: a digest, so that the token itself is kept nowhere.
   */
  principal(): string {
    return createHash('sha256').update(this.#requireToken()).digest('base64url');
  }

  /** Member clusters a cluster list named: they exist, whoever asked. */
  noteClusters(names: Iterable<string>): void {
    this.#client.noteClusters(names);
  }

  /**
   * The username the caller's KubeSphere JWT names (its `username` claim).
   * It only picks which account to fetch: the fetch carries the token, so
   * KubeSphere decides what the caller may read.
   */
  callerName(): string {
    const token = this.#requireToken();
    let claimed: unknown;
    try {
      claimed = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { username?: unknown }).username;
    } catch {
      // Not a JWT: handled below like a JWT without the claim.
    }
    if (typeof claimed !== 'string') throw unauthenticated('The token does not name a KubeSphere user.');
    return username(claimed);
  }

  oauthToken(grant: Parameters<KubeSphereClient['oauthToken']>[0]): Promise<OAuthToken> {
    return this.#client.oauthToken(grant, { signal: this.#options.signal, deadline: this.#options.deadline, budget: this.#options.budget });
  }

  /** The caller's token; UNAUTHENTICATED without one. */
  requireToken(): string {
    return this.#requireToken();
  }

  /** Revokes the caller's token upstream; false when there is none to revoke. */
  async oauthLogout(): Promise<boolean> {
    if (this.#options.authError) throw this.#options.authError;
    if (!this.#options.token) return false;
    await this.#client.oauthLogout(this.#options.token, { signal: this.#options.signal, budget: this.#options.budget });
    return true;
  }

  #requireToken(): string {
    if (this.#options.authError) throw this.#options.authError;
    if (!this.#options.token) throw unauthenticated();
    return this.#options.token;
  }
}

interface RawList<T> {
  items?: T[] | null;
  totalItems?: number;
  total_count?: number;
  metadata?: { remainingItemCount?: number };
}

/**
 * KubeSphere answers lists as `{items, totalItems}` (v1alpha3, tenant, IAM),
 * `{items, total_count}` (old v1alpha2), or a Kubernetes List whose total is
 * only implied by `metadata.remainingItemCount` (4.x dynamic API, /apis).
 */
export function normaliseList<T extends KubeObject>(
  raw: RawList<T>,
  paging?: { page?: number | null | undefined; limit?: number | null | undefined },
): ListResult<T> {
  const items = Array.isArray(raw.items) ? raw.items : [];
  if (typeof raw.totalItems === 'number') return { items, totalItems: raw.totalItems };
  if (typeof raw.total_count === 'number') return { items, totalItems: raw.total_count };
  const offset = paging?.limit && paging.limit > 0 ? ((paging.page ?? 1) - 1) * paging.limit : 0;
  return { items, totalItems: offset + items.length + (raw.metadata?.remainingItemCount ?? 0) };
}

type Breaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

const WARN_INTERVAL_MS = 5_000;

/**
 * The route family a path belongs to, for breakers and log rate limits: the
 * token endpoint, `/kapis/version`, a `/kapis` group, a native `/apis` group
 * or the core `/api`, with any member-cluster prefix (3.x inside, 4.x in
 * front) left out, since the cluster is keyed separately.
 */
export function routeScope(path: string): string {
  const segments = pathOnly(path)
    .split('/')
    .filter((s) => s !== '');
  if (segments[0] === 'clusters') segments.splice(0, 2);
  if (segments[1] === 'clusters') segments.splice(1, 2);
  const [root, group] = segments;
  if (root === 'oauth') return 'oauth';
  if (root === 'api') return 'api';
  return `${root ?? ''}/${group ?? ''}`;
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

function errorSummary(error: unknown): { name?: string; code?: unknown; message?: string } {
  return error instanceof Error ? { name: error.name, code: (error as { code?: unknown }).code, message: error.message } : { message: String(error) };
}
