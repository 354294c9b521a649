/** Matches a Kubernetes LabelSelector object against a label map. */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const matchLabels = selector?.matchLabels ?? {};
  const matchExpressions = selector?.matchExpressions ?? [];
  // Workloads and services with no requirements select no pods; they must not match everything.
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(matchLabels)) if (have[key] !== value) return false;
  for (const { key, operator, values = [] } of matchExpressions) {
    const present = Object.hasOwn(have, key);
    switch (operator) {
      case 'In':
        if (!present || !values.includes(have[key]!)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[key]!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const REQUIREMENT = /^\s*(?:(!)\s*(\S+?)|(\S+?)\s*(?:(==|=|!=)\s*(\S*?)|\s+(in|notin)\s*\(([^)]*)\))?)\s*$/;

/**
 * Parses a label selector string (`app=web,tier in (a,b),!canary`) into the
 * object form, for matching objects the facade filters itself. The string was
 * validated by the URL layer's grammar before it reaches here.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  for (const part of splitRequirements(text)) {
    if (part.trim() === '') continue;
    const m = REQUIREMENT.exec(part);
    if (!m) throw new Error(`unparsable label selector requirement ${JSON.stringify(part)}`);
    const [, not, notKey, key, op, value, setOp, set] = m;
    if (not) matchExpressions.push({ key: notKey!, operator: 'DoesNotExist' });
    else if (op) matchExpressions.push({ key: key!, operator: op === '!=' ? 'NotIn' : 'In', values: [value ?? ''] });
    else if (setOp) matchExpressions.push({ key: key!, operator: setOp === 'in' ? 'In' : 'NotIn', values: set!.split(',').map((v) => v.trim()) });
    else matchExpressions.push({ key: key!, operator: 'Exists' });
  }
  return { matchExpressions };
}

/** Splits on the commas between requirements, not those inside `in (...)`. */
export function splitRequirements(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/**
 * Whether labels satisfy a selector string; an empty selector selects everything, as Kubernetes lists do.
 * Parsed once, then asked of many objects.
 */
export function selectorMatcher(text: string): (labels: Record<string, string> | undefined) => boolean {
  const selector = parseLabelSelector(text);
  return (selector.matchExpressions ?? []).length === 0 ? () => true : (labels) => matchesSelector(selector, labels);
}

/**
 * A LabelSelector object as the selector string list calls take, so that an
 * owner's objects are selected upstream; undefined when it has no
 * requirements (it selects nothing, see `matchesSelector`).
 */
export function selectorString(selector: LabelSelector | undefined): string | undefined {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    if (operator === 'In' || operator === 'NotIn') parts.push(`${key} ${operator.toLowerCase()} (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    // An unknown operator matches nothing locally; selecting upstream by the rest stays a superset.
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
