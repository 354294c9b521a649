/** The committed resolver types must match what codegen makes from schema/ today. */
import { readFileSync } from 'node:fs';
import { generate, loadContext } from '@graphql-codegen/cli';
import { expect, it } from 'vitest';
import { printSDL } from '../src/sdl.ts';

it('src/generated/graphql.ts is up to date with schema/ (run `npm run codegen`)', async () => {
  const context = await loadContext('codegen.ts');
  const [output] = await generate(context, false);
  expect(output?.filename).toBe('src/generated/graphql.ts');
  expect(output?.content).toBe(readFileSync('src/generated/graphql.ts', 'utf8'));
});

it('schema.graphql is up to date with schema/ (run `npm run schema`)', () => {
  expect(printSDL()).toBe(readFileSync('schema.graphql', 'utf8'));
});

it('the example client is up to date with schema.graphql and its operations (run `npm run codegen:example`)', async () => {
  const context = await loadContext('examples/client/codegen.ts');
  const outputs = await generate(context, false);
  expect(outputs.length).toBeGreaterThan(0);
  for (const output of outputs) expect(output.content, output.filename).toBe(readFileSync(output.filename, 'utf8'));
});
