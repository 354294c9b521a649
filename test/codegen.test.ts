/** The committed resolver types must match what codegen makes from schema/ today. */
import { readFileSync } from 'node:fs';
import { generate, loadContext } from '@graphql-codegen/cli';
import { expect, it } from 'vitest';

it('src/generated/graphql.ts is up to date with schema/ (run `npm run codegen`)', async () => {
  const context = await loadContext('codegen.ts');
  const [output] = await generate(context, false);
  expect(output?.filename).toBe('src/generated/graphql.ts');
  expect(output?.content).toBe(readFileSync('src/generated/graphql.ts', 'utf8'));
});
