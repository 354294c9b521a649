/**
 * Error mapping for answers the read-only simulator cannot produce yet
 * (409 needs a write, 5xx needs a fault): the same parsing the client uses,
 * fed each of KubeSphere's error body formats, then the boundary's mapping.
 */
import { describe, expect, it } from 'vitest';
import { toFacadeError } from '../src/errors.ts';
import { UpstreamError } from '../src/kubesphere/upstream-error.ts';

const fromUpstreamResponse = (status: number, contentType: string, body: string) => toFacadeError(UpstreamError.fromResponse(status, contentType, body));
const fromTransportError = (error: unknown) => toFacadeError(UpstreamError.fromTransport(error));

const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

describe('a non-2xx answer', () => {
  it.each([
    [
      401,
      'application/json',
      status(401, 'Unauthorized', 'Unauthorized: token not found in cache'),
      'UNAUTHENTICATED',
      'Unauthorized: token not found in cache',
    ],
    [
      403,
      'application/json',
      status(403, 'Forbidden', 'pods is forbidden: User "alice" cannot list resource "pods"'),
      'FORBIDDEN',
      'pods is forbidden: User "alice" cannot list resource "pods"',
    ],
    [404, 'application/json', status(404, 'NotFound', 'pods "x" not found'), 'NOT_FOUND', 'pods "x" not found'],
    [409, 'application/json', status(409, 'AlreadyExists', 'deployments.apps "web" already exists'), 'CONFLICT', 'deployments.apps "web" already exists'],
    [422, 'application/json', status(422, 'Invalid', 'Deployment.apps "web" is invalid'), 'BAD_USER_INPUT', 'Deployment.apps "web" is invalid'],
    [429, 'application/json', status(429, 'TooManyRequests', 'Too many requests'), 'RATE_LIMITED', 'Too many requests'],
    [500, 'text/plain; charset=utf-8', 'deployments.apps "web" not found\n', 'NOT_FOUND', 'deployments.apps "web" not found'],
    [500, 'text/plain; charset=utf-8', 'etcdserver: request timed out\n', 'UPSTREAM_ERROR', 'KubeSphere failed with HTTP 500.'],
    [503, 'application/json', status(503, 'ServiceUnavailable', 'cluster member-1 is not ready'), 'UPSTREAM_ERROR', 'KubeSphere failed with HTTP 503.'],
    [404, 'text/plain', '404: Page Not Found', 'NOT_FOUND', '404: Page Not Found'],
    [400, 'application/json', JSON.stringify({ error: 'invalid_grant', error_description: 'incorrect password' }), 'UNAUTHENTICATED', 'incorrect password'],
    [
      429,
      'application/json',
      JSON.stringify({ error: 'invalid_grant', error_description: 'auth rate limit exceeded' }),
      'RATE_LIMITED',
      'auth rate limit exceeded',
    ],
    [
      401,
      'application/json',
      JSON.stringify({ error: 'invalid_client', error_description: 'invalid client credential' }),
      'UPSTREAM_ERROR',
      "KubeSphere refused this server's OAuth client; check KUBESPHERE_CLIENT_ID and KUBESPHERE_CLIENT_SECRET.",
    ],
  ])('%i %s → %s', (httpStatus, contentType, body, code, message) => {
    const error = fromUpstreamResponse(httpStatus, contentType, body);
    expect(error.extensions).toMatchObject({ code, httpStatus });
    expect(error.message).toBe(message);
  });

  it('keeps only the start of a huge body', () => {
    expect(fromUpstreamResponse(422, 'text/plain', 'x'.repeat(100_000)).message.length).toBeLessThan(600);
  });

  it('shows no detail of a server-side failure, which may name internal hosts', () => {
    const error = fromUpstreamResponse(500, 'application/json', status(500, 'InternalError', 'etcd at 10.1.2.3:2379 failed'));
    expect(error.message).not.toContain('10.1.2.3');
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', httpStatus: 500, reason: 'InternalError' });
  });
});

describe('a transport failure', () => {
  const withCode = (code: string) => Object.assign(new Error('boom at 10.0.0.1:6443'), { code });
  it.each([
    ['ECONNREFUSED', 'UPSTREAM_UNAVAILABLE'],
    ['ECONNRESET', 'UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_SOCKET', 'UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_HEADERS_TIMEOUT', 'UPSTREAM_TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'UPSTREAM_TIMEOUT'],
    ['UND_ERR_CONNECT_TIMEOUT', 'UPSTREAM_TIMEOUT'],
  ])('%s → %s, without the address', (code, expected) => {
    const error = fromTransportError(withCode(code));
    expect(error.extensions.code).toBe(expected);
    expect(error.message).not.toContain('10.0.0.1');
  });
});

describe('retry and breaker rules read the upstream error itself', () => {
  it.each([
    [UpstreamError.fromResponse(503, 'text/plain', 'busy'), true, true],
    [UpstreamError.fromResponse(429, 'text/plain', 'slow down'), true, false],
    [UpstreamError.fromResponse(500, 'text/plain', 'etcd failed'), false, true],
    [UpstreamError.fromResponse(500, 'text/plain', 'deployments.apps "web" not found'), false, false],
    [UpstreamError.fromResponse(403, 'text/plain', 'forbidden'), false, false],
    [UpstreamError.fromTransport(Object.assign(new Error('x'), { code: 'ECONNRESET' })), true, true],
    [UpstreamError.fromTransport(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), false, true],
    [UpstreamError.fromTransport(Object.assign(new Error('x'), { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' }), 1024), false, true],
    [new UpstreamError('gone', { kind: 'cancelled' }), false, false],
  ])('%s → retryable %s, unhealthy %s', (error, retryable, unhealthy) => {
    expect(error.retryable).toBe(retryable);
    expect(error.unhealthy).toBe(unhealthy);
  });

  it('an oversized answer names the limit, not the upstream', () => {
    const error = toFacadeError(UpstreamError.fromTransport(Object.assign(new Error('at 10.0.0.1'), { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' }), 1024));
    expect(error.extensions.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toBe("KubeSphere's answer exceeded 1024 bytes.");
  });
});
