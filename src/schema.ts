/** The executable schema: SDL from `schema/*.graphql` plus the resolvers. */
import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { resolvers } from './resolvers/index.ts';

const SCHEMA_DIR = new URL('../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export function buildSchema() {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
