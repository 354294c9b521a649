/**
 * Configuration from environment variables, parsed once at start-up. Nothing
 * else in the code base reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const boolean = z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }).transform((v) => v === 'true' || v === '1');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be positive');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(4000),
  KUBESPHERE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://ks-apiserver.kubesphere-system.svc' }).optional(),
  KUBESPHERE_CA_FILE: z.string().min(1).optional(),
  KUBESPHERE_INSECURE_SKIP_TLS_VERIFY: boolean.default(false),
  KUBESPHERE_CLIENT_ID: z.string().min(1).default('kubesphere'),
  KUBESPHERE_CLIENT_SECRET: z.string().min(1).default('kubesphere'),
  UPSTREAM_CONNECTIONS: positiveInt.default(32),
  UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt.default(3_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  UPSTREAM_BODY_TIMEOUT_MS: positiveInt.default(10_000),
  UPSTREAM_MAX_RESPONSE_BYTES: positiveInt.default(32 * 1024 * 1024),
  UPSTREAM_CALL_TIMEOUT_MS: positiveInt.default(10_000),
  UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  UPSTREAM_RETRY_AFTER_MAX_MS: positiveInt.default(5_000),
  BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  BREAKER_MIN_CALLS: positiveInt.default(20),
  BREAKER_WINDOW_MS: positiveInt.default(10_000),
  BREAKER_RESET_MS: positiveInt.default(10_000),
  BREAKER_MAX_CIRCUITS: positiveInt.default(500),
  OPERATION_TIMEOUT_MS: positiveInt.default(15_000),
  OPERATION_MAX_UPSTREAM_CALLS: positiveInt.default(100),
  OPERATION_MAX_IN_FLIGHT: positiveInt.default(20),
  MAX_REQUEST_BYTES: positiveInt.default(1024 * 1024),
  MAX_TOKENS: positiveInt.default(2_000),
  MAX_DEPTH: positiveInt.default(10),
  MAX_ALIASES: positiveInt.default(15),
  MAX_DIRECTIVES: positiveInt.default(20),
  MAX_COST: positiveInt.default(5_000),
  TRUSTED_DOCUMENTS_FILE: z.string().min(1).optional(),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  LIST_DEFAULT_LIMIT: positiveInt.default(10),
  LIST_MAX_LIMIT: positiveInt.default(500),
  SIMULATOR_FLAVOUR: z.enum(['3.4', '4.1']).default('4.1'),
  SIMULATOR_PODS: positiveInt.optional(),
  DEMO: boolean.default(false),
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
    .optional(),
  CORS_CREDENTIALS: boolean.default(false),
  READYZ_CACHE_MS: z.coerce.number().int().min(0).default(2_000),
  MAX_CHARACTERS: positiveInt.default(15_000),
  MAX_LIST_COST: positiveInt.default(50_000),
  RESPONSE_MAX_OBJECTS: positiveInt.default(250_000),
  RESPONSE_MAX_BYTES: positiveInt.default(16 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
  oauth: { clientId: string; clientSecret: string };
  lists: { defaultLimit: number; maxLimit: number };
  simulator: { flavour: '3.4' | '4.1'; pods: number | undefined };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
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
    oauth: { clientId: e.KUBESPHERE_CLIENT_ID, clientSecret: e.KUBESPHERE_CLIENT_SECRET },
    lists: { defaultLimit: e.LIST_DEFAULT_LIMIT, maxLimit: e.LIST_MAX_LIMIT },
    simulator: { flavour: e.SIMULATOR_FLAVOUR, pods: e.SIMULATOR_PODS },
    logLevel: e.LOG_LEVEL,
  };
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
