/**
 * Browser session mode (`SESSION_COOKIE=1`): `login(session: true)` puts the
 * access token in an HttpOnly cookie, so page scripts never hold it, and
 * `logout` clears it. A cookie rides along on any request the browser makes,
 * so it is honoured only on requests a cross-site page cannot forge: with the
 * CSRF header (which forces a CORS preflight) and an allowed Origin. An
 * explicit `Authorization` header always wins over the cookie.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Config } from './config.ts';
import { CSRF_HEADER } from './protections.ts';

/** `__Host-`: the browser keeps it only if Secure, on Path=/ and without Domain, so a sibling subdomain cannot plant one. */
export const SESSION_COOKIE = '__Host-ksg-session';

/** Set-Cookie values a resolver asked for, per request, until the response leaves. */
const pending = new WeakMap<Request, string[]>();

function queue(request: Request, cookie: string): void {
  const list = pending.get(request) ?? [];
  list.push(cookie);
  pending.set(request, list);
}

/** Keeps the token in the session cookie; without an expiry from KubeSphere it lasts as long as the browser session. */
export function setSessionCookie(request: Request, token: string, maxAgeSeconds: number | null | undefined): void {
  const maxAge = maxAgeSeconds ? `; Max-Age=${maxAgeSeconds}` : '';
  queue(request, `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict${maxAge}`);
}

export function clearSessionCookie(request: Request): void {
  queue(request, `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
}

export function readSessionCookie(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * The Origin must be this server's own (same host as the request) or one
 * listed in `SESSION_COOKIE_ORIGINS`. Browsers send Origin on every POST and
 * every cross-origin request, so a missing one means no browser page sent it.
 */
export function originAllowed(request: Request, allowed: readonly string[]): boolean {
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.get('host');
  } catch {
    return false;
  }
}

/** Whether this request may use (or receive) the session cookie. */
export function cookieRequestAllowed(request: Request, config: Config['session']): boolean {
  return config.enabled && request.headers.has(CSRF_HEADER) && originAllowed(request, config.origins);
}

/** The token the caller presents by cookie, when no Authorization header is sent and the cookie may be used here. */
export function sessionToken(request: Request, config: Config['session']): string | undefined {
  if (!config.enabled || request.headers.has('authorization')) return undefined;
  const token = readSessionCookie(request);
  return token && cookieRequestAllowed(request, config) ? token : undefined;
}

/**
 * Refuses a cookie-borne request that fails the CSRF rules (403 before
 * parsing, like the production CSRF check), and appends the cookies
 * resolvers set to the response.
 */
export function useSessionCookie(config: Config['session']): Plugin<Record<string, unknown>> {
  return {
    onRequestParse({ request }) {
      if (request.headers.has('authorization') || !readSessionCookie(request)) return;
      if (!cookieRequestAllowed(request, config)) {
        throw createGraphQLError(`The session cookie needs the ${CSRF_HEADER} header and an allowed Origin.`, {
          extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } },
        });
      }
    },
    onResponse({ request, response }) {
      for (const cookie of pending.get(request) ?? []) response.headers.append('set-cookie', cookie);
      pending.delete(request);
    },
  };
}
