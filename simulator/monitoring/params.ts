/**
 * Query parameters as `release-3.4:pkg/kapis/monitoring/v1alpha3/helper.go`
 * (`makeQueryOptions`) reads them, with the Go error texts its 400 answers
 * carry (`strconv.ParseInt`, `time.ParseDuration`, the Err* constants).
 */
import type { Timing } from './engine.ts';

export const ERR_NO_HIT = "'end' or 'time' must be after the namespace creation time.";
export const ERR_PARAM_CONFLICT = "'time' and the combination of 'start' and 'end' are mutually exclusive.";
export const ERR_INVALID_START_END = "'start' must be before 'end'.";
export const ERR_INVALID_PAGE = "Invalid parameter 'page'.";
export const ERR_INVALID_LIMIT = "Invalid parameter 'limit'.";

export class ParamError extends Error {}

/** `strconv.ParseInt(s, 10, 64)`. */
export function parseInt64(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new ParamError(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new ParamError(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

/** `strconv.Atoi`, as used for page and limit (any error becomes the handler's own message). */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** `time.ParseDuration`, in seconds. Go knows no `d`, `w` or `y` (although the route docs offer them). */
export function parseDuration(s: string): number {
  const bad = () => new ParamError(`time: invalid duration ${goQuote(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (m[0] === '' || m[0] === '.') throw bad();
    rest = rest.slice(m[0].length);
    const u = /^[^\d.]+/.exec(rest)?.[0];
    if (!u) throw new ParamError(`time: missing unit in duration ${goQuote(s)}`);
    const factor = UNITS[u];
    if (factor === undefined) throw new ParamError(`time: unknown unit ${goQuote(u)} in duration ${goQuote(s)}`);
    rest = rest.slice(u.length);
    total += Number(`${m[1] || '0'}.${m[2] ?? ''}`) * factor;
  }
  return sign * total;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

export interface Paging {
  target: string;
  order: 'asc' | 'desc';
  page: number;
  limit: number;
}

/** start/end/step or time: a range when both start and end are given (time is then ignored). */
export function parseTiming(q: URLSearchParams, now: () => number): Timing {
  const start = q.get('start') ?? '';
  const end = q.get('end') ?? '';
  if (start !== '' && end !== '') {
    const s = parseInt64(start);
    const e = parseInt64(end);
    const stepText = q.get('step') ?? '';
    const step = stepText === '' ? 600 : parseDuration(stepText);
    if (s > e) throw new ParamError(ERR_INVALID_START_END);
    return { kind: 'range', start: s, end: e, step };
  }
  if (start === '' && end === '') {
    const time = q.get('time') ?? '';
    return { kind: 'instant', time: time === '' ? now() : parseInt64(time) };
  }
  throw new ParamError(ERR_PARAM_CONFLICT);
}

/** sort_metric/sort_type/page/limit: only read when sort_metric is set; sort_type other than `asc` means desc. */
export function parsePaging(q: URLSearchParams): Paging | undefined {
  const target = q.get('sort_metric') ?? '';
  if (target === '') return undefined;
  const paging: Paging = { target, order: q.get('sort_type') === 'asc' ? 'asc' : 'desc', page: 1, limit: 5 };
  const page = q.get('page') ?? '';
  if (page !== '') {
    const n = atoi(page);
    if (n === undefined || n <= 0) throw new ParamError(ERR_INVALID_PAGE);
    paging.page = n;
  }
  const limit = q.get('limit') ?? '';
  if (limit !== '') {
    const n = atoi(limit);
    if (n === undefined || n <= 0) throw new ParamError(ERR_INVALID_LIMIT);
    paging.limit = n;
  }
  return paging;
}

/** Unix seconds with millisecond precision, as Prometheus reports an evaluation at "now". */
export function nowSeconds(): number {
  return Math.round(Date.now()) / 1000;
}
