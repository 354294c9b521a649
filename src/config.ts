/**
 * Configuration from environment variables, parsed once at start-up. Nothing
 * else in the code base reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const boolean = z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }).transform((v) => v === 'true' || v === '1');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be positive');

const EnvSchema = z.object({
  KUBESPHERE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://ks-apiserver.kubesphere-system.svc' })
    .optional()
    .describe('ks-apiserver base URL, e.g. `http://ks-apiserver.kubesphere-system.svc`; unset: the built-in simulator'),
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(4000).describe('port the facade listens on'),
  HOST: z.string().min(1).default('0.0.0.0').describe('address the facade listens on'),
  KUBESPHERE_CA_FILE: z.string().min(1).optional().describe('PEM CA bundle for an HTTPS upstream'),
  KUBESPHERE_INSECURE_SKIP_TLS_VERIFY: boolean.default(false).describe('skip upstream certificate checks (testing only)'),
  KUBESPHERE_CLIENT_ID: z.string().min(1).default('kubesphere').describe('OAuth client for `login` / `refreshToken`'),
  KUBESPHERE_CLIENT_SECRET: z.string().min(1).default('kubesphere').describe('secret of that OAuth client'),
  UPSTREAM_CONNECTIONS: positiveInt.default(32).describe('keep-alive connections in the upstream pool'),
  UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt.default(3_000).describe('upstream connect timeout'),
  UPSTREAM_HEADERS_TIMEOUT_MS: positiveInt.default(10_000).describe('upstream response headers timeout'),
  UPSTREAM_BODY_TIMEOUT_MS: positiveInt.default(10_000).describe('upstream response body timeout (between chunks)'),
  UPSTREAM_MAX_RESPONSE_BYTES: positiveInt.default(32 * 1024 * 1024).describe('32 MiB: larger upstream answers are cut off with `UPSTREAM_ERROR`'),
  UPSTREAM_LARGE_ANSWERS: positiveInt
    .default(2)
    .describe(
      'upstream answers over 1 MiB read and parsed at once, process-wide; more wait their turn, so that many large lists arriving together cannot exhaust memory',
    ),
  UPSTREAM_CALL_TIMEOUT_MS: positiveInt.default(10_000).describe('deadline of one upstream call, retries included'),
  UPSTREAM_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe('retries (0-5) of reads (GET) on 429/502/503/504 and broken connections, with backoff and jitter; writes are never retried'),
  UPSTREAM_RETRY_AFTER_MAX_MS: positiveInt.default(5_000).describe('a longer upstream `Retry-After` fails fast with `RATE_LIMITED`'),
  BREAKER_ERROR_PERCENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe(
      'circuit breaker per upstream origin and cluster (never per token): error percentage that opens it; timeouts, connection errors and 5xx count, 4xx do not',
    ),
  BREAKER_MIN_CALLS: positiveInt.default(20).describe('calls in the window before the breaker may open'),
  BREAKER_WINDOW_MS: positiveInt.default(10_000).describe('rolling window of the breaker statistics'),
  BREAKER_RESET_MS: positiveInt.default(10_000).describe('how long an open breaker waits before a trial call'),
  BREAKER_MAX_CIRCUITS: positiveInt
    .default(500)
    .describe('breakers kept at most (one per upstream, known cluster and API group; least recently used go first)'),
  OPERATION_TIMEOUT_MS: positiveInt.default(15_000).describe('deadline of one GraphQL operation; the client going away cancels too'),
  OPERATION_MAX_UPSTREAM_CALLS: positiveInt
    .default(100)
    .describe('upstream calls one operation may make; past it, fields fail with `UPSTREAM_BUDGET_EXCEEDED` and the rest of the data is kept'),
  OPERATION_MAX_IN_FLIGHT: positiveInt.default(20).describe('concurrent upstream calls of one operation'),
  MAX_REQUEST_BYTES: positiveInt.default(1024 * 1024).describe('1 MiB: larger bodies get HTTP 413'),
  MAX_TOKENS: positiveInt.default(2_000).describe('tokens in a document (`GRAPHQL_PARSE_FAILED`); limits are checked before any resolver runs'),
  MAX_DEPTH: positiveInt.default(10).describe('selection depth (`QUERY_TOO_DEEP`)'),
  MAX_ALIASES: positiveInt.default(15).describe('aliases (`TOO_MANY_ALIASES`)'),
  MAX_DIRECTIVES: positiveInt.default(20).describe('directives (`TOO_MANY_DIRECTIVES`)'),
  MAX_COST: positiveInt.default(5_000).describe('estimated cost (`QUERY_TOO_COMPLEX`)'),
  MAX_CHARACTERS: positiveInt.default(15_000).describe('characters in a document (`GRAPHQL_VALIDATION_FAILED`)'),
  MAX_LIST_COST: positiveInt
    .default(50_000)
    .describe('cost with every list multiplied by its `limit` (`QUERY_TOO_EXPENSIVE`), checked before any upstream call'),
  RESPONSE_MAX_OBJECTS: positiveInt.default(250_000).describe('objects in one response; past it, `RESPONSE_TOO_LARGE`'),
  RESPONSE_MAX_BYTES: positiveInt.default(16 * 1024 * 1024).describe('16 MiB: estimated bytes of one response; past it, `RESPONSE_TOO_LARGE`'),
  TRUSTED_DOCUMENTS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('JSON object of sha256 hash → document; when set, only those operations run (Apollo `persistedQuery` extension)'),
  SESSION_COOKIE: boolean
    .default(false)
    .describe(
      'browser session mode: `login(session: true)` keeps the token in an HttpOnly, Secure, SameSite=Strict cookie, honoured only with the CSRF header and an allowed Origin',
    ),
  SESSION_COOKIE_ORIGINS: z
    .string()
    .min(1)
    .optional()
    .describe("comma-separated origins (e.g. `https://console.example.com`) whose pages may use the session cookie besides this server's own"),
  GRAPHIQL: boolean.optional().describe('GraphiQL on `GET /graphql`; unset: on except in production, `1` keeps it on there (a staging profile)'),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000).describe('slow-header (slowloris) cut-off'),
  READYZ_CACHE_MS: z.coerce.number().int().min(0).default(2_000).describe('how long `/readyz` reuses its last upstream probe'),
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .pipe(
      z.array(
        z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)], {
          error: 'must be a comma-separated list of origins such as https://console.example.com, or *',
        }),
      ),
    )
    .optional()
    .describe('comma-separated origins allowed cross-origin access, or `*`; unset: none in production, any origin without credentials in development'),
  CORS_CREDENTIALS: boolean.default(false).describe('let the `CORS_ORIGINS` send credentials (cookies)'),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000).describe('how long SIGTERM waits for in-flight requests'),
  SUBSCRIPTIONS_MAX: positiveInt.default(10_000).describe('open subscriptions in the whole process; past it, `TOO_MANY_SUBSCRIPTIONS`'),
  SUBSCRIPTIONS_MAX_PER_CONNECTION: positiveInt.default(100).describe('open subscriptions on one WebSocket or SSE connection'),
  SUBSCRIPTION_BUFFER_EVENTS: positiveInt
    .default(1_000)
    .describe('events buffered for one subscription; a client that falls further behind is disconnected (`SLOW_CONSUMER`)'),
  WATCH_TIMEOUT_SECONDS: positiveInt.default(300).describe('how long one upstream watch request may last before it is resumed'),
  LOG_MAX_BYTES: positiveInt.default(1024 * 1024).describe('1 MiB: the most a one-shot `Pod.logs` read returns'),
  LOG_MAX_LINE_BYTES: positiveInt.default(16 * 1024).describe('16 KiB: longer log lines are cut'),
  LIST_DEFAULT_LIMIT: positiveInt.default(10).describe('page size when a query gives none'),
  LIST_MAX_LIMIT: positiveInt.default(500).describe('the largest page a query may ask for'),
  MAX_REPLICAS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(0)
    .max(1_000_000)
    .default(1_000)
    .describe('the most replicas `scaleDeployment` / `scaleStatefulSet` may ask for'),
  SIMULATOR_FLAVOUR: z.enum(['3.4', '4.1']).default('4.1').describe("the built-in simulator's KubeSphere version"),
  SIMULATOR_PODS: positiveInt.optional().describe("the built-in simulator's size in pods; unset: the demo size"),
  DEMO: boolean.default(false).describe('with `NODE_ENV=production` and no `KUBESPHERE_URL`: run on the built-in demo cluster anyway'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level; tokens are never logged'),
  REQUEST_LOG: boolean
    .default(true)
    .describe('one `info` line per GraphQL operation: request id, operation, duration, upstream calls, error codes (never tokens or variables)'),
  METRICS_PORT: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe('port of the Prometheus `/metrics` listener, apart from `PORT` so that it can stay internal; `0`: no listener'),
  METRICS_HOST: z.string().min(1).default('0.0.0.0').describe('address the metrics listener binds'),
  OTEL_TRACES_EXPORTER: z
    .enum(['otlp', 'none'])
    .optional()
    .describe('`otlp`: export traces over OTLP/HTTP; unset: on when an OTLP endpoint is set; `none`: off'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe('OTLP/HTTP collector base URL (traces go to `/v1/traces`), e.g. `http://otel-collector:4318`; setting it turns tracing on'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe('full OTLP/HTTP traces URL; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`'),
  OTEL_SERVICE_NAME: z.string().min(1).default('kubesphere-graphql').describe('`service.name` of the exported spans'),
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('`production`: introspection and GraphiQL off, CSRF header required (see "Production profile")'),
});

/** One environment variable as `--help` and the README show it. */
export interface ConfigVariable {
  name: string;
  /** The default as text; empty when unset by default. */
  defaultValue: string;
  description: string;
}

