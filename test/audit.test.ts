/** GraphQL-over-HTTP compliance: graphql-http's audits against the real listener. */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../src/protections.ts';
import { ADMIN, startStack, type Stack } from './helpers/stack.ts';

describe('graphql-http audits', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => stack.close());

  it('passes every audit with no failure and no warning', async () => {
    const audits = serverAudits({
      url: () => `${stack.url}/graphql`,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set(CSRF_HEADER, '1');
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const problems = results.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.name}: ${'reason' in r ? r.reason : ''}`);
    console.log(`graphql-http audits: ${results.length} run, ${results.filter((r) => r.status === 'ok').length} ok`);
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(40);
  });
});
