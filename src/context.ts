/**
 * Per-request context: the caller's token (inside a session view of the
 * shared client) and a fresh set of DataLoaders. Nothing here outlives the
 * request, because what a token may see is decided upstream.
 */
import type { YogaInitialContext } from 'graphql-yoga';
import type { Config } from './config.ts';
import { unauthenticated, type FacadeError } from './errors.ts';
import { KubeSphereApi } from './kubesphere/api.ts';
import { OperationBudget, type KubeSphereClient, type KubeSphereSession } from './kubesphere/client.ts';
import { createLoaders, type Loaders } from './loaders/index.ts';
import { sessionToken } from './session-cookie.ts';

export interface RequestContext {
  kubesphere: KubeSphereSession;
  /** The typed KubeSphere API over `kubesphere`: what loaders and resolvers ask instead of building URLs. */
  api: KubeSphereApi;
  loaders: Loaders;
  lists: Config['lists'];
  writes: Config['writes'];
  production: boolean;
  /** Browser session mode: whether it is on, and which page origins may use the cookie. */
  session: Config['session'];
}

export type GraphQLContext = YogaInitialContext & RequestContext;

/** RFC 6750 b64token, at most 8 KiB. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const MAX_AUTHORIZATION_LENGTH = 8 * 1024;

export function readBearerToken(header: string | null): { token?: string; error?: FacadeError } {
  if (header === null || header.trim() === '') return {};
  if (header.length > MAX_AUTHORIZATION_LENGTH) return { error: unauthenticated('The Authorization header is too long.') };
  const match = BEARER.exec(header);
  if (!match?.[1]) return { error: unauthenticated('The Authorization header must be `Bearer <token>`.') };
  return { token: match[1] };
}

export function createContextFactory(client: KubeSphereClient, config: Config) {
  return ({ request }: YogaInitialContext): RequestContext => {
    const bearer = readBearerToken(request.headers.get('authorization'));
    // The cookie counts only without an Authorization header, so an explicit token always wins.
    const cookie = bearer.token || bearer.error ? undefined : sessionToken(request, config.session);
    const { token, error } = cookie ? readBearerToken(`Bearer ${cookie}`) : bearer;
    // Upstream calls end when the client goes away or the operation's deadline passes. The deadline is a time each
    // call's own timer honours, not a signal of its own: a per-operation AbortSignal.any/timeout showed in the profile.
    const deadline = performance.now() + config.operation.timeoutMs;
    const budget = new OperationBudget(config.operation.maxUpstreamCalls, config.operation.maxInFlight);
    const kubesphere = client.session({ token, authError: error, signal: request.signal, deadline, budget });
    const api = new KubeSphereApi(kubesphere);
    return { kubesphere, api, loaders: createLoaders(api), lists: config.lists, writes: config.writes, production: config.production, session: config.session };
  };
}
