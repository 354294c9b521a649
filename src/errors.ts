/**
 * The one place where failures become GraphQL errors with a stable
 * `extensions.code`. The HTTP layer throws `UpstreamError`s (facts about the
 * upstream); they become coded errors once, as the operation's result leaves
 * execution (`useUpstreamErrors`). Input and policy failures are coded where
 * they are found.
 */
import { GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { UpstreamError } from './kubesphere/upstream-error.ts';

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
  | 'UPSTREAM_BUDGET_EXCEEDED'
  | 'MONITORING_UNAVAILABLE'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'SLOW_CONSUMER'
  | 'OPERATION_TIMEOUT'
  | 'RESPONSE_TOO_LARGE';

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
/** The operation's own deadline passed: the facade's limit, not an upstream failure. */
export const operationTimeout = () =>
  new FacadeError('The operation ran out of time (OPERATION_TIMEOUT_MS); ask for fewer or smaller lists.', { code: 'OPERATION_TIMEOUT' });
export const notFound = (message: string) => new FacadeError(message, { code: 'NOT_FOUND', httpStatus: 404, reason: 'NotFound' });

function codeForStatus(error: UpstreamError): ErrorCode {
  if (error.notFound) return 'NOT_FOUND';
  switch (error.status) {
    case 400:
    case 422:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case 504:
      return 'UPSTREAM_TIMEOUT';
    default:
      return 'UPSTREAM_ERROR';
  }
}

/**
 * OAuth errors (§2.3): a refused password or refresh token is the caller's
 * authentication failing, whatever status the KubeSphere version picked; a
 * refused client means this server's own OAuth client is misconfigured.
 */
function oauthCode(reason: string | undefined, status: number | undefined): ErrorCode | undefined {
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
function fromAnswer(error: UpstreamError & { status: number }): FacadeError {
  const code = oauthCode(error.reason, error.status) ?? codeForStatus(error);
  const shown =
    error.reason === 'invalid_client' || error.reason === 'unauthorized_client'
      ? "KubeSphere refused this server's OAuth client; check KUBESPHERE_CLIENT_ID and KUBESPHERE_CLIENT_SECRET."
      : code === 'UPSTREAM_ERROR' || code === 'UPSTREAM_TIMEOUT'
        ? `KubeSphere failed with HTTP ${error.status}.`
        : error.message;
  return new FacadeError(shown, {
    code,
    httpStatus: error.status,
    ...(error.reason !== undefined && { reason: error.reason }),
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
  });
}

/**
 * The GraphQL face of an upstream failure. Transport messages never reach
 * the client: they may carry the upstream address, and the operator has the
 * logs.
 */
export function toFacadeError(error: UpstreamError): FacadeError {
  switch (error.kind) {
    case 'status':
      return fromAnswer(error as UpstreamError & { status: number });
    case 'timeout':
      return new FacadeError('KubeSphere did not answer in time.', { code: 'UPSTREAM_TIMEOUT' });
    case 'cancelled':
      return new FacadeError('The request was cancelled before KubeSphere answered.', { code: 'UPSTREAM_TIMEOUT', reason: 'Cancelled' });
    case 'unavailable':
      return new FacadeError('KubeSphere is unreachable.', { code: 'UPSTREAM_UNAVAILABLE' });
    case 'breaker-open':
      return new FacadeError('KubeSphere is failing; calls are paused for a few seconds.', { code: 'UPSTREAM_UNAVAILABLE', circuit: 'open' });
    case 'oversize':
      return new FacadeError(`KubeSphere's answer exceeded ${error.limitBytes} bytes.`, { code: 'UPSTREAM_ERROR' });
    case 'bad-body':
      return error.status === undefined
        ? new FacadeError('KubeSphere returned an unreadable answer.', { code: 'UPSTREAM_ERROR' })
        : new FacadeError('KubeSphere returned an answer that is not JSON.', { code: 'UPSTREAM_ERROR', httpStatus: error.status });
  }
}

/**
 * The boundary: field errors whose cause is an upstream failure leave the
 * operation as coded GraphQL errors, at the same path, so one failing field
 * still leaves the rest of the data. It runs before Yoga's masking, which
 * then lets these coded errors through and masks anything unexpected.
 */
export function useUpstreamErrors(): Plugin {
  const convert = (error: GraphQLError): GraphQLError => {
    if (!(error.originalError instanceof UpstreamError)) return error;
    const coded = toFacadeError(error.originalError);
    return new GraphQLError(coded.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: coded,
      extensions: coded.extensions,
    });
  };
  return {
    onExecute: () => ({
      onExecuteDone: (payload) =>
        handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
          if (result.errors?.some((error) => error.originalError instanceof UpstreamError)) setResult({ ...result, errors: result.errors.map(convert) });
        }),
    }),
  };
}
