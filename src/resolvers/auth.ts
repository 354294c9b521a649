import type { AuthToken, MutationResolvers } from '../generated/graphql.ts';
import { FacadeError } from '../errors.ts';
import type { OAuthToken } from '../kubesphere/client.ts';
import { clearSessionCookie, cookieRequestAllowed, setSessionCookie } from '../session-cookie.ts';

const toAuthToken = (token: OAuthToken): AuthToken => ({
  accessToken: token.access_token,
  tokenType: token.token_type || 'Bearer',
  refreshToken: token.refresh_token ?? null,
  expiresIn: token.expires_in ?? null,
});

export const authMutation = {
  login: async (_parent, { username, password, session }, { kubesphere, request, session: sessionConfig }) => {
    // Checked before the password leaves: a refused cookie login must not count against the user's login limit.
    if (session && !cookieRequestAllowed(request, sessionConfig)) {
      throw new FacadeError(
        sessionConfig.enabled
          ? 'A session login needs the x-graphql-yoga-csrf header and an allowed Origin.'
          : 'Session logins are off on this server (SESSION_COOKIE).',
        { code: 'FORBIDDEN' },
      );
    }
    const token = await kubesphere.oauthToken({ grant_type: 'password', username, password });
    if (!session) return toAuthToken(token);
    setSessionCookie(request, token.access_token, token.expires_in);
    // Only the cookie holds the token; the refresh token is dropped, so the session ends with the access token.
    return { ...toAuthToken(token), accessToken: null, refreshToken: null };
  },
  refreshToken: async (_parent, { refreshToken }, { kubesphere }) =>
    toAuthToken(await kubesphere.oauthToken({ grant_type: 'refresh_token', refresh_token: refreshToken })),
  logout: async (_parent, _args, { kubesphere, request, session }) => {
    const revoked = await kubesphere.oauthLogout();
    if (session.enabled) clearSessionCookie(request);
    return revoked;
  },
} satisfies MutationResolvers;
