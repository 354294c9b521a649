/**
 * What an operation may cost in items, before any resolver runs. Armor's
 * static cost knows nothing of list sizes, so `nodes(limit: 120) { items {
 * pods(limit: 120) { … } } }` looked cheap and returned hundreds of
 * megabytes. Here a list field multiplies what it selects by its `limit`
 * (or the server's default limit), through graphql-query-complexity with a
 * custom estimator; the variables are known at execution, so the check runs
 * there, before the first resolver.
 */
import { getNamedType, GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { LRUCache } from 'lru-cache';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** A JSON scalar (`raw`, `configz`, …) can be a whole object: it costs as much as several fields. */
const JSON_SCALAR_COST = 10;
const JSON_SCALARS = new Set(['JSON', 'JSONObject']);

/** Leaves cost 1 (JSON ones more), objects 1 plus their selection, paged lists 1 plus `limit` times their selection. */
export function listEstimator(defaultLimit: number, maxLimit: number): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    if (field.args.some((arg) => arg.name === 'limit')) {
      // A limit over the maximum is refused by its resolver (BAD_USER_INPUT) before any call: it costs no more than the maximum.
      const limit = typeof args.limit === 'number' && args.limit > 0 ? Math.min(args.limit, maxLimit) : defaultLimit;
      return 1 + limit * childComplexity;
    }
    if (childComplexity === 0 && JSON_SCALARS.has(getNamedType(field.type).name)) return JSON_SCALAR_COST;
    return 1 + childComplexity;
  };
}

export function useListCost(options: { maxCost: number; defaultLimit: number; maxLimit: number; exposeLimits: boolean }): Plugin {
  const estimators = [listEstimator(options.defaultLimit, options.maxLimit)];
  /**
   * Costs already measured, per document (Yoga's parse cache hands out the same
   * object for the same text) and operation and variables: measuring walks the
   * whole document with type info, a visible share of a small page's CPU.
   */
  const measured = new WeakMap<DocumentNode, LRUCache<string, number>>();
  const costOf = (args: ExecutionArgs): number | undefined => {
    let costs = measured.get(args.document);
    if (!costs) measured.set(args.document, (costs = new LRUCache({ max: 64 })));
    const key = JSON.stringify([args.operationName ?? null, args.variableValues ?? {}]);
    let cost = costs.get(key);
    if (cost !== undefined) return cost;
    try {
      cost = getComplexity({
        schema: args.schema,
        query: args.document,
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
        ...(args.operationName ? { operationName: args.operationName } : {}),
        estimators,
      });
    } catch (error) {
      // Bad variables are execution's to report; a document too large to even measure is refused.
      if (!(error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message))) return undefined;
      cost = Infinity;
    }
    costs.set(key, cost);
    return cost;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(args);
      if (cost === undefined || cost <= options.maxCost) return;
      const detail = options.exposeLimits ? ` (${Number.isFinite(cost) ? cost : 'too many fields'}; the most is ${options.maxCost})` : '';
      setResultAndStopExecution({
        errors: [
          createGraphQLError(
            `This operation could return too much${detail}: lists multiply what they select by their limit. Ask for smaller pages or fewer fields.`,
            {
              extensions: { code: 'QUERY_TOO_EXPENSIVE', ...(options.exposeLimits && Number.isFinite(cost) && { cost, maxCost: options.maxCost }) },
            },
          ),
        ],
      });
    },
  };
}

/**
 * What one response may hold: objects and (approximate) bytes, counted in
 * one walk of the result, so a response past either is replaced by one
 * `RESPONSE_TOO_LARGE` error instead of being serialised and sent. The
 * estimate needs no stringify (a 500 MB string cannot even be built).
 */
export function useResponseLimits(options: { maxObjects: number; maxBytes: number; exposeLimits: boolean }): Plugin {
  const tooLarge = (what: string) =>
    createGraphQLError(`The response would be too large${options.exposeLimits ? ` (${what})` : ''}; ask for smaller pages or fewer fields.`, {
      extensions: { code: 'RESPONSE_TOO_LARGE' },
    });
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (Symbol.asyncIterator in result || !result.data) return;
        const size = measure(result.data, options);
        if (size.objects > options.maxObjects) setResult({ data: null, errors: [tooLarge(`more than ${options.maxObjects} objects`)] });
        else if (size.bytes > options.maxBytes) setResult({ data: null, errors: [tooLarge(`more than ${options.maxBytes} bytes`)] });
      },
    }),
  };
}

/**
 * Objects and approximate JSON bytes of a value; stops counting once past a
 * limit. Leaves are counted where they are met, never pushed: this walk runs
 * over every result, and a 500-pod page has thousands of them.
 */
function measure(root: unknown, limits: { maxObjects: number; maxBytes: number }): { objects: number; bytes: number } {
  let objects = 0;
  let bytes = 0;
  const stack: object[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string') bytes += value.length + 2;
    else if (value !== null && typeof value === 'object') stack.push(value);
    else bytes += 5;
  };
  add(root);
  while (stack.length > 0 && objects <= limits.maxObjects && bytes <= limits.maxBytes) {
    const value = stack.pop()!;
    objects++;
    if (Array.isArray(value)) {
      bytes += 2 + value.length;
      for (const item of value) add(item);
    } else {
      bytes += 2;
      for (const key in value) {
        bytes += key.length + 4;
        add((value as Record<string, unknown>)[key]);
      }
    }
  }
  return { objects, bytes };
}
