/** What GraphiQL opens with: log in first, then a query with the token header. */
import type { GraphiQLOptions } from 'graphql-yoga';

const LOGIN = `# 1. Log in. Demo cluster: admin / P@88w0rd.
#    Then paste accessToken into the
#    Authorization header of the Overview tab.
mutation Login {
  login(username: "admin", password: "P@88w0rd") {
    accessToken
    refreshToken
    expiresIn
  }
}
`;

const OVERVIEW = `# 2. Query with the token from the Login tab,
#    pasted into the Authorization header below.
query Overview {
  version { kubesphere { gitVersion } kubernetes { gitVersion } }
  nodes(limit: 10) {
    totalItems
    items { metadata { name } roles ready status capacity { cpu memory } }
  }
  pods(limit: 10) {
    totalItems
    items { metadata { namespace name } status restarts node { metadata { name } } }
  }
}
`;

const TOKEN_HEADERS = JSON.stringify({ Authorization: 'Bearer <paste accessToken here>' }, null, 2);

export const graphiqlOptions: GraphiQLOptions = {
  title: 'KubeSphere GraphQL',
  defaultTabs: [
    { query: LOGIN, headers: '{}' },
    { query: OVERVIEW, headers: TOKEN_HEADERS },
  ],
  headers: TOKEN_HEADERS,
  shouldPersistHeaders: false,
};
