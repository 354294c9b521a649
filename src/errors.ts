/**
 * The one place where failures become GraphQL errors with a stable
 * `extensions.code`. Upstream answers arrive in four body formats (Kubernetes
 * Status JSON, plain text, OAuth JSON, and per-item errors inside a 200); the
 * client hands every non-2xx answer to `fromUpstreamResponse`.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BUDGET_EXCEEDED';

export interface FacadeErrorExtensions {
  code: ErrorCode;
  /** The upstream HTTP status, when the error came from an answer. */
  httpStatus?: number;
  /** The upstream's machine-readable reason (Kubernetes `reason` or OAuth `error`). */
  reason?: string;
  [key: string]: unknown;
}

/** A GraphQL error we mean to show the client; everything else is masked. */
export class FacadeError extends GraphQLError {
  declare readonly extensions: FacadeErrorExtensions;

  constructor(message: string, extensions: FacadeErrorExtensions) {
    super(message, { extensions: { ...extensions } });
    this.name = 'FacadeError';
  }

  get code(): ErrorCode {
    return this.extensions.code;
  }
}

export const badUserInput = (message: string) => new FacadeError(message, { code: 'BAD_USER_INPUT' });
export const unauthenticated = (message = 'An `Authorization: Bearer <token>` header is required; get a token with the `login` mutation.') =>
  new FacadeError(message, { code: 'UNAUTHENTICATED' });
export const notFound = (message: string) => new FacadeError(message, { code: 'NOT_FOUND', httpStatus: 404, reason: 'NotFound' });

interface ParsedBody {
  message: string;
  reason?: string;
}

const MAX_MESSAGE_LENGTH = 500;

/** Reads any of the upstream error formats into a message and a reason. */
function parseErrorBody(contentType: string, body: string): ParsedBody {
  const text = body.trim();
  if (contentType.includes('json') || text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      // Kubernetes Status: {kind: 'Status', message, reason, code}
      if (typeof json.message === 'string' || typeof json.reason === 'string') {
        return {
          message: typeof json.message === 'string' ? json.message : String(json.reason),
          ...(typeof json.reason === 'string' && { reason: json.reason }),
        };
      }
      // OAuth (RFC 6749): {error, error_description}
      if (typeof json.error === 'string') {
        return {
          message: typeof json.error_description === 'string' ? json.error_description : json.error,
          reason: json.error,
        };
      }
    } catch {
      // Not JSON after all: fall through to plain text.
    }
  }
  return { message: text || 'no message' };
}

function codeForStatus(status: number, message: string): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 410:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case 504:
      return 'UPSTREAM_TIMEOUT';
    case 500:
      // KubeSphere 3.x answers a get of a missing object with 500 and `<kind> "<name>" not found`.
      return /\bnot found\b/i.test(message) ? 'NOT_FOUND' : 'UPSTREAM_ERROR';
    default:
      return 'UPSTREAM_ERROR';
  }
}

/**
 * OAuth errors (§2.3): a refused password or refresh token is the caller's
 * authentication failing, whatever status the KubeSphere version picked; a
 * refused client means this server's own OAuth client is misconfigured.
 */
function oauthCode(reason: string | undefined, status: number): ErrorCode | undefined {
  if (status === 429) return undefined;
  if (reason === 'invalid_grant') return 'UNAUTHENTICATED';
  if (reason === 'invalid_client' || reason === 'unauthorized_client') return 'UPSTREAM_ERROR';
  return undefined;
}

/**
 * Maps a non-2xx upstream answer to a GraphQL error. Messages of 4xx answers
 * are about the caller's request and go through; those of server-side
 * failures may name internal hosts, so the client gets only the status (the
 * client module logs the rest).
 */
export function fromUpstreamResponse(status: number, contentType: string, body: string): FacadeError {
  const parsed = parseErrorBody(contentType, body);
  const message = parsed.message.length > MAX_MESSAGE_LENGTH ? `${parsed.message.slice(0, MAX_MESSAGE_LENGTH)}…` : parsed.message;
  const code = oauthCode(parsed.reason, status) ?? codeForStatus(status, message);
  const shown =
    parsed.reason === 'invalid_client' || parsed.reason === 'unauthorized_client'
      ? "KubeSphere refused this server's OAuth client; check KUBESPHERE_CLIENT_ID and KUBESPHERE_CLIENT_SECRET."
      : code === 'UPSTREAM_ERROR' || code === 'UPSTREAM_TIMEOUT'
        ? `KubeSphere failed with HTTP ${status}.`
        : message;
  return new FacadeError(shown, {
    code,
    httpStatus: status,
    ...(parsed.reason !== undefined && { reason: parsed.reason }),
  });
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

/**
 * Maps a transport failure (no answer, or a broken one) to a GraphQL error.
 * The message never carries the upstream address: clients need the code, the
 * operator has the logs.
 */
export function fromTransportError(error: unknown): FacadeError {
  if (error instanceof FacadeError) return error;
  const code = transportCode(error);
  if (code === 'abort') return new FacadeError('The request was cancelled before KubeSphere answered.', { code: 'UPSTREAM_TIMEOUT' });
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new FacadeError('KubeSphere did not answer in time.', { code: 'UPSTREAM_TIMEOUT' });
  }
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return new FacadeError('KubeSphere is unreachable.', { code: 'UPSTREAM_UNAVAILABLE' });
  }
  return new FacadeError('KubeSphere returned an unreadable answer.', { code: 'UPSTREAM_ERROR' });
}

function transportCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return error.name === 'TimeoutError' ? 'ETIMEDOUT' : 'abort';
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  return error.cause === undefined ? undefined : transportCode(error.cause);
}
