/**
 * Configuration from environment variables, parsed once at start-up. Nothing
 * else in the code base reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const boolean = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' })
  .transform((v) => v === 'true' || v === '1');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be positive');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(4000),
  KUBESPHERE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://ks-apiserver.kubesphere-system.svc' })
    .optional(),
  KUBESPHERE_CA_FILE: z.string().min(1).optional(),
  KUBESPHERE_INSECURE_SKIP_TLS_VERIFY: boolean.default(false),
  KUBESPHERE_CLIENT_ID: z.string().min(1).default('kubesphere'),
  KUBESPHERE_CLIENT_SECRET: z.string().min(1).default('kubesphere'),
  UPSTREAM_CONNECTIONS: positiveInt.default(32),
  UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt.default(3_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  UPSTREAM_BODY_TIMEOUT_MS: positiveInt.default(10_000),
  UPSTREAM_MAX_RESPONSE_BYTES: positiveInt.default(32 * 1024 * 1024),
  LIST_DEFAULT_LIMIT: positiveInt.default(10),
  LIST_MAX_LIMIT: positiveInt.default(500),
  SIMULATOR_FLAVOUR: z.enum(['3.4', '4.1']).default('4.1'),
  SIMULATOR_PODS: positiveInt.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  production: boolean;
  http: { host: string; port: number };
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
  };
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
  return {
    production: e.NODE_ENV === 'production',
    http: { host: e.HOST, port: e.PORT },
    upstream: {
      url: e.KUBESPHERE_URL ? e.KUBESPHERE_URL.replace(/\/+$/, '') : null,
      ca: e.KUBESPHERE_CA_FILE ? readCaFile(e.KUBESPHERE_CA_FILE) : undefined,
      insecureSkipTlsVerify: e.KUBESPHERE_INSECURE_SKIP_TLS_VERIFY,
      connections: e.UPSTREAM_CONNECTIONS,
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.UPSTREAM_BODY_TIMEOUT_MS,
      maxResponseBytes: e.UPSTREAM_MAX_RESPONSE_BYTES,
    },
    oauth: { clientId: e.KUBESPHERE_CLIENT_ID, clientSecret: e.KUBESPHERE_CLIENT_SECRET },
    lists: { defaultLimit: e.LIST_DEFAULT_LIMIT, maxLimit: e.LIST_MAX_LIMIT },
    simulator: { flavour: e.SIMULATOR_FLAVOUR, pods: e.SIMULATOR_PODS },
    logLevel: e.LOG_LEVEL,
  };
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid environment variables:\n  KUBESPHERE_CA_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
}
