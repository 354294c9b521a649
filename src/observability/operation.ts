/**
 * What one GraphQL operation carries for observability: its request id, the
 * upstream calls it made, its span, and the facade's metrics. It is reached
 * through AsyncLocalStorage, so that the upstream client and the DataLoaders
 * need no new parameters.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FacadeMetrics } from './metrics.ts';

export interface OperationState {
  requestId: string;
  startedAt: number;
  metrics: FacadeMetrics;
  /** HTTP requests to KubeSphere, retries included. */
  upstreamCalls: number;
  operationName: string | null;
  operationType: string | null;
  errorCodes: string[];
  hasData: boolean;
}

export const operationStore = new AsyncLocalStorage<OperationState>();