/** Every variable of the configuration, in documentation order, from the schema itself. */
export function configVariables(): ConfigVariable[] {
  return Object.entries(EnvSchema.shape).map(([name, schema]) => {
    let description = schema.description ?? '';
    const inner = schema.def.type === 'default' || schema.def.type === 'optional' ? schema.def.innerType : schema;
    if (inner.def.type === 'enum') description += ` (one of ${Object.values(inner.def.entries).join(', ')})`;
    return { name, defaultValue: schema.def.type === 'default' ? String(schema.def.defaultValue) : '', description };
  });
}

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  production: boolean;
  http: { host: string; port: number; headersTimeoutMs: number };
  /** Cross-origin access: none unless origins are configured (development: any origin, never with credentials). */
  cors: { origins: string[]; credentials: boolean } | null;
  /** How long `/readyz` reuses its last upstream probe. */
  readyzCacheMs: number;
  /** Null means: run on the built-in simulator. */
  upstream: {
    url: string | null;
    ca: string | undefined;
    insecureSkipTlsVerify: boolean;
    connections: number;
    connectTimeoutMs: number;
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
    maxResponseBytes: number;
    /** Upstream answers over 1 MiB in flight at once (read and parsed), process-wide. */
    largeAnswers: number;
    callTimeoutMs: number;
    retries: number;
    retryAfterMaxMs: number;
    /** `maxCircuits`: the most breakers kept (least recently used go first). */
    breaker: { errorPercent: number; minCalls: number; windowMs: number; resetMs: number; maxCircuits: number };
  };
  /** Per GraphQL operation. */
  operation: { timeoutMs: number; maxUpstreamCalls: number; maxInFlight: number };
  /** Checked before any resolver runs. */
  limits: {
    requestBytes: number;
    characters: number;
    tokens: number;
    depth: number;
    aliases: number;
    directives: number;
    cost: number;
    /** Cost with lists multiplied by their `limit` (src/cost.ts). */
    listCost: number;
  };
  /** What one response may hold. */
  response: { maxObjects: number; maxBytes: number };
  /** Operation hash → document, when only trusted documents may run. */
  trustedDocuments: Map<string, string> | null;
  shutdownGraceMs: number;
  /** Browser session mode: the token in an HttpOnly cookie, and the page origins that may use it besides the server's own. */
  session: { enabled: boolean; origins: string[] };
  graphiql: boolean;
  oauth: { clientId: string; clientSecret: string };
  lists: { defaultLimit: number; maxLimit: number };
  /** Limits on what mutations may ask for. */
  writes: { maxReplicas: number };
  /** Live updates: caps, the per-subscription buffer, and how long one upstream watch request may last. */
  subscriptions: { maxTotal: number; maxPerConnection: number; bufferEvents: number; watchTimeoutSeconds: number };
  /** Container logs: the most a one-shot read returns, and the longest line kept (longer ones are cut). */
  logs: { maxBytes: number; maxLineBytes: number };
  simulator: { flavour: '3.4' | '4.1'; pods: number | undefined };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** One log line per operation. */
  requestLog: boolean;
  /** Port 0: no metrics listener. */
  metrics: { host: string; port: number };
  /** Null: tracing off. */
  tracing: { tracesUrl: string; serviceName: string } | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment variables:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.LIST_DEFAULT_LIMIT > e.LIST_MAX_LIMIT) {
    throw new ConfigError('Invalid environment variables:\n  LIST_DEFAULT_LIMIT: must not exceed LIST_MAX_LIMIT');
  }
  const production = e.NODE_ENV === 'production';
  // A production process that quietly served the fake cluster (and its published passwords) would look healthy.
  if (production && !e.KUBESPHERE_URL && !e.DEMO) {
    throw new ConfigError(
      'Invalid environment variables:\n  KUBESPHERE_URL: required with NODE_ENV=production (e.g. http://ks-apiserver.kubesphere-system.svc). ' +
        'To run the built-in demo cluster instead, use NODE_ENV=development, or set DEMO=1.',
    );
  }
  return {
    production,
    http: { host: e.HOST, port: e.PORT, headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS },
    cors: e.CORS_ORIGINS?.length ? { origins: e.CORS_ORIGINS, credentials: e.CORS_CREDENTIALS } : production ? null : { origins: ['*'], credentials: false },
    readyzCacheMs: e.READYZ_CACHE_MS,
    upstream: {
      url: e.KUBESPHERE_URL ? e.KUBESPHERE_URL.replace(/\/+$/, '') : null,
      ca: e.KUBESPHERE_CA_FILE ? readCaFile(e.KUBESPHERE_CA_FILE) : undefined,
      insecureSkipTlsVerify: e.KUBESPHERE_INSECURE_SKIP_TLS_VERIFY,
      connections: e.UPSTREAM_CONNECTIONS,
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.UPSTREAM_BODY_TIMEOUT_MS,
      maxResponseBytes: e.UPSTREAM_MAX_RESPONSE_BYTES,
      largeAnswers: e.UPSTREAM_LARGE_ANSWERS,
      callTimeoutMs: e.UPSTREAM_CALL_TIMEOUT_MS,
      retries: e.UPSTREAM_RETRIES,
      retryAfterMaxMs: e.UPSTREAM_RETRY_AFTER_MAX_MS,
      breaker: {
        errorPercent: e.BREAKER_ERROR_PERCENT,
        minCalls: e.BREAKER_MIN_CALLS,
        windowMs: e.BREAKER_WINDOW_MS,
        resetMs: e.BREAKER_RESET_MS,
        maxCircuits: e.BREAKER_MAX_CIRCUITS,
      },
    },
    operation: { timeoutMs: e.OPERATION_TIMEOUT_MS, maxUpstreamCalls: e.OPERATION_MAX_UPSTREAM_CALLS, maxInFlight: e.OPERATION_MAX_IN_FLIGHT },
    limits: {
      requestBytes: e.MAX_REQUEST_BYTES,
      characters: e.MAX_CHARACTERS,
      tokens: e.MAX_TOKENS,
      depth: e.MAX_DEPTH,
      aliases: e.MAX_ALIASES,
      directives: e.MAX_DIRECTIVES,
      cost: e.MAX_COST,
      listCost: e.MAX_LIST_COST,
    },
    response: { maxObjects: e.RESPONSE_MAX_OBJECTS, maxBytes: e.RESPONSE_MAX_BYTES },
    trustedDocuments: e.TRUSTED_DOCUMENTS_FILE ? readTrustedDocuments(e.TRUSTED_DOCUMENTS_FILE) : null,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    session: { enabled: e.SESSION_COOKIE, origins: parseOrigins(e.SESSION_COOKIE_ORIGINS) },
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    oauth: { clientId: e.KUBESPHERE_CLIENT_ID, clientSecret: e.KUBESPHERE_CLIENT_SECRET },
    lists: { defaultLimit: e.LIST_DEFAULT_LIMIT, maxLimit: e.LIST_MAX_LIMIT },
    writes: { maxReplicas: e.MAX_REPLICAS },
    subscriptions: {
      maxTotal: e.SUBSCRIPTIONS_MAX,
      maxPerConnection: e.SUBSCRIPTIONS_MAX_PER_CONNECTION,
      bufferEvents: e.SUBSCRIPTION_BUFFER_EVENTS,
      watchTimeoutSeconds: e.WATCH_TIMEOUT_SECONDS,
    },
    logs: { maxBytes: e.LOG_MAX_BYTES, maxLineBytes: e.LOG_MAX_LINE_BYTES },
    simulator: { flavour: e.SIMULATOR_FLAVOUR, pods: e.SIMULATOR_PODS },
    logLevel: e.LOG_LEVEL,
    requestLog: e.REQUEST_LOG,
    metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT },
    tracing: tracing(e),
  };
}

