/**
 * `GET /oauth/userinfo` (api doc §2.5, 3.2+): OIDC-style claims about the
 * caller, built from the User object like ks-apiserver's `userinfo` handler.
 * A bad credential never gets here (the authentication filter answers 401
 * Status first); an anonymous caller gets the handler's own 401.
 */
import { ANONYMOUS } from './auth.ts';
import { T } from './resources.ts';
import type { Simulation } from './context.ts';
import { jsonReply, notFoundMessage, oauthError, routerMethodNotAllowed } from './errors.ts';
import type { Reply } from './types.ts';

export function userinfoReply(sim: Simulation, method: string, user: string): Reply {
  // Only GET is registered; go-restful rejects other methods before the handler runs.
  if (method !== 'GET') return routerMethodNotAllowed();
  const v41 = sim.flavour === '4.1';
  if (user === ANONYMOUS) {
    // 3.4 writes the `oauth.Error` struct; 4.1 writes the bare `oauth.LoginRequired` ErrorType, i.e. a JSON string.
    return jsonReply(401, v41 ? 'login_required' : { error: 'login_required' });
  }
  const obj = sim.world.clusters.get(sim.world.hostName)!.get(T.user, undefined, user);
  if (!obj) {
    // DescribeUser fails; 3.4 passes the error text on, 4.1 hides it.
    return oauthError(
      500,
      'server_error',
      v41 ? 'An internal server error occurred while processing the request.' : notFoundMessage('users', 'iam.kubesphere.io', user),
    );
  }
  const spec = obj.spec as { email?: string; lang?: string };
  // `token.Claims` in Go field order, every field omitempty. In 4.x the Name
  // field is tagged `json:"url"` (a rename slip that the 4.1 Swagger shows too).
  const claims: Record<string, string> = { sub: user, [v41 ? 'url' : 'name']: user };
  if (spec.email) claims.email = spec.email;
  if (spec.lang) claims.locale = spec.lang;
  claims.preferred_username = user;
  return jsonReply(200, claims);
}
