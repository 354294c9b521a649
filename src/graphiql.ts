/**
 * GraphiQL, served from this process (no CDN). `@graphql-yoga/render-graphiql`
 * inlines its whole bundle (script, styles, three Monaco workers and a
 * favicon) into the HTML: 9 MB on every load, uncompressed and, like every
 * response here, `no-store`. Instead the page is a small HTML shell, and the
 * bundle's parts are static assets under `/graphiql/`, named by content hash,
 * cached for a year and sent gzip- or brotli-compressed as the browser asks.
 * The bundle is loaded on the first page or asset asked for: held in memory it
 * is ~50 MB of RSS, which a deployment that never opens GraphiQL should not pay.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';
import { CSRF_HEADER } from './protections.ts';

const LOGIN = `# 1. Log in. Demo cluster: admin / P@88w0rd.
#    Then paste accessToken into the
#    Authorization header of the Overview tab.
mutation Login {
  login(username: "admin", password: "P@88w0rd") {
    accessToken
    refreshToken
    expiresIn
  }
}
`;

const OVERVIEW = `# 2. Query with the token from the Login tab,
#    pasted into the Authorization header below.
query Overview {
  version { kubesphere { gitVersion } kubernetes { gitVersion } }
  nodes(limit: 10) {
    totalItems
    items { metadata { name } roles ready status capacity { cpu memory } }
  }
  pods(limit: 10) {
    totalItems
    items { metadata { namespace name } status restarts node { metadata { name } } }
  }
}
`;

const SESSION_LOGIN = `# 1. Log in. Demo cluster: admin / P@88w0rd.
#    Session mode: the token goes into an HttpOnly
#    cookie, so the Overview tab needs no header.
mutation Login {
  login(username: "admin", password: "P@88w0rd", session: true) {
    expiresIn
  }
}
`;

const SESSION_OVERVIEW = OVERVIEW.replace(
  /^# 2\. .*\n#.*\n/,
  `# 2. Query with the session cookie set by the Login tab.
#    Run "mutation { logout }" to end the session.
`,
);

const TOKEN_HEADERS = JSON.stringify({ Authorization: 'Bearer <paste accessToken here>' }, null, 2);

/** The tabs GraphiQL opens with; in session mode the cookie replaces the header to paste. */
export function graphiqlOptions(session: boolean): GraphiQLOptions {
  const headers = session ? '{}' : TOKEN_HEADERS;
  return {
    title: 'KubeSphere GraphQL',
    defaultTabs: [
      { query: session ? SESSION_LOGIN : LOGIN, headers: '{}' },
      { query: session ? SESSION_OVERVIEW : OVERVIEW, headers },
    ],
    headers,
    shouldPersistHeaders: false,
    credentials: 'same-origin',
    // Required in production and for the session cookie; harmless elsewhere.
    additionalHeaders: { [CSRF_HEADER]: '1' },
  };
}

interface Asset {
  path: string;
  type: string;
  body: Buffer;
  etag: string;
  /** Compressed once, on first demand, off the main thread. */
  encoded: Map<'br' | 'gzip', Promise<Buffer>>;
}

export const GRAPHIQL_ASSETS_PREFIX = '/graphiql/';

function asset(name: string, ext: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { path: `${GRAPHIQL_ASSETS_PREFIX}${name}.${hash}.${ext}`, type, body, etag: `"${hash}"`, encoded: new Map() };
}

const js = (name: string, source: string) => asset(name, 'js', 'text/javascript; charset=utf-8', Buffer.from(source));

async function loadAssets() {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  const assets = {
    script: js('graphiql', bundle.js),
    style: asset('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(bundle.css)),
    editorWorker: js('editor.worker', bundle.editorWorkerService),
    jsonWorker: js('json.worker', bundle.jsonWorker),
    graphqlWorker: js('graphql.worker', bundle.graphqlWorker),
    favicon: favicon ? asset('favicon', 'ico', favicon[1]!, Buffer.from(favicon[2]!, 'base64')) : asset('favicon', 'ico', 'image/x-icon', Buffer.alloc(0)),
  };
  return { ...assets, byPath: new Map(Object.values(assets).map((a) => [a.path, a])) };
}

let loaded: ReturnType<typeof loadAssets> | undefined;
const assets = () => (loaded ??= loadAssets());

/** What `<script>` may not contain inside inline JSON. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page: the shell of render-graphiql's, with the bundle's parts linked instead of inlined. */
export async function renderGraphiQL(options: GraphiQLOptions = {}): Promise<string> {
  const parts = await assets();
  const workers = { editorWorkerService: parts.editorWorker.path, json: parts.jsonWorker.path, graphql: parts.graphqlWorker.path };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${parts.favicon.path}" />
    <link rel="stylesheet" href="${parts.style.path}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script src="${parts.script.path}"></script>
    <script>
      const workers = ${inlineJson(workers)};
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${inlineJson(options)});
    </script>
  </body>
</html>
`;
}

/** The encoding to send: brotli, then gzip, among those the client accepts with a non-zero q. */
export function negotiateEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (coding && (q === undefined || Number(q) > 0)) accepted.add(coding);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

function encode(a: Asset, encoding: 'br' | 'gzip'): Promise<Buffer> {
  let body = a.encoded.get(encoding);
  if (!body) {
    // Quality 5: within a few percent of 11 on this bundle at a twentieth of the time (0.6 s against 30 s for the script).
    body =
      encoding === 'br'
        ? brotli(a.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: a.body.length } })
        : gzipAsync(a.body, { level: 9 });
    a.encoded.set(encoding, body);
  }
  return body;
}

/**
 * Answers a request for a GraphiQL asset, before Yoga sees it (whose
 * responses are `no-store`); returns false for any other path.
 */
export function serveGraphiQLAsset(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith(GRAPHIQL_ASSETS_PREFIX)) return false;
  void assets().then(
    ({ byPath }) => sendAsset(byPath.get(req.url!.split('?')[0]!), req, res),
    () => {
      if (!res.headersSent) res.writeHead(500, { 'cache-control': 'no-store' }).end();
    },
  );
  return true;
}

function sendAsset(found: Asset | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (!found || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res
      .writeHead(found ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      .end(found ? 'Method Not Allowed' : 'Not Found');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': found.type,
    // The name changes with the content, so a copy never goes stale.
    'cache-control': 'public, max-age=31536000, immutable',
    etag: found.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === found.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  const encoding = found.type.startsWith('image/') ? undefined : negotiateEncoding(req.headers['accept-encoding']);
  const send = (body: Buffer) => {
    res.writeHead(200, { ...headers, ...(encoding && { 'content-encoding': encoding }), 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (!encoding) send(found.body);
  else
    encode(found, encoding).then(send, () => {
      if (!res.headersSent) res.writeHead(500, { 'cache-control': 'no-store' }).end();
    });
}
