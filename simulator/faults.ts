/**
 * Fault injection, switched per route by tests and benchmarks: the ways a
 * real ks-apiserver (or the network in front of it) fails.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export type Fault =
  /** Answer normally, but only after this long. */
  | { kind: 'delay'; ms: number }
  /** Send the headers (and, with `afterBytes`, that much of a list's body), then nothing: the rest never comes. */
  | { kind: 'stall'; afterBytes?: number }
  /** Send the headers and part of the body, then drop the connection. */
  | { kind: 'drop' }
  /** Answer with this status (a 5xx burst is this with `times`), optionally with Retry-After. */
  | { kind: 'status'; status: number; retryAfter?: number }
  /** Answer 302 to another address. */
  | { kind: 'redirect'; location: string }
  /** Stream a JSON body of about this many bytes. */
  | { kind: 'oversize'; bytes: number }
  /** Answer 200 with this body: a well-formed answer of the wrong shape. */
  | { kind: 'body'; body: string };

export interface FaultRule {
  /** Matched against the raw request path (no query string). */
  path: RegExp;
  method?: string;
  /** How many matching requests the fault applies to; unlimited when omitted. */
  times?: number;
  fault: Fault;
}

export class Faults {
  readonly #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault for this request, if any; spends one use of a counted rule. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#rules.findIndex((r) => r.path.test(path) && (r.method === undefined || r.method === method));
    if (index === -1) return undefined;
    const rule = this.#rules[index]!;
    if (rule.times !== undefined && --rule.times <= 0) this.#rules.splice(index, 1);
    return rule.fault;
  }
}

/**
 * Plays a fault on the response. Returns true when the fault answered (or
 * broke) the request, false when the normal answer should follow.
 */
export async function playFault(fault: Fault, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'delay':
      await sleep(fault.ms);
      return res.destroyed;
    case 'stall':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      if (fault.afterBytes) res.write(`{"items":[${'{},'.repeat(Math.ceil(fault.afterBytes / 3))}`);
      return true;
    case 'drop':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"items":[{"metadata":{"name":"half');
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
    case 'status': {
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'injected fault', code: fault.status });
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.retryAfter !== undefined && { 'retry-after': String(fault.retryAfter) }),
      });
      res.end(body);
      return true;
    }
    case 'redirect':
      res.writeHead(302, { location: fault.location, 'content-length': '0' });
      res.end();
      return true;
    case 'oversize':
      await streamOversized(res, fault.bytes);
      return true;
    case 'body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fault.body) });
      res.end(fault.body);
      return true;
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

async function streamOversized(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const item = `{"metadata":{"name":"filler","annotations":{"pad":"${'x'.repeat(16 * 1024)}"}}},`;
  res.write('{"items":[');
  for (let sent = 0; sent < bytes && !res.destroyed; sent += item.length) {
    if (!res.write(item)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end('{}],"totalItems":0}');
}
