/**
 * The only code that speaks HTTP to KubeSphere: one undici Pool per upstream
 * origin, shared by every request. Tokens are passed per call and never kept.
 */
import { Pool, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { FacadeError, fromTransportError, fromUpstreamResponse, unauthenticated } from '../errors.ts';
import { OAUTH_TOKEN_PATH, VERSION_PATH, type ApiFamily, type Target } from './paths.ts';
import { tagCluster, type KubeObject, type ListResult, type VersionInfo } from './types.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamCall {
  method: Method;
  /** Path and query string, built by paths.ts. */
  path: string;
  token?: string | undefined;
  body?: { contentType: string; text: string } | undefined;
  signal?: AbortSignal | undefined;
}

/** `/oauth/token` success body (§2.2). */
export interface OAuthToken {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
}

export type UpstreamOptions = Config['upstream'] & { url: string };

export class KubeSphereClient {
  readonly origin: string;
  readonly #basePath: string;
  readonly #pool: Dispatcher;
  readonly #maxResponseBytes: number;
  readonly #headersTimeout: number;
  readonly #bodyTimeout: number;
  readonly #oauth: Config['oauth'];
  readonly #logger: Logger;
  #version: Promise<VersionInfo> | undefined;

  constructor(options: UpstreamOptions, oauth: Config['oauth'], logger: Logger) {
    const url = new URL(options.url);
    this.origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#maxResponseBytes = options.maxResponseBytes;
    this.#headersTimeout = options.headersTimeoutMs;
    this.#bodyTimeout = options.bodyTimeoutMs;
    this.#oauth = oauth;
    this.#logger = logger;
    this.#pool = new Pool(this.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      connect: {
        timeout: options.connectTimeoutMs,
        ...(options.ca !== undefined && { ca: options.ca }),
        rejectUnauthorized: !options.insecureSkipTlsVerify,
      },
    });
  }

  /** Sends one request and returns the parsed JSON body; non-2xx answers throw coded errors. */
  async call<T>(call: UpstreamCall): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.body) headers['content-type'] = call.body.contentType;
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#pool.request({
        method: call.method,
        path: this.#basePath + call.path,
        headers,
        body: call.body?.text,
        signal: call.signal,
        headersTimeout: this.#headersTimeout,
        bodyTimeout: this.#bodyTimeout,
      });
    } catch (error) {
      this.#logger.warn({ method: call.method, path: pathOnly(call.path), err: errorSummary(error) }, 'upstream call failed');
      throw fromTransportError(error);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    let text: string;
    try {
      text = await this.#readBody(response.body);
    } catch (error) {
      this.#logger.warn({ method: call.method, path: pathOnly(call.path), status: response.statusCode, err: errorSummary(error) }, 'upstream body failed');
      throw fromTransportError(error);
    }
    this.#logger.debug(
      { method: call.method, path: pathOnly(call.path), status: response.statusCode, ms: Math.round(performance.now() - started) },
      'upstream call',
    );
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw fromUpstreamResponse(response.statusCode, contentType, text);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new FacadeError('KubeSphere returned an answer that is not JSON.', { code: 'UPSTREAM_ERROR', httpStatus: response.statusCode });
    }
  }

  /** Reads a body up to the size limit; a larger one is cut off, not buffered. */
  async #readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.#maxResponseBytes) {
        body.destroy();
        throw new FacadeError(`KubeSphere's answer exceeded ${this.#maxResponseBytes} bytes.`, { code: 'UPSTREAM_ERROR' });
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
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
  oauthToken(grant: { grant_type: 'password'; username: string; password: string } | { grant_type: 'refresh_token'; refresh_token: string }, signal?: AbortSignal) {
    const form = new URLSearchParams({ ...grant, client_id: this.#oauth.clientId, client_secret: this.#oauth.clientSecret });
    return this.call<OAuthToken>({
      method: 'POST',
      path: OAUTH_TOKEN_PATH,
      body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() },
      signal,
    });
  }

  /** A view bound to one caller's token and request; cheap, shares the pool. */
  session(token: string | undefined, signal?: AbortSignal, authError?: FacadeError): KubeSphereSession {
    return new KubeSphereSession(this, token, signal, authError);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** One caller's access to KubeSphere for the length of one GraphQL request. */
export class KubeSphereSession {
  readonly #client: KubeSphereClient;
  readonly #token: string | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #authError: FacadeError | undefined;

  constructor(client: KubeSphereClient, token: string | undefined, signal: AbortSignal | undefined, authError: FacadeError | undefined) {
    this.#client = client;
    this.#token = token;
    this.#signal = signal;
    this.#authError = authError;
  }

  /** Resolves the routing for a cluster argument (needs the upstream's API family). */
  async target(cluster: string | null | undefined): Promise<Target> {
    return { family: await this.#client.family(), cluster };
  }

  /** Gets one object; `cluster` tags it so that its edges stay on that cluster. */
  async get<T extends KubeObject = KubeObject>(path: string, cluster?: string | null): Promise<T> {
    return tagCluster(await this.#get<T>(path), cluster);
  }

  /** A list in any envelope, normalised to `{items, totalItems}`. */
  async list<T extends KubeObject = KubeObject>(
    path: string,
    options: { cluster?: string | null | undefined; page?: number | null | undefined; limit?: number | null | undefined } = {},
  ): Promise<ListResult<T>> {
    const result = normaliseList<T>(await this.#get<RawList<T>>(path), options);
    for (const item of result.items) tagCluster(item, options.cluster);
    return result;
  }

  #get<T>(path: string): Promise<T> {
    return this.#client.call<T>({ method: 'GET', path, token: this.#requireToken(), signal: this.#signal });
  }

  version(): Promise<VersionInfo> {
    return this.#client.version();
  }

  oauthToken(grant: Parameters<KubeSphereClient['oauthToken']>[0]): Promise<OAuthToken> {
    return this.#client.oauthToken(grant, this.#signal);
  }

  #requireToken(): string {
    if (this.#authError) throw this.#authError;
    if (!this.#token) throw unauthenticated();
    return this.#token;
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
export function normaliseList<T extends KubeObject>(raw: RawList<T>, paging?: { page?: number | null | undefined; limit?: number | null | undefined }): ListResult<T> {
  const items = Array.isArray(raw.items) ? raw.items : [];
  if (typeof raw.totalItems === 'number') return { items, totalItems: raw.totalItems };
  if (typeof raw.total_count === 'number') return { items, totalItems: raw.total_count };
  const offset = paging?.limit && paging.limit > 0 ? ((paging.page ?? 1) - 1) * paging.limit : 0;
  return { items, totalItems: offset + items.length + (raw.metadata?.remainingItemCount ?? 0) };
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

function errorSummary(error: unknown): { name?: string; code?: unknown; message?: string } {
  return error instanceof Error ? { name: error.name, code: (error as { code?: unknown }).code, message: error.message } : { message: String(error) };
}
