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
