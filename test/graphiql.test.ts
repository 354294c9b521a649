/**
 * GraphiQL as a browser fetches it: a small page plus content-hashed static
 * assets, compressed as negotiated and cacheable for a year, measured in
 * bytes on the wire (Node's fetch would decompress, so raw HTTP here).
 */
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { renderGraphiQL as inlineGraphiQL } from '@graphql-yoga/render-graphiql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlOptions, negotiateEncoding } from '../src/graphiql.ts';
import { startStack, type Stack } from './helpers/stack.ts';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const assetPaths = (html: string) =>
  [...html.matchAll(/(?:href|src)="(\/graphiql\/[^"]+)"|"(\/graphiql\/[^"]+\.worker\.[0-9a-f]+\.js)"/g)].map((m) => m[1] ?? m[2]!);

describe('GraphiQL', () => {
  let stack: Stack;
  let page: Raw;
  beforeAll(async () => {
    stack = await startStack();
    page = await get(`${stack.url}/graphql`, { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });
  });
  afterAll(() => stack.close());

  it('serves a small page that links the bundle instead of inlining it', () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body.length).toBeLessThan(10_000);
    expect(page.headers['cache-control']).toBe('no-store');
    const paths = assetPaths(page.body.toString());
    expect(paths).toHaveLength(6);
    for (const path of paths) expect(path).toMatch(/^\/graphiql\/[\w.]+\.[0-9a-f]{16}\.(js|css|ico)$/);
  });

  it('sends the assets compressed as negotiated, cacheable for a year, and far smaller than the inlined page', async () => {
    const before = Buffer.byteLength(inlineGraphiQL(graphiqlOptions(false)));
    const wire: Record<string, number> = { identity: page.body.length, gzip: page.body.length, br: page.body.length };
    for (const path of assetPaths(page.body.toString())) {
      const plain = await get(`${stack.url}${path}`);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.vary).toBe('accept-encoding');
      wire.identity! += plain.body.length;
      for (const [encoding, decode] of [
        ['gzip', gunzipSync],
        ['br', brotliDecompressSync],
      ] as const) {
        const encoded = await get(`${stack.url}${path}`, { 'accept-encoding': `${encoding}, deflate` });
        expect(encoded.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        if (path.endsWith('.ico')) {
          // Already compressed image data: sent as it is.
          expect(encoded.headers['content-encoding']).toBeUndefined();
          wire[encoding]! += encoded.body.length;
          continue;
        }
        expect(encoded.headers['content-encoding']).toBe(encoding);
        expect(Number(encoded.headers['content-length'])).toBe(encoded.body.length);
        expect(decode(encoded.body).equals(plain.body)).toBe(true);
        wire[encoding]! += encoded.body.length;
      }
    }
    console.log(
      `GraphiQL bytes on the wire: before ${before} (one uncompressed no-store page); after: identity ${wire.identity}, gzip ${wire.gzip}, br ${wire.br}`,
    );
    expect(before).toBeGreaterThan(8_000_000);
    expect(wire.gzip).toBeLessThan(2_600_000);
    expect(wire.br).toBeLessThan(wire.gzip!);
  });

  it('answers a revalidation with 304 and refuses unknown assets', async () => {
    const [path] = assetPaths(page.body.toString());
    const first = await get(`${stack.url}${path}`);
    const again = await get(`${stack.url}${path}`, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await get(`${stack.url}/graphiql/graphiql.0000000000000000.js`)).status).toBe(404);
  });

  it('keeps no-store on GraphQL responses', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['br;q=1, gzip;q=0.5', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'gzip'],
    ['identity', undefined],
    [undefined, undefined],
  ])('negotiates %s as %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('GraphiQL switches', () => {
  it('stays on in production with GRAPHIQL=1, where its requests carry the CSRF header', async () => {
    const stack = await startStack({ env: { NODE_ENV: 'production', GRAPHIQL: '1' } });
    try {
      const page = await get(`${stack.url}/graphql`, { accept: 'text/html' });
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('"additionalHeaders":{"x-graphql-yoga-csrf":"1"}');
      expect((await get(`${stack.url}${assetPaths(page.body.toString())[0]}`)).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('is off with GRAPHIQL=0, assets included', async () => {
    const stack = await startStack({ env: { GRAPHIQL: '0' } });
    try {
      const page = await get(`${stack.url}/graphql`, { accept: 'text/html' });
      expect(page.body.toString()).not.toMatch(/<html/i);
      expect((await get(`${stack.url}/graphiql/anything.js`)).status).not.toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('in session mode logs in with session: true and sends no placeholder header', async () => {
    const stack = await startStack({ env: { SESSION_COOKIE: '1' } });
    try {
      const html = (await get(`${stack.url}/graphql`, { accept: 'text/html' })).body.toString();
      expect(html).toContain('session: true');
      expect(html).not.toContain('paste accessToken');
    } finally {
      await stack.close();
    }
  });
});
