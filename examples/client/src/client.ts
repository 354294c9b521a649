/**
 * A minimal typed client over `fetch`: a document made by `graphql()` fixes
 * both the variables and the result type. With `persisted: true` it sends
 * only the document's hash (Apollo's `persistedQuery` extension), which is
 * all a server with `TRUSTED_DOCUMENTS_FILE` accepts.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface ClientOptions {
  /** The facade's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** Send hashes from `gql/persisted-documents.json` instead of documents. */
  persisted?: boolean;
}

export class GraphQLRequestError extends Error {
  readonly errors: { message: string; extensions?: { code?: string } }[];

  constructor(errors: GraphQLRequestError['errors']) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
    this.errors = errors;
  }
}

export class Client {
  #token: string | undefined;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  set token(token: string | undefined) {
    this.#token = token;
  }

  async request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables): Promise<Result> {
    const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
    if (this.#options.persisted && !hash) throw new Error('This document has no hash: rebuild with `npm run codegen:example`.');
    const body =
      this.#options.persisted && hash ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : { query: print(document), variables };
    const response = await fetch(this.#options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        // Required by the production profile.
        'x-graphql-yoga-csrf': '1',
        ...(this.#token && { authorization: `Bearer ${this.#token}` }),
      },
      body: JSON.stringify(body),
    });
    const result = (await response.json()) as { data?: Result | null; errors?: GraphQLRequestError['errors'] };
    if (result.errors?.length) throw new GraphQLRequestError(result.errors);
    return result.data as Result;
  }
}
