/**
 * Authentication: `/oauth/token` (password and refresh grants), JWT-shaped
 * HS256 tokens kept in an in-memory cache like ks-apiserver's, Bearer and
 * Basic credentials, and the per-user failed-login limiter (api doc §2).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError, jsonReply, oauthError, routerMethodNotAllowed, statusReply } from './errors.ts';
import type { Flavour, Reply } from './types.ts';

export const ANONYMOUS = 'system:anonymous';

export interface Account {
  username: string;
  password: string;
  disabled?: boolean;
}

export interface AuthOptions {
  flavour: Flavour;
  accounts: Account[];
  clientId: string;
  clientSecret: string;
  loginRateLimit: number;
  accessTokenMaxAge: number;
  /** Clock in seconds, replaceable so tests can age tokens. */
  now?: () => number;
}

interface Issued {
  username: string;
  type: 'access_token' | 'refresh_token';
  exp: number;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Refresh tokens outlive access tokens by the inactivity timeout (30 min). */
const INACTIVITY_TIMEOUT = 1800;

/** `authenticateRateLimiterDuration`: the 3.x Helm default and the 4.x code default. */
const LIMITER_WINDOW: Record<Flavour, number> = { '3.4': 600, '4.1': 1800 };

/** Expired tokens are swept once the cache grows past this, so a long-running demo stays small. */
const SWEEP_THRESHOLD = 10_000;

export class Authenticator {
  private readonly options: AuthOptions;
  private readonly secret = randomBytes(32);
  private readonly tokens = new Map<string, Issued>();
  /** Failed-login times per user, for the sliding limiter window. */
  private readonly failures = new Map<string, number[]>();
  private serial = 0;

  constructor(options: AuthOptions) {
    this.options = options;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Math.floor(Date.now() / 1000);
  }

