/** The request id and the one log line per GraphQL operation. */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { OperationState } from './operation.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it is short and plain (it goes into logs and a response header); otherwise a fresh one. */
const SAFE_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;

export function requestId(header: string | null): string {
  return header !== null && SAFE_ID.test(header) ? header : randomUUID();
}

export type Outcome = 'success' | 'partial' | 'error';

export function outcome(state: OperationState, status: number): Outcome {
  if (state.errorCodes.length === 0 && status < 400) return 'success';
  return state.hasData ? 'partial' : 'error';
}

/**
 * One `info` line: no token, no variables, no document; the operation name
 * as the client gave it, cut to 100 characters.
 */
export function logOperation(logger: Logger, state: OperationState, status: number, durationMs: number): void {
  logger.info(
    {
      requestId: state.requestId,
      operation: state.operationName?.slice(0, 100) ?? null,
      type: state.operationType,
      status,
      outcome: outcome(state, status),
      durationMs: Math.round(durationMs * 10) / 10,
      upstreamCalls: state.upstreamCalls,
      errorCodes: state.errorCodes,
    },
    'graphql operation',
  );
}
