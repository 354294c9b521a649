/**
 * Starts the real stack for a test: the KubeSphere simulator and the facade,
 * each on its own loopback port, talking over HTTP as in production.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createFacade, type Facade } from '../../src/server.ts';
import { startSimulator, type Flavour, type Simulator, type SimulatorOptions } from '../../simulator/index.ts';
import { violations } from './conformance.ts';

export const FLAVOURS: Flavour[] = ['3.4', '4.1'];

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface Stack {
  sim: Simulator;
  facade: Facade;
  url: string;
  /** POSTs a GraphQL operation, with `Authorization: Bearer <token>` when a token is given. */
  gql<T = Record<string, any>>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  /** Logs in through the `login` mutation and returns the access token. */
  login(username: string, password: string): Promise<string>;
  /** Upstream requests recorded since the last `sim.clearRequests()`. */
  upstreamCalls(): Simulator['requests'];
  /** Every upstream request since the stack started, cleared or not. */
  allUpstreamCalls(): Simulator['requests'];
  /** Closes both servers, then fails if any upstream request broke the KubeSphere contract (test/helpers/conformance.ts). */
  close(): Promise<void>;
}

export const ADMIN = { username: 'admin', password: 'P@88w0rd' };
export const ALICE = { username: 'alice', password: 'Alice@1234' };

export async function startStack(options: SimulatorOptions & { env?: Record<string, string> } = {}): Promise<Stack> {
  const { env, ...simulatorOptions } = options;
  const sim = await startSimulator(simulatorOptions);
  const config = loadConfig({ KUBESPHERE_URL: sim.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  const facade = createFacade({ ...config, upstream: { ...config.upstream, url: sim.url } }, createLogger(config.logLevel));
  facade.server.listen(0, '127.0.0.1');
  await once(facade.server, 'listening');
  const url = `http://127.0.0.1:${(facade.server.address() as AddressInfo).port}`;
  // Every request is kept for the Swagger conformance check at close, even after a test clears the list.
  const seen: Simulator['requests'] = [];
  const clearRequests = sim.clearRequests;
  sim.clearRequests = () => {
    seen.push(...sim.requests);
    clearRequests();
  };
  // The API family is detected once per upstream; warm it so call counts start clean.
  await facade.client.version();
  sim.clearRequests();

  const gql: Stack['gql'] = async (query, { variables, token, headers } = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token && { authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<any>;
  };

  return {
    sim,
    facade,
    url,
    gql,
    async login(username, password) {
      const result = await gql<{ login: { accessToken: string } }>(
        'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
        { variables: { u: username, p: password } },
      );
      if (!result.data?.login) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
      return result.data.login.accessToken;
    },
    upstreamCalls: () => sim.requests,
    allUpstreamCalls: () => [...seen, ...sim.requests],
    async close() {
      await facade.close();
      await sim.close();
      const broken = violations(sim.flavour, [...seen, ...sim.requests]);
      if (broken.length > 0) throw new Error(`Upstream requests outside the KubeSphere ${sim.flavour} contract:\n${broken.join('\n')}`);
    },
  };
}

/** The error codes of a response, in order. */
export const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);
