/**
 * Kubernetes label selector (`labels.Parse`) and field selector
 * (`fields.ParseSelector`) grammar. Hand-written because the npm packages
 * that parse selectors are either unmaintained or drag in a whole client.
 */

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type LabelSelector = Requirement[];

export class SelectorError extends Error {
  override name = 'SelectorError';
}

// Qualified name: optional DNS-1123 subdomain prefix + '/', then a 63-char name.
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash === -1) return NAME_PART.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && PREFIX_PART.test(prefix) && NAME_PART.test(key.slice(slash + 1));
}

function validValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

type Token = { type: 'id' | 'op'; text: string };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '<', '>']);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = input.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        tokens.push({ type: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ type: 'op', text: c });
        i++;
      }
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j]!) && !/\s/.test(input[j]!)) j++;
      tokens.push({ type: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/** Parses `a=b,c!=d,!e,f in (x,y),g notin (z),h`. An empty string selects everything. */
export function parseLabelSelector(input: string): LabelSelector {
  const tokens = lex(input);
  const requirements: Requirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const fail = (why: string): never => {
    throw new SelectorError(`unable to parse requirement: ${why}`);
  };
  const expectKey = (): string => {
    const t = next();
    if (!t || t.type !== 'id') return fail(`found '${t?.text ?? ''}', expected: identifier`);
    if (!validKey(t.text)) return fail(`invalid label key "${t.text}": name part must consist of alphanumeric characters, '-', '_' or '.'`);
    return t.text;
  };
  const expectValue = (): string => {
    const t = peek();
    // An empty value (`a=` or `a in ()`) is legal.
    if (!t || t.type === 'op') return '';
    pos++;
    if (!validValue(t.text)) fail(`invalid label value: "${t.text}"`);
    return t.text;
  };

  while (pos < tokens.length) {
    const first = peek()!;
    if (first.type === 'op' && first.text === '!') {
      pos++;
      requirements.push({ key: expectKey(), operator: '!', values: [] });
    } else {
      const key = expectKey();
      const op = peek();
      if (!op || (op.type === 'op' && op.text === ',')) {
        requirements.push({ key, operator: 'exists', values: [] });
      } else if (op.type === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
        pos++;
        requirements.push({ key, operator: op.text, values: [expectValue()] });
      } else if (op.type === 'op' && (op.text === '<' || op.text === '>')) {
        pos++;
        const v = next();
        if (!v || v.type !== 'id' || !/^-?\d+$/.test(v.text)) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        requirements.push({ key, operator: op.text === '>' ? 'gt' : 'lt', values: [v!.text] });
      } else if (op.type === 'id' && (op.text === 'in' || op.text === 'notin')) {
        pos++;
        const open = next();
        if (!open || open.text !== '(') fail(`found '${open?.text ?? ''}', expected: '('`);
        const values: string[] = [];
        for (;;) {
          values.push(expectValue());
          const t = next();
          if (!t) fail(`found '', expected: ',', ')'`);
          if (t!.text === ')') break;
          if (t!.text !== ',') fail(`found '${t!.text}', expected: ',', ')'`);
        }
        requirements.push({ key, operator: op.text, values });
      } else {
        fail(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    const sep = next();
    if (sep && sep.text !== ',') fail(`found '${sep.text}', expected: ','`);
    if (sep && pos >= tokens.length) fail(`found '', expected: identifier after ','`);
  }
  return requirements;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  for (const { key, operator, values } of selector) {
    const present = Object.hasOwn(have, key);
    const value = have[key];
    switch (operator) {
      case '=':
      case '==':
      case 'in':
        if (!present || !values.includes(value!)) return false;
        break;
      case '!=':
      case 'notin':
        if (present && values.includes(value!)) return false;
        break;
      case 'exists':
        if (!present) return false;
        break;
      case '!':
        if (present) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!present || !/^-?\d+$/.test(value!)) return false;
        const n = Number(value);
        const bound = Number(values[0]);
        if (operator === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

/** Matches the label map of a Service/workload `selector` (every pair must be present). */
export function matchesMap(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const have = labels ?? {};
  return Object.entries(selector).every(([k, v]) => have[k] === v);
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Parses `a=b,c!=d` with backslash escapes, like `fields.ParseSelector`. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (input.trim() === '') return out;
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  for (const term of terms) {
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m || m[1]!.trim() === '') throw new SelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
    out.push({ field: m[1]!.trim(), operator: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]!) });
  }
  return out;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Applies parsed field requirements given a resolver from field path to value (undefined = unsupported). */
export function matchesFields(requirements: FieldRequirement[], resolve: (field: string) => string | undefined): boolean {
  for (const r of requirements) {
    const actual = resolve(r.field) ?? '';
    if (r.operator === '=' ? actual !== r.value : actual === r.value) return false;
  }
  return true;
}
