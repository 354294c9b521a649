/**
 * The example client's typed operations, made by the codegen client preset
 * from the facade's printed schema (`schema.graphql`, `npm run schema`). It
 * also emits `persisted-documents.json`: hash → document, the format
 * `TRUSTED_DOCUMENTS_FILE` reads. Run with `npm run codegen:example`.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/client/src/operations.ts'],
  ignoreNoDocuments: false,
  generates: {
    'examples/client/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        useTypeImports: true,
        importExtension: '.ts',
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
