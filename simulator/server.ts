/**
 * The HTTP server. Every request goes through `handle`: parse, record,
 * `dispatch` (public routes → authentication → cluster dispatch → route),
 * then `writeReply`. That single path is where fault injection plays and
 * where streamed answers (watch, followed logs: `Reply.stream`) are written.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANONYMOUS, Authenticator } from './auth.ts';
import { Directory } from './authz.ts';
import { RequestContext, type Simulation } from './context.ts';
import { DEMO } from './demo.ts';
import { HttpError, jsonReply, routerNotFound, statusReply } from './errors.ts';
import { Faults, playFault } from './faults.ts';
import { handleIam } from './iam.ts';
import { attachMonitoring, handleMonitoring, type ExtensionState, type MonitoringControl } from './monitoring/index.ts';
import { handleNative } from './native.ts';
import { ResourceRegistry } from './resources.ts';
import { buildWorld, FLAVOURS } from './seed.ts';
import { handleTenant } from './tenant.ts';
import type { Change } from './store.ts';
import { streamsOf, type StreamFilter } from './watch.ts';
import type { Flavour, KObject, Reply } from './types.ts';
import { userinfoReply } from './userinfo.ts';
import { handleResources } from './v1alpha3.ts';
import { versionReply } from './version.ts';

export interface SimulatorOptions {
  flavour?: Flavour;
  host?: string;
  port?: number;
  pods?: number;
  tagCaller?: boolean;
  clientId?: string;
  clientSecret?: string;
  loginRateLimit?: number;
  /** Access token lifetime in seconds (default 7200), e.g. to test refresh. */
  accessTokenMaxAge?: number;
  /** 4.1: state of the WhizardTelemetry monitoring extension (default `installed`); see `monitoring/control.ts`. */
  monitoringExtension?: ExtensionState;
  /** Delay before every answer, as a remote ks-apiserver would add (benchmarks of round trips). */
  latencyMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  rawQuery: string;
  authorization?: string;
  headers: Record<string, string>;
  user?: string;
  status: number;
  /** Bytes of the answer's body (0 for injected faults). */
  bytes: number;
  /** Date.now() when the request arrived, when it was answered, and when the caller closed the connection before the answer ended. */
  receivedAt: number;
  answeredAt?: number;
  closedAt?: number;
}

export interface Simulator {
  url: string;
  flavour: Flavour;
  requests: RecordedRequest[];
  clearRequests(): void;
  issueToken(username: string): string;
  /** Recorded writes of one cluster (default: the host), oldest first: what a watch would stream. */
  changes(cluster?: string): readonly Change[];
  /**
   * Test hook: changes a stored object directly (no authorization or
   * validation), through the same store path as API writes, so it shows in
   * `changes()` and bumps resourceVersion. Return undefined from `edit` to delete.
   */
  mutate(cluster: string, resource: string, namespace: string | undefined, name: string, edit: (obj: KObject) => KObject | undefined): KObject | undefined;
  /**
   * Open watch and followed-log streams, and the hooks that end them
   * (`end`: a clean EOF, as a timeout) or expire them (`expire`: ERROR 410,
   * and older resourceVersions become 410 Gone). `bookmarkIntervalMs`,
   * `defaultTimeoutSeconds` and `logFollowIntervalMs` may be set.
   */
  watches: Watches;
  /** Per-route fault injection. */
  faults: Faults;
  /** Stops listening and drops open connections, so callers get ECONNREFUSED; `acceptConnections` undoes it. */
  refuseConnections(): Promise<void>;
  acceptConnections(): Promise<void>;
  close(): Promise<void>;
  /** Monitoring test hooks: failing metrics, 4.x extension state. */
  monitoring: MonitoringControl;
  /** Shorthand for `monitoring.failMetric`: the metric answers `{"metric_name", "error"}` inside a 200. */
  failMetric(name: string, error?: string): void;
}

export interface Watches {
  open(filter?: StreamFilter): number;
  end(filter?: StreamFilter): number;
  expire(filter?: StreamFilter): number;
  bookmarkIntervalMs: number;
  defaultTimeoutSeconds: number;
  logFollowIntervalMs: number;
}

