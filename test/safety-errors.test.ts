/**
 * Upstream error text (issue 12, finding 4 and the 4xx body finding): what
 * the client may read of a failed answer. Server-side text never; 3.x's
 * not-found only by its exact shape; 4xx text only from known formats.
 */
import { describe, expect, it } from 'vitest';
import { toFacadeError } from '../src/errors.ts';
import { UpstreamError } from '../src/kubesphere/upstream-error.ts';

const shown = (status: number, contentType: string, body: string) => toFacadeError(UpstreamError.fromResponse(status, contentType, body));
const TRACE = 'pods "x" not found: dial tcp 10.233.0.17:6443 token=eyJhbGciOiJSUzI1NiJ9.abc\ngoroutine 1 [running]:\nmain.main()';

describe('upstream error text', () => {
  it('a 500 that mentions "not found" among other text is a server failure, and its text is not passed on', () => {
    const error = shown(500, 'text/plain; charset=utf-8', TRACE);
    expect(error.extensions.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toBe('KubeSphere failed with HTTP 500.');
  });

  it('a 500 Status whose message has the not-found shape is still a server failure (only 3.x plain text has it)', () => {
    const body = JSON.stringify({ kind: 'Status', message: 'pods "x" not found', reason: 'InternalError', code: 500 });
    expect(shown(500, 'application/json', body).extensions.code).toBe('UPSTREAM_ERROR');
  });

  it("3.x's exact not-found line becomes NOT_FOUND with a message the facade builds", () => {
    const error = shown(500, 'text/plain; charset=utf-8', 'deployments.apps "web" not found\n');
    expect(error.extensions.code).toBe('NOT_FOUND');
    expect(error.message).toBe('deployments.apps "web" not found');
    expect(shown(500, 'text/plain', 'deployments.apps "web" not found at 10.0.0.1').message).toBe('KubeSphere failed with HTTP 500.');
  });

  it.each([
    [404, 'text/html', '<html><body><h1>404</h1>nginx/1.25 at 10.0.0.9</body></html>', 'NOT_FOUND'],
    [403, 'text/html; charset=utf-8', '<!doctype html><title>Forbidden</title>', 'FORBIDDEN'],
    [400, 'application/json', JSON.stringify({ detail: 'internal 10.0.0.9' }), 'BAD_USER_INPUT'],
    [400, 'text/plain', 'line one\nat internal.Func (10.0.0.9)', 'BAD_USER_INPUT'],
  ])('a %i %s body of no known format becomes a message with the status only', (status, contentType, body, code) => {
    const error = shown(status, contentType, body);
    expect(error.extensions.code).toBe(code);
    expect(error.message).toBe(`KubeSphere refused the request with HTTP ${status}.`);
  });

  it('4xx messages from a Kubernetes Status and the plain-text line are passed on, cut to a sane length', () => {
    const long = `pods is forbidden: ${'x'.repeat(5_000)}`;
    const error = shown(403, 'application/json', JSON.stringify({ kind: 'Status', message: long, reason: 'Forbidden', code: 403 }));
    expect(error.message.startsWith('pods is forbidden: ')).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual(301);
    expect(shown(404, 'text/plain; charset=utf-8', 'resource is not supported\n').message).toBe('resource is not supported');
  });
});
