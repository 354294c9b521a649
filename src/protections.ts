/**
 * What runs before any resolver: operation limits (graphql-armor), and in
 * production the closed surface: no introspection, no field suggestions,
 * strict CSRF rules and, optionally, trusted documents only.
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Config } from './config.ts';
import { useListCost, useResponseLimits } from './cost.ts';

type AnyPlugin = Plugin<Record<string, unknown>>;

/** The header a browser cannot send cross-site without a CORS preflight. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';
const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/** Armor rejects without a code; give each limit a stable one. */
const withCode =
  (code: string): GraphQLArmorRejectCallback =>
  (_context, error) => {
    Object.assign(error.extensions, { code });
  };

function operationLimits(config: Config): AnyPlugin[] {
  const exposeLimits = !config.production;
  const { tokens, depth, aliases, directives, cost } = config.limits;
  const armor = new EnvelopArmor({
    maxTokens: { n: tokens, exposeLimits, onReject: [withCode('GRAPHQL_PARSE_FAILED')] },
    maxDepth: { n: depth, flattenFragments: true, exposeLimits, onReject: [withCode('QUERY_TOO_DEEP')] },
    maxAliases: { n: aliases, exposeLimits, onReject: [withCode('TOO_MANY_ALIASES')] },
    maxDirectives: { n: directives, exposeLimits, onReject: [withCode('TOO_MANY_DIRECTIVES')] },
    costLimit: { maxCost: cost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, exposeLimits, onReject: [withCode('QUERY_TOO_COMPLEX')] },
    blockFieldSuggestion: { enabled: config.production },
  });
  return armor.protect().plugins as AnyPlugin[];
}

/**
 * A cap on the document's characters, checked before parsing (graphql-armor
 * has no character limit; its token limit counts after lexing).
 */
function useMaxCharacters(max: number, exposeLimits: boolean): AnyPlugin {
  return {
    onParams({ params }) {
      if (typeof params.query === 'string' && params.query.length > max) {
        throw createGraphQLError(exposeLimits ? `The document has more than ${max} characters.` : 'The document is too long.', {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'characters', http: { status: 400 } },
        });
      }
    },
  };
}

/** Every POST must be JSON and carry the CSRF header; GETs need the header too. */
function useStrictCsrfPrevention(): AnyPlugin {
  return {
    onRequestParse({ request }) {
      const contentType = request.headers.get('content-type')?.toLowerCase() ?? '';
      const isJson = JSON_TYPES.some((type) => contentType.startsWith(type));
      if ((request.method === 'POST' && !isJson) || !request.headers.has(CSRF_HEADER)) {
        throw createGraphQLError(`Requests need the ${CSRF_HEADER} header, and POSTs a JSON content type.`, {
          extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } },
        });
      }
    },
  };
}

/** Responses are per user: no cache may keep them. */
function useNoStore(): AnyPlugin {
  return {
    onResponse({ response }) {
      response.headers.set('cache-control', 'no-store');
    },
  };
}

function useTrustedDocuments(documents: Map<string, string>): AnyPlugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => documents.get(hash) ?? null,
    allowArbitraryOperations: false,
    customErrors: {
      notFound: { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
      persistedQueryOnly: { message: 'PersistedQueryOnly', extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } } },
      keyNotFound: { message: 'PersistedQueryKeyNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
    },
  }) as AnyPlugin;
}

export function protections(config: Config): AnyPlugin[] {
  return [
    useNoStore(),
    useMaxCharacters(config.limits.characters, !config.production),
    ...operationLimits(config),
    useListCost({
      maxCost: config.limits.listCost,
      defaultLimit: config.lists.defaultLimit,
      maxLimit: config.lists.maxLimit,
      exposeLimits: !config.production,
    }) as AnyPlugin,
    useResponseLimits({ ...config.response, exposeLimits: !config.production }) as AnyPlugin,
    ...(config.production ? [useDisableIntrospection(), useStrictCsrfPrevention()] : []),
    ...(config.trustedDocuments ? [useTrustedDocuments(config.trustedDocuments)] : []),
  ];
}