const MAX_BODY = 1 << 20;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const flavour = options.flavour ?? '4.1';
  if (flavour !== '3.4' && flavour !== '4.1') throw new Error(`unknown flavour ${String(flavour)}: use 3.4 or 4.1`);
  // The upper bound keeps a typo from eating the machine's memory (~10 KB per pod with its owners).
  if (options.pods !== undefined && (!Number.isInteger(options.pods) || options.pods < 0 || options.pods > 200_000))
    throw new Error('pods must be an integer between 0 and 200000');
  const registry = new ResourceRegistry(flavour);
  const world = buildWorld(flavour, registry, options.pods);
  const sim: Simulation = {
    flavour,
    registry,
    world,
    directory: new Directory(world.clusters, world.hostName),
    auth: new Authenticator({
      flavour,
      accounts: Object.values(DEMO.users).map((u) => ({ username: u.username, password: u.password, disabled: 'disabled' in u && u.disabled })),
      clientId: options.clientId ?? DEMO.clientId,
      clientSecret: options.clientSecret ?? DEMO.clientSecret,
      loginRateLimit: options.loginRateLimit ?? (flavour === '3.4' ? 10 : 5),
      accessTokenMaxAge: options.accessTokenMaxAge ?? 7200,
    }),
    tagCaller: options.tagCaller ?? false,
  };
  const monitoring = attachMonitoring(sim, options.monitoringExtension);
  const requests: RecordedRequest[] = [];
  const faults = new Faults();
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('latencyMs must be 0 or more');
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(sim, requests, faults, latencyMs, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  let refusing = false;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    flavour,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    issueToken: (username) => sim.auth.issueAccessToken(username),
    changes: (cluster) => storeOf(sim, cluster ?? sim.world.hostName).changes(),
    mutate(cluster, resource, namespace, name, edit) {
      const store = storeOf(sim, cluster);
      const old = store.get(resource, namespace, name);
      if (!old) throw new Error(`no ${resource} ${namespace ?? ''}/${name} in cluster ${cluster}`);
      const next = edit(structuredClone(old));
      if (!next) return store.remove(resource, namespace, name);
      return store.write(resource, next);
    },
    watches: watchHooks(sim),
    faults,
    monitoring,
    failMetric: (name, error) => monitoring.failMetric(name, error),
    async refuseConnections() {
      if (refusing) return;
      refusing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async acceptConnections() {
      if (!refusing) return;
      refusing = false;
      server.listen(address.port, address.address);
      await once(server, 'listening');
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (refusing) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function watchHooks(sim: Simulation): Watches {
  const registry = streamsOf(sim);
  return {
    open: (filter) => registry.open(filter),
    end: (filter) => registry.end(filter),
    expire: (filter) => registry.expire(sim, filter),
    get bookmarkIntervalMs() {
      return registry.bookmarkIntervalMs;
    },
    set bookmarkIntervalMs(ms) {
      registry.bookmarkIntervalMs = ms;
    },
    get defaultTimeoutSeconds() {
      return registry.defaultTimeoutSeconds;
    },
    set defaultTimeoutSeconds(s) {
      registry.defaultTimeoutSeconds = s;
    },
    get logFollowIntervalMs() {
      return registry.logFollowIntervalMs;
    },
    set logFollowIntervalMs(ms) {
      registry.logFollowIntervalMs = ms;
    },
  };
}

function storeOf(sim: Simulation, cluster: string) {
  const store = sim.world.clusters.get(cluster);
  if (!store) throw new Error(`unknown cluster ${cluster}`);
  return store;
}

interface Incoming {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  record: RecordedRequest;
}

async function handle(
  sim: Simulation,
  requests: RecordedRequest[],
  faults: Faults,
  latencyMs: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    path: rawPath,
    query: Object.fromEntries(query),
    rawQuery,
    ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
    headers,
    status: 0,
    bytes: 0,
    receivedAt: Date.now(),
  };
  requests.push(record);
  res.on('close', () => {
    if (!res.writableFinished) record.closedAt = Date.now();
  });

  const fault = faults.take(record.method, rawPath);
  if (fault) {
    record.status = fault.kind === 'status' ? fault.status : fault.kind === 'redirect' ? 302 : 200;
    if (await playFault(fault, res)) return;
  }

  let reply: Reply;
  try {
    const body = await readBody(req);
    reply = await dispatch(sim, { method: record.method, rawPath, query, headers: req.headers, body, record });
  } catch (error) {
    reply = error instanceof HttpError ? error.reply : statusReply(500, `Internal error occurred: ${(error as Error).message}`);
  }
  if (latencyMs > 0) await sleep(latencyMs);
  record.status = reply.status;
  record.answeredAt = Date.now();
  record.bytes = writeReply(res, reply);
}

/** Go's net/http `bufferBeforeChunkingSize`. */
const GO_CHUNKING_BUFFER_BYTES = 2048;

function writeReply(res: ServerResponse, reply: Reply): number {
  if (reply.stream) {
    // No content-length: Node sends the body chunked, and each write goes out as it is made.
    res.writeHead(reply.status, reply.headers);
    res.flushHeaders();
    reply.stream(res);
    return 0;
  }
  const bytes = Buffer.byteLength(reply.body);
  if (bytes <= GO_CHUNKING_BUFFER_BYTES) {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': bytes });
    res.end(reply.body);
  } else {
    // ks-apiserver (go-restful over Go's net/http) sets no Content-Length: Go computes one only for a body that fits its
    // 2 KiB buffer before the handler returns, and sends anything larger chunked (net/http/server.go, bufferBeforeChunkingSize).
    res.writeHead(reply.status, reply.headers);
    res.write(reply.body);
    res.end();
  }
  return bytes;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(statusReply(413, 'request entity too large', undefined, 'RequestEntityTooLarge'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decodeSegments(rawPath: string): string[] {
  try {
    return rawPath
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw new HttpError(statusReply(400, `invalid URL path encoding: ${rawPath.slice(0, 200)}`));
  }
}

async function dispatch(sim: Simulation, r: Incoming): Promise<Reply> {
  const segments = decodeSegments(r.rawPath);
  const path = `/${segments.join('/')}`;
  const hostK8s = FLAVOURS[sim.flavour].hostKubernetes;

  // Routes that need no authentication.
  if (path === '/oauth/token') {
    const contentType = String(r.headers['content-type'] ?? '');
    const form = new URLSearchParams(contentType === '' || contentType.startsWith('application/x-www-form-urlencoded') ? r.body : '');
    for (const [k, v] of r.query) form.append(k, v);
    return sim.auth.token(r.method, form);
  }
  if (path === '/oauth/logout') return sim.auth.logout(r.headers.authorization);
  if (r.method === 'GET' && (path === '/kapis/version' || path === '/version')) return versionReply(sim.flavour, hostK8s);
  if (r.method === 'GET' && path === '/kapis/config.kubesphere.io/v1alpha2/configs/configz') return configz(sim);

  const user = sim.auth.authenticate(r.headers.authorization);
  if (user !== ANONYMOUS) r.record.user = user;
  // `/oauth/*` is on the authorizer's always-allow list, so the handler sees anonymous callers itself.
  if (path === '/oauth/userinfo') return userinfoReply(sim, r.method, user);

  // Multi-cluster dispatch (api doc §3): 4.x `/clusters/{c}/...` and, on both, `/{api,apis,kapis}/clusters/{c}/...`.
  let rest = segments;
  let cluster = sim.world.hostName;
  if (sim.flavour === '4.1' && segments[0] === 'clusters' && segments.length >= 3 && ['api', 'apis', 'kapis'].includes(segments[2]!)) {
    cluster = segments[1]!;
    rest = segments.slice(2);
  } else if (['api', 'apis', 'kapis'].includes(segments[0]!) && segments[1] === 'clusters' && segments.length >= 3) {
    cluster = segments[2]!;
    rest = [segments[0]!, ...segments.slice(3)];
  }
  const store = sim.world.clusters.get(cluster);
  if (!store) throw new HttpError(statusReply(400, `cluster ${cluster} not exists`));

  const ctx = new RequestContext({
    sim,
    method: r.method,
    segments: rest,
    query: r.query,
    headers: r.headers,
    body: r.body,
    user,
    cluster,
    store,
    path: `/${rest.join('/')}`,
  });
  const [root, group, version, ...tail] = rest;
  if (root === 'api' || root === 'apis') return handleNative(ctx, rest);
  if (root === 'kapis') {
    if (group === 'version' && version === undefined && r.method === 'GET') {
      return versionReply(sim.flavour, cluster === sim.world.hostName ? hostK8s : FLAVOURS[sim.flavour].memberKubernetes);
    }
    if (group === 'resources.kubesphere.io' && version === 'v1alpha3') return handleResources(ctx, tail);
    if (group === 'tenant.kubesphere.io' && version) return handleTenant(ctx, version, tail);
    if (group === 'iam.kubesphere.io' && version) return handleIam(ctx, version, tail);
    // Monitoring (simulator/monitoring/): 3.4 v1alpha3, 4.1 v1beta1 extension.
    if (group === 'monitoring.kubesphere.io' && version) return handleMonitoring(ctx, version, tail);
  }
  // Unknown paths: the authorizer sees a non-resource request before the router's 404.
  ctx.authorize({ verb: r.method === 'GET' ? 'get' : r.method.toLowerCase(), apiGroup: '' });
  return routerNotFound();
}

function configz(sim: Simulation): Reply {
  const host = sim.world.clusters.get(sim.world.hostName)!;
  const cluster = host.get('cluster.kubesphere.io/clusters', undefined, sim.world.hostName);
  return jsonReply(200, (cluster?.status as { configz?: unknown } | undefined)?.configz ?? {});
}
