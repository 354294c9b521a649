/**
 * What the HTTP layer throws: an upstream answer that was not a 2xx, or a
 * call that got no usable answer. It carries facts about the upstream only;
 * the retry and breaker rules read them here, and src/errors.ts turns them
 * into GraphQL errors at the response boundary.
 */

/** How a call failed: an answer with a non-2xx status, or no usable answer. */
export type UpstreamFailure = 'status' | 'timeout' | 'unavailable' | 'cancelled' | 'breaker-open' | 'oversize' | 'bad-body';

export interface UpstreamErrorInit {
  kind: UpstreamFailure;
  status?: number | undefined;
  /** Kubernetes `Status.reason` or OAuth `error`. */
  reason?: string | undefined;
  retryAfterSeconds?: number | undefined;
  /** The size limit an `oversize` answer broke. */
  limitBytes?: number | undefined;
  /** What the upstream itself said, when it said it in a known format: for the facade's own decisions and logs, never shown. */
  upstreamMessage?: string | undefined;
  cause?: unknown;
}

/** Statuses worth another attempt for a read: the upstream or a proxy was momentarily unable. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** A 4xx message is about the caller's request; a few hundred characters say it. */
const MAX_MESSAGE_LENGTH = 300;
/**
 * 3.x's get of a missing object: 500 with exactly `<resource>.<group> "<name>" not found`
 * (release-3.4:pkg/kapis/resources/v1alpha3/handler.go sends it to HandleInternalError).
 * Only this shape is a not-found; any other 500 mentioning "not found" is a server failure.
 */
const V3_NOT_FOUND = /^([a-z0-9][a-z0-9.-]{0,252}) "([a-z0-9][a-z0-9.:@-]{0,252})" not found$/;

export class UpstreamError extends Error {
  readonly kind: UpstreamFailure;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly limitBytes: number | undefined;
  readonly upstreamMessage: string | undefined;
  readonly #notFound: boolean;

  /** For answers, `message` is what the client may be shown (see `fromResponse`); transport messages are for logs only. */
  constructor(message: string, init: UpstreamErrorInit & { notFound?: boolean }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'UpstreamError';
    this.kind = init.kind;
    this.status = init.status;
    this.reason = init.reason;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.limitBytes = init.limitBytes;
    this.upstreamMessage = init.upstreamMessage;
    this.#notFound = init.notFound ?? (init.status === 404 || init.status === 410);
  }

  /**
   * A non-2xx answer, in any of KubeSphere's error body formats (api doc §9).
   * The message kept is one the client may see: a server-side failure's text
   * never (it may carry addresses, tokens, stack traces), except 3.x's
   * not-found, rebuilt from its exact shape; a 4xx's only from a Kubernetes
   * Status, OAuth JSON or the plain-text line of KubeSphere's handlers, cut
   * short. Anything else (an HTML page from a proxy, unknown JSON) becomes a
   * message with the status only.
   */
  static fromResponse(status: number, contentType: string, body: string, retryAfterSeconds?: number): UpstreamError {
    const parsed = parseErrorBody(contentType, body);
    const init = { kind: 'status' as const, status, reason: parsed.reason, retryAfterSeconds, upstreamMessage: parsed.message || undefined };
    if (status >= 500) {
      const missing = parsed.form === 'text' ? V3_NOT_FOUND.exec(parsed.message) : null;
      if (status === 500 && missing) return new UpstreamError(`${missing[1]} "${missing[2]}" not found`, { ...init, notFound: true });
      return new UpstreamError(`KubeSphere failed with HTTP ${status}.`, init);
    }
    if (parsed.form === 'other') return new UpstreamError(`KubeSphere refused the request with HTTP ${status}.`, { ...init, reason: undefined });
    const message = parsed.message.length > MAX_MESSAGE_LENGTH ? `${parsed.message.slice(0, MAX_MESSAGE_LENGTH)}…` : parsed.message;
    return new UpstreamError(message, init);
  }

  /** A call that got no usable answer, from undici's (or the abort signal's) error; `limitBytes` is the pool's body size cap. */
  static fromTransport(error: unknown, limitBytes?: number): UpstreamError {
    if (error instanceof UpstreamError) return error;
    const code = transportCode(error);
    const kind: UpstreamFailure =
      code === 'abort'
        ? 'cancelled'
        : code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE'
          ? 'oversize'
          : code !== undefined && TIMEOUT_CODES.has(code)
            ? 'timeout'
            : code !== undefined && UNAVAILABLE_CODES.has(code)
              ? 'unavailable'
              : 'bad-body';
    return new UpstreamError(error instanceof Error ? error.message : String(error), { kind, cause: error, ...(kind === 'oversize' && { limitBytes }) });
  }

  /** 404, 410, or KubeSphere 3.x's 500 with exactly `<resource>.<group> "<name>" not found`. */
  get notFound(): boolean {
    return this.#notFound;
  }

  /** Worth another attempt for a read: a momentary status, or a connection that broke. */
  get retryable(): boolean {
    return this.kind === 'unavailable' || (this.status !== undefined && RETRYABLE_STATUSES.has(this.status));
  }

  /**
   * Says something about the upstream's health: no answer in time, no
   * connection, an unusable body, or a server-side failure. The caller's own
   * mistakes (4xx) and cancellations do not.
   */
  get unhealthy(): boolean {
    if (this.kind === 'cancelled' || this.kind === 'breaker-open') return false;
    if (this.status === undefined) return true;
    return (this.status < 400 || this.status >= 500) && !this.notFound;
  }
}

interface ParsedBody {
  message: string;
  reason?: string | undefined;
  /** Which known format the body was: only these carry messages worth passing on. */
  form: 'status' | 'oauth' | 'text' | 'other';
}

/** One line of printable text, as Go's `http.Error` writes it: no markup, no trace. */
const PLAIN_LINE = /^[^\p{Cc}<>]{1,2000}$/u;

/** Reads Kubernetes Status JSON, OAuth JSON or KubeSphere's plain-text line into a message and a reason. */
function parseErrorBody(contentType: string, body: string): ParsedBody {
  const text = body.trim();
  if (contentType.includes('json') || text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      // 4.x writes some errors as the Go StatusError itself: `{"ErrStatus": {Status}}` (api doc §8.2).
      const json = (typeof parsed.ErrStatus === 'object' && parsed.ErrStatus !== null ? parsed.ErrStatus : parsed) as Record<string, unknown>;
      // Kubernetes Status: {kind: 'Status', message, reason, code}; a bare StatusError's carries no TypeMeta.
      const isStatus = json.kind === 'Status' || (json.status === 'Failure' && typeof json.code === 'number');
      if (isStatus && (typeof json.message === 'string' || typeof json.reason === 'string')) {
        return {
          message: typeof json.message === 'string' ? json.message : String(json.reason),
          reason: typeof json.reason === 'string' ? json.reason : undefined,
          form: 'status',
        };
      }
      // OAuth (RFC 6749): {error, error_description}
      if (typeof json.error === 'string') {
        return { message: typeof json.error_description === 'string' ? json.error_description : json.error, reason: json.error, form: 'oauth' };
      }
    } catch {
      // Not JSON after all: judged as text below.
    }
    return { message: '', form: 'other' };
  }
  const plain = contentType === '' || contentType.startsWith('text/plain');
  return plain && PLAIN_LINE.test(text) ? { message: text, form: 'text' } : { message: '', form: 'other' };
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

function transportCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return error.name === 'TimeoutError' ? 'ETIMEDOUT' : 'abort';
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  return error.cause === undefined ? undefined : transportCode(error.cause);
}
