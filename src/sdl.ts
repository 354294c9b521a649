/**
 * The schema as clients see it, in one SDL file: `schema/*.graphql` merged,
 * plus the `@defer`/`@stream` directives the server enables at run time, so
 * client tooling (codegen, IDEs) accepts documents that use them.
 * `npm run schema` writes it to `schema.graphql`.
 */
import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from './schema.ts';

export function printSDL(): string {
  const schema = buildSchema();
  const config = schema.toConfig();
  return `${printSchema(new GraphQLSchema({ ...config, directives: [...config.directives, GraphQLDeferDirective, GraphQLStreamDirective] }))}\n`;
}
