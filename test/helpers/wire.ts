/**
 * What the facade put on the wire to one upstream, bodies included: the
 * simulator records method, path, query and headers of each request but not
 * its body, so the body is read from undici's `undici:request:create`
 * diagnostics channel, which every undici client in this process publishes
 * to (the facade runs in-process in tests).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

export interface SentRequest {
  method: string;
  /** Path and query string. */
  path: string;
  contentType: string | undefined;
  body: string | undefined;
}

interface UndiciRequest {
  origin?: unknown;
  method: string;
  path: string;
  headers: unknown;
  body: unknown;
}

export function recordWire(upstream: string): { sent: SentRequest[]; clear(): void; stop(): void } {
  const origin = new URL(upstream).origin;
  const sent: SentRequest[] = [];
  const onCreate = (message: unknown) => {
    const request = (message as { request: UndiciRequest }).request;
    if (String(request.origin).replace(/\/$/, '') !== origin) return;
    sent.push({ method: request.method, path: request.path, contentType: header(request.headers, 'content-type'), body: text(request.body) });
  };
  subscribe('undici:request:create', onCreate);
  return {
    sent,
    clear: () => {
      sent.length = 0;
    },
    stop: () => unsubscribe('undici:request:create', onCreate),
  };
}

function header(headers: unknown, name: string): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    return undefined;
  }
  if (typeof headers === 'string') return /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim();
  return undefined;
}

function text(body: unknown): string | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return String(body);
}