  private sign(claims: Record<string, unknown>): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${signature}`;
  }

  private mint(username: string, type: Issued['type'], maxAge: number): string {
    const iat = this.now();
    const exp = iat + maxAge;
    // jti keeps two tokens minted in the same second distinct.
    const token = this.sign({
      username,
      token_type: type,
      iss: 'kubesphere',
      exp,
      iat,
      sub: username,
      jti: `${iat.toString(36)}-${(++this.serial).toString(36)}`,
    });
    if (this.tokens.size >= SWEEP_THRESHOLD) {
      for (const [t, issued] of this.tokens) if (issued.exp <= iat) this.tokens.delete(t);
    }
    this.tokens.set(token, { username, type, exp });
    return token;
  }

  /** Issues an access/refresh pair, as a successful grant does. */
  issuePair(username: string): { access_token: string; token_type: 'Bearer'; refresh_token: string; expires_in: number } {
    const maxAge = this.options.accessTokenMaxAge;
    return {
      access_token: this.mint(username, 'access_token', maxAge),
      token_type: 'Bearer',
      refresh_token: this.mint(username, 'refresh_token', maxAge + INACTIVITY_TIMEOUT),
      expires_in: maxAge,
    };
  }

  issueAccessToken(username: string): string {
    return this.mint(username, 'access_token', this.options.accessTokenMaxAge);
  }

  /** Checks signature, cache and expiry; returns the issued record or a cause for the 401. */
  private verify(token: string, type: Issued['type']): Issued | string {
    const parts = token.split('.');
    if (parts.length !== 3) return 'invalid bearer token';
    const expected = createHmac('sha256', this.secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid bearer token, signature is invalid';
    const issued = this.tokens.get(token);
    if (!issued) return 'token not found in cache';
    if (issued.exp <= this.now()) return 'token is expired';
    if (issued.type !== type) return `invalid token type: ${issued.type}`;
    return issued;
  }

  revokeAll(username: string): void {
    for (const [token, issued] of this.tokens) if (issued.username === username) this.tokens.delete(token);
  }

  /** Password check through the limiter; returns why it failed, if it did. */
  private checkPassword(username: string, password: string): 'ok' | 'rate' | 'password' | 'disabled' {
    const now = this.now();
    const recent = (this.failures.get(username) ?? []).filter((t) => t > now - LIMITER_WINDOW[this.options.flavour]);
    // Only users with recent failures keep an entry, so odd usernames do not pile up.
    if (recent.length) this.failures.set(username, recent);
    else this.failures.delete(username);
    if (recent.length >= this.options.loginRateLimit) return 'rate';
    const account = this.options.accounts.find((a) => a.username === username);
    if (!account || !safeEqual(account.password, password)) {
      this.failures.set(username, [...recent, now]);
      return 'password';
    }
    if (account.disabled) return 'disabled';
    return 'ok';
  }

  /**
   * Resolves the Authorization header to a username. No header means
   * anonymous; a bad credential throws the 401 Status.
   */
  authenticate(header: string | undefined): string {
    if (!header) return ANONYMOUS;
    const space = header.indexOf(' ');
    const scheme = space === -1 ? header : header.slice(0, space);
    const credential = space === -1 ? '' : header.slice(space + 1).trim();
    if (scheme.toLowerCase() === 'bearer') {
      const result = credential ? this.verify(credential, 'access_token') : 'invalid bearer token';
      if (typeof result === 'string') throw unauthorized(result);
      return result.username;
    }
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) throw unauthorized('invalid basic auth header');
      const username = decoded.slice(0, colon);
      const outcome = this.checkPassword(username, decoded.slice(colon + 1));
      if (outcome === 'rate') throw new HttpError(statusReply(429, 'auth rate limit exceeded', undefined, 'TooManyRequests'));
      if (outcome === 'password') throw unauthorized('incorrect password');
      if (outcome === 'disabled') throw unauthorized('account is not active');
      return username;
    }
    // Unknown schemes are ignored by the authenticator chain: the request stays anonymous.
    return ANONYMOUS;
  }

  /** POST /oauth/token with the flavour's status codes (api doc §2.3). */
  token(method: string, form: URLSearchParams): Reply {
    if (method !== 'POST') return routerMethodNotAllowed();
    const v41 = this.options.flavour === '4.1';
    const headers: Record<string, string> = v41 ? { 'cache-control': 'no-store', pragma: 'no-cache' } : {};
    const fail = (status: number, error: string, description: string) => oauthError(status, error, description, headers);

    const clientId = form.get('client_id') ?? '';
    const clientSecret = form.get('client_secret') ?? '';
    if (clientId !== this.options.clientId)
      return fail(
        v41 ? 400 : 401,
        'invalid_client',
        v41 ? 'The client_id is invalid.' : `invalid client: ${clientId ? `oauth client ${clientId} not found` : 'empty client_id'}`,
      );
    if (clientSecret !== this.options.clientSecret)
      return v41 ? fail(401, 'unauthorized_client', 'The client is not authorized.') : fail(401, 'invalid_client', 'invalid client credential');

    const grant = form.get('grant_type') ?? '';
    if (grant === '')
      return v41
        ? fail(400, 'unsupported_grant_type', 'The authorization grant type is not supported.')
        : fail(400, 'invalid_request', 'grant_type is required');
    if (grant === 'password') {
      const username = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      if (!username || !password) return fail(400, 'invalid_request', v41 ? 'The request is missing a required parameter.' : 'empty username or password');
      switch (this.checkPassword(username, password)) {
        case 'rate':
          return fail(429, 'invalid_grant', v41 ? 'Rate limit exceeded.' : 'auth rate limit exceeded');
        case 'password':
          return fail(400, 'invalid_grant', v41 ? 'Invalid username or password.' : 'incorrect password');
        case 'disabled':
          return fail(400, 'invalid_grant', v41 ? 'Account suspended.' : 'account is not active');
        case 'ok':
          // Like ks-apiserver, a success does not forgive earlier failures inside the window.
          return jsonReply(200, this.issuePair(username), headers);
      }
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const result = refresh ? this.verify(refresh, 'refresh_token') : 'empty refresh token';
      if (typeof result === 'string') return fail(400, 'invalid_grant', v41 ? 'The refresh token is invalid or expired.' : result);
      const account = this.options.accounts.find((a) => a.username === result.username);
      if (!account || account.disabled) return fail(400, 'invalid_grant', v41 ? 'Account suspended.' : 'account is not active');
      // The old refresh token is spent.
      this.tokens.delete(refresh);
      return jsonReply(200, this.issuePair(result.username), headers);
    }
    return fail(400, 'unsupported_grant_type', v41 ? 'The authorization grant type is not supported.' : `unsupported grant type: ${grant}`);
  }

  /**
   * GET /oauth/logout: 3.x revokes all of the caller's tokens; 4.1 revokes
   * only the bearer token presented (`release-4.1:pkg/kapis/oauth/handler.go`).
   */
  logout(header: string | undefined): Reply {
    const username = this.authenticate(header);
    if (username !== ANONYMOUS && this.options.flavour === '4.1' && /^bearer /i.test(header ?? '')) this.tokens.delete(header!.slice(7).trim());
    else if (username !== ANONYMOUS) this.revokeAll(username);
    return jsonReply(200, { message: 'success' });
  }
}

function unauthorized(cause: string): HttpError {
  return new HttpError(statusReply(401, `Unauthorized: ${cause}`));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