/** The standard OTEL_* rules, except that tracing stays off until an exporter or endpoint is named. */
function tracing(e: z.infer<typeof EnvSchema>): Config['tracing'] {
  if (e.OTEL_TRACES_EXPORTER === 'none') return null;
  const tracesUrl =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined) ??
    (e.OTEL_TRACES_EXPORTER === 'otlp' ? 'http://localhost:4318/v1/traces' : undefined);
  return tracesUrl === undefined ? null : { tracesUrl, serviceName: e.OTEL_SERVICE_NAME };
}

function readVariableFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid environment variables:\n  ${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
}

const readCaFile = (path: string) => readVariableFile('KUBESPHERE_CA_FILE', path);

/** A trusted-documents manifest: a JSON object of operation hash → GraphQL document. */
function readTrustedDocuments(path: string): Map<string, string> {
  const manifest = z
    .record(z.string().regex(/^[A-Za-z0-9_:-]{1,128}$/), z.string().min(1))
    .safeParse(parseJson(readVariableFile('TRUSTED_DOCUMENTS_FILE', path)));
  if (!manifest.success) {
    throw new ConfigError(`Invalid environment variables:\n  TRUSTED_DOCUMENTS_FILE: ${path} must be a JSON object of operation hash to document`);
  }
  return new Map(Object.entries(manifest.data));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Origins are compared as the browser sends them: scheme, host and port, no path. */
function parseOrigins(list: string | undefined): string[] {
  const origins = (list ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // Reported below.
    }
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigError(`Invalid environment variables:\n  SESSION_COOKIE_ORIGINS: ${origin} is not an origin such as https://console.example.com`);
    }
  }
  return origins;
}
