/**
 * Command-line surface of the process: `--help` and `--version`. The
 * configuration table is rendered from the schema in config.ts, the same
 * source the README table is checked against.
 */
import { readFileSync } from 'node:fs';
import { configVariables } from './config.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const VERSION = pkg.version;

/** The configuration as a Markdown table, one row per variable (the README's). */
export function configMarkdown(): string {
  const rows = configVariables().map((v) => `| \`${v.name}\` | ${v.defaultValue === '' ? '' : `\`${v.defaultValue}\``} | ${v.description} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function usage(): string {
  const variables = configVariables();
  const width = Math.max(...variables.map((v) => v.name.length)) + 2;
  const lines = variables.map((v) => {
    const text = v.description.replaceAll('`', '') + (v.defaultValue === '' ? '' : ` [default: ${v.defaultValue}]`);
    return `  ${v.name.padEnd(width)}${text}`;
  });
  return [
    `${pkg.name} ${pkg.version}: a GraphQL facade over the KubeSphere API`,
    '',
    'Usage: node bin/kubesphere-graphql.js [--help | --version]',
    '',
    'Configured by environment variables only; a bad value stops the process with a message naming it.',
    'With no KUBESPHERE_URL, the built-in KubeSphere simulator serves a demo cluster.',
    '',
    'Environment:',
    ...lines,
    '',
  ].join('\n');
}

/**
 * Handles `--help` / `--version`: returns the text to print and the exit
 * code, or null when the server should start.
 */
export function handleArguments(args: readonly string[]): { text: string; code: number } | null {
  if (args.length === 0) return null;
  const [first] = args;
  if (args.length === 1 && (first === '--help' || first === '-h')) return { text: usage(), code: 0 };
  if (args.length === 1 && (first === '--version' || first === '-v')) return { text: `${pkg.name} ${pkg.version}\n`, code: 0 };
  return { text: `Unknown argument: ${args.join(' ')}\nUsage: node bin/kubesphere-graphql.js [--help | --version]\n`, code: 2 };
}
