/** Matches a Kubernetes LabelSelector object against a label map. */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  // An empty selector selects nothing for workloads, so an absent one must not match everything.
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
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
