/**
 * The Prometheus metrics of one facade, in a registry of its own (so that
 * two facades in one process, as in the tests, never mix their counts), and
 * the separate `/metrics` listener that serves them.
 */
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KubeSphereClient } from '../kubesphere/client.ts';
import type { LiveHub } from '../subscriptions/hub.ts';
import { BoundedLabel } from './labels.ts';

const PREFIX = 'kubesphere_graphql_';
const BREAKER_STATE = { closed: 0, 'half-open': 1, open: 2 } as const;

export class FacadeMetrics {
  readonly registry = new Registry();
  /** Operation names as GraphQL spells them, 64 characters at most, the first 100 distinct ones. */
  readonly operationNames = new BoundedLabel(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 100);
  /** Member clusters the upstream has answered for (so they exist), the first 64; `host` is the host cluster. */
  readonly clusters = new BoundedLabel(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 64);
  /** API groups are spelt by the facade's own routes, except for generic kinds a caller names. */
  readonly apiGroups = new BoundedLabel(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/, 64);
  readonly errorCodes = new BoundedLabel(/^[A-Z][A-Z0-9_]{0,47}$/, 64);

  readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  readonly operationDuration: Histogram<'operation' | 'type' | 'outcome'>;
  readonly operationErrors: Counter<'code'>;
  readonly upstreamRequests: Counter<'method' | 'api_group' | 'cluster' | 'status'>;
  readonly upstreamDuration: Histogram<'method' | 'api_group' | 'cluster' | 'status'>;
  readonly upstreamRetries: Counter<'method' | 'api_group' | 'cluster'>;
  readonly batchSize: Histogram<'loader'>;

  constructor(client: KubeSphereClient, live: LiveHub) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.operations = new Counter({
      name: `${PREFIX}operations_total`,
      help: 'GraphQL operations by name (anonymous, or other past the cap), type and outcome (success, partial, error)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.operationDuration = new Histogram({
      name: `${PREFIX}operation_duration_seconds`,
      help: 'GraphQL operation duration, from the request to the response head',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    });
    this.operationErrors = new Counter({
      name: `${PREFIX}operation_errors_total`,
      help: 'Errors in GraphQL responses by extensions.code',
      labelNames: ['code'],
      registers,
    });
    this.upstreamRequests = new Counter({
      name: `${PREFIX}upstream_requests_total`,
      help: 'HTTP requests to KubeSphere (each attempt) by method, API group, cluster and status (HTTP status, or timeout, unavailable, cancelled, breaker_open, oversize, bad_body)',
      labelNames: ['method', 'api_group', 'cluster', 'status'],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: `${PREFIX}upstream_request_duration_seconds`,
      help: 'Duration of one HTTP request to KubeSphere, body read included',
      labelNames: ['method', 'api_group', 'cluster', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.upstreamRetries = new Counter({
      name: `${PREFIX}upstream_retries_total`,
      help: 'Retried upstream reads',
      labelNames: ['method', 'api_group', 'cluster'],
      registers,
    });
    this.batchSize = new Histogram({
      name: `${PREFIX}dataloader_batch_size`,
      help: 'Keys per DataLoader batch, by loader',
      labelNames: ['loader'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    const clusterLabel = (cluster: string | null) => this.cluster(cluster);
    new Gauge({
      name: `${PREFIX}upstream_breaker_state`,
      help: 'Circuit breaker per cluster: 0 closed, 1 half-open, 2 open (other: the worst of the rest)',
      labelNames: ['cluster'],
      registers,
      collect() {
        this.reset();
        const worst = new Map<string, number>();
        for (const { cluster, state } of client.breakerStates()) {
          const label = clusterLabel(cluster);
          worst.set(label, Math.max(worst.get(label) ?? 0, BREAKER_STATE[state]));
        }
        for (const [cluster, value] of worst) this.set({ cluster }, value);
      },
    });
    new Gauge({
      name: `${PREFIX}upstream_pool_connections`,
      help: 'Connections of the upstream pools (calls; streams: watches and followed logs) by state (connected, free)',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [pool, stats] of Object.entries(client.poolStats())) {
          this.set({ pool, state: 'connected' }, stats.connected);
          this.set({ pool, state: 'free' }, stats.free);
        }
      },
    });
    new Gauge({
      name: `${PREFIX}upstream_pool_requests`,
      help: 'Requests in the upstream pools by state (running, pending, queued)',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [pool, stats] of Object.entries(client.poolStats())) {
          this.set({ pool, state: 'running' }, stats.running);
          this.set({ pool, state: 'pending' }, stats.pending);
          this.set({ pool, state: 'queued' }, stats.queued);
        }
      },
    });
    new Gauge({
      name: `${PREFIX}subscriptions_open`,
      help: 'Open GraphQL subscriptions (SSE and WebSocket)',
      registers,
      collect() {
        this.set(live.openSubscriptions);
      },
    });
    new Gauge({
      name: `${PREFIX}upstream_watches`,
      help: 'Upstream watch requests running (subscriptions of one token and scope share one)',
      registers,
      collect() {
        this.set(live.upstreamWatches);
      },
    });
  }

  /** `host` for the host cluster; a member only once the upstream has answered for it. */
  cluster(cluster: string | null): string {
    if (cluster === null) return 'host';
    return this.clusters.has(cluster) ? cluster : 'other';
  }

  /** The metrics as Prometheus text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The `/metrics` listener (not yet listening); anything else is 404. */
  server(): Server {
    return createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?', 1)[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.text().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' }).end(text),
        () => response.writeHead(500).end(),
      );
    });
  }
}
