import type { AuthToken, MutationResolvers } from '../generated/graphql.ts';
import type { OAuthToken } from '../kubesphere/client.ts';

const toAuthToken = (token: OAuthToken): AuthToken => ({
  accessToken: token.access_token,
  tokenType: token.token_type || 'Bearer',
  refreshToken: token.refresh_token ?? null,
  expiresIn: token.expires_in ?? null,
});

export const authMutation = {
  login: async (_parent, { username, password }, { kubesphere }) => toAuthToken(await kubesphere.oauthToken({ grant_type: 'password', username, password })),
  refreshToken: async (_parent, { refreshToken }, { kubesphere }) =>
    toAuthToken(await kubesphere.oauthToken({ grant_type: 'refresh_token', refresh_token: refreshToken })),
} satisfies MutationResolvers;
