/**
 * The four error body formats of ks-apiserver (api doc §9): Kubernetes
 * `Status` JSON, Go `http.Error` plain text, go-restful router text, and
 * OAuth JSON. Handlers throw `HttpError`; the server turns it into the reply.
 */
import type { Reply } from './types.ts';

export class HttpError extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    super(`HTTP ${reply.status}`);
    this.reply = reply;
  }
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Serialised objects, keyed by identity: stored objects never change, so neither does their JSON. */
const serialised = new WeakMap<object, Buffer>();

function toJson(obj: object): Buffer {
  let bytes = serialised.get(obj);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(obj));
    serialised.set(obj, bytes);
  }
  return bytes;
}

const COMMA = Buffer.from(',');

/**
 * A list body `{...head, items, ...tail}` whose items reuse cached JSON
 * bytes, so a large list costs a memory copy rather than a re-serialisation
 * and a string encode.
 */
export function listReply(head: Record<string, unknown>, items: readonly object[], tail: Record<string, unknown> = {}): Reply {
  const fields = (record: Record<string, unknown>) =>
    Object.entries(record)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
      .join('');
  const chunks: Buffer[] = [Buffer.from(`{${fields(head)}"items":[`)];
  items.forEach((item, i) => {
    if (i > 0) chunks.push(COMMA);
    chunks.push(toJson(item));
  });
  const rest = fields(tail);
  chunks.push(Buffer.from(rest ? `],${rest.slice(0, -1)}}` : ']}'));
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'AlreadyExists',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

/** A Kubernetes `Status` object as kube-apiserver and the KubeSphere filters write it. */
export function statusReply(code: number, message: string, details?: StatusDetails, reason = REASONS[code] ?? 'Unknown'): Reply {
  const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) body.details = details;
  body.code = code;
  return jsonReply(code, body);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * KubeSphere's `pkg/api` handlers answer with Go's `http.Error` after escaping
 * `& < >`: text/plain, nosniff, message plus newline.
 */
export function textReply(status: number, message: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: `${message.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)}\n`,
  };
}

/** go-restful's own answers for unknown routes and methods (no trailing newline). */
export function routerNotFound(): Reply {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404: Page Not Found' };
}

export function routerMethodNotAllowed(): Reply {
  return { status: 405, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '405: Method Not Allowed' };
}

/** RFC 6749 error body from `/oauth/token`. */
export function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error, error_description: description }, headers);
}

/** `deployments.apps` style group-qualified resource name used in Kubernetes messages. */
export function groupResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** The kube-apiserver NotFound message, e.g. `deployments.apps "web" not found`. */
export function notFoundMessage(resource: string, group: string, name: string): string {
  return `${groupResource(resource, group)} "${name}" not found`;
}

export function notFoundStatus(resource: string, group: string, name: string): Reply {
  return statusReply(404, notFoundMessage(resource, group, name), group ? { name, group, kind: resource } : { name, kind: resource });
}

export function badRequest(message: string): HttpError {
  return new HttpError(statusReply(400, message));
}
