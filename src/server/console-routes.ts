import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Context, Hono } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import type { ApiDeps, ApiEnv } from '../api/shared/api-env.js';
import { authorizeRequest } from '../api/shared/authorize-request.js';

/**
 * The web console (web/, built by `npm install` into web/dist) and the one read it needs that the standard APIs lack.
 *
 * Everything of the console lives under /console/: the page, its hashed assets under /console/assets/, and any other
 * path below it answers with the page (the console routes in the browser). No API path starts with /console, so the
 * console can never shadow one, and a browser opening the server's root is sent there. The static files need no key
 * (they hold no data); the console then calls the APIs with the user's key like any other client.
 */
export const CONSOLE_PATH = '/console';

/** web/dist beside src/ — the same relative place in a git checkout and in the published package. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

// Hashed names change with their content, so browsers may keep them for good; index.html is revalidated on every
// load (its ETag makes that a 304), so a new build reaches users on their next reload.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

// The built console needs nothing inline and nothing from elsewhere; React sets styles through the CSSOM, which
// style-src does not restrict. Images are data: and blob: URLs (chat attachments).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|xml|manifest\+json)|image\/svg\+xml)/;
// A build is a handful of files; anything far bigger in the folder was not put there by Vite.
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MAX_FILES = 500;

interface Asset {
  body: Uint8Array;
  gzip: Uint8Array | undefined;
  type: string;
  etag: string;
  cacheControl: string;
}

interface Bundle {
  files: Map<string, Asset>;
  index: Asset;
  indexMtimeMs: number;
}

function asset(path: string, rel: string): Asset {
  const body = new Uint8Array(readFileSync(path));
  const type = getMimeType(path) ?? 'application/octet-stream';
  const gz = COMPRESSIBLE.test(type) && body.byteLength > 1024 ? new Uint8Array(gzipSync(body)) : undefined;
  return {
    body,
    gzip: gz && gz.byteLength < body.byteLength ? gz : undefined,
    // Hono's table already names the charset of text types (and of SVG).
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    cacheControl: rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
  };
}

/** Reads the whole build into memory: a few hundred kilobytes, served without touching the disk or trusting a path. */
function loadBundle(dir: string, indexMtimeMs: number): Bundle | undefined {
  const files = new Map<string, Asset>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && files.size < MAX_FILES && statSync(p).size <= MAX_FILE_BYTES) {
        const rel = relative(dir, p).split(sep).join('/');
        files.set(rel, asset(p, rel));
      }
    }
  };
  walk(dir);
  const index = files.get('index.html');
  return index ? { files, index, indexMtimeMs } : undefined;
}

function send(c: Context<ApiEnv>, a: Asset, extra: Record<string, string> = {}): Response {
  const headers: Record<string, string> = {
    'content-type': a.type,
    'cache-control': a.cacheControl,
    etag: a.etag,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    ...extra,
  };
  const tags = (c.req.header('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(a.etag)) return c.body(null, 304, headers);
  const body = a.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '') ? a.gzip : a.body;
  if (body !== a.body) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(body.byteLength);
  // Hono answers HEAD from GET handlers and drops the body itself.
  return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
}

const HTML_HEADERS = { 'content-security-policy': CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quarry console not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>The Quarry console has not been built</h1>
<p>The server is running and its APIs work; only the web console's files (<code>web/dist</code>) are missing.</p>
<p>In the Quarry folder run <code>npm run build:web</code> (a plain <code>npm install</code> builds it too), then reload this page.
No restart is needed.</p>
</body></html>`;

/** The console's files, mounted before authentication. `dir` is the Vite build folder. */
export function consoleRoutes(opts: { dir?: string; recheckMs?: number } = {}): Hono<ApiEnv> {
  const dir = opts.dir ?? DEFAULT_CONSOLE_DIR;
  const recheckMs = opts.recheckMs ?? 1000;
  let bundle: Bundle | undefined;
  let checkedAt = 0;
  let warned = false;

  // Loaded on first use and reloaded when index.html changes, so `npm run build:web` takes effect without a restart.
  // The stat is throttled: a missing or unchanged build costs at most one stat per `recheckMs`.
  const current = (): Bundle | undefined => {
    const now = Date.now();
    if (now - checkedAt < recheckMs) return bundle;
    checkedAt = now;
    let mtime: number | undefined;
    try {
      mtime = statSync(join(dir, 'index.html')).mtimeMs;
    } catch {
      mtime = undefined;
    }
    if (mtime === undefined) bundle = undefined;
    else if (!bundle || bundle.indexMtimeMs !== mtime) bundle = loadBundle(dir, mtime);
    return bundle;
  };

  const app = new Hono<ApiEnv>();

  // A browser opening the server's address gets the console; any other client still gets the API's own answer.
  app.get('/', async (c, next) => {
    if (!(c.req.header('accept') ?? '').includes('text/html')) return next();
    return c.redirect(`${CONSOLE_PATH}/`, 302);
  });
  app.get(CONSOLE_PATH, (c) => c.redirect(`${CONSOLE_PATH}/`, 301));

  app.get(`${CONSOLE_PATH}/*`, async (c) => {
    const b = current();
    if (!b) {
      if (!warned) {
        warned = true;
        c.get('log')?.warn({ dir }, 'the web console is not built: run "npm run build:web"');
      }
      return c.html(NOT_BUILT, 503, { 'cache-control': 'no-store', 'retry-after': '10', ...HTML_HEADERS });
    }
    const rel = c.req.path.slice(CONSOLE_PATH.length + 1);
    const file = b.files.get(rel);
    if (file) return send(c, file, file === b.index ? HTML_HEADERS : {});
    // A missing file (an asset of an older build, a typo) is a 404: answering index.html would hand a browser HTML
    // where it expects a script or a stylesheet.
    const last = rel.split('/').pop() ?? '';
    if (rel.startsWith('assets/') || /\.[A-Za-z0-9]{1,8}$/.test(last)) {
      return c.text(`No console file at ${c.req.path}. Reload the console: it may have been rebuilt.`, 404, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    }
    return send(c, b.index, HTML_HEADERS);
  });

  return app;
}

/**
 * `GET /quarry/models`: catalog facts the standard listings do not carry (Bedrock's ListFoundationModels and OpenAI's
 * /v1/models have no context window, price or placement), for the console's Models page and its cost figures. Quarry's
 * own APIs live under /quarry/; this one is allowed to whoever may list foundation models.
 */
export function consoleApiRoutes(deps: Pick<ApiDeps, 'runtime'>): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/quarry/models', async (c) => {
    await authorizeRequest(c, 'bedrock:ListFoundationModels', '*');
    const models = await deps.runtime.listModels();
    return c.json({
      models: models.map((m) => ({
        id: m.id,
        name: m.name,
        providerId: m.providerId,
        kind: m.kind,
        inputModalities: m.inputModalities,
        outputModalities: m.outputModalities,
        ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
        ...(m.maxOutputTokens ? { maxOutputTokens: m.maxOutputTokens } : {}),
        ...(m.embeddingDimensions ? { embeddingDimensions: m.embeddingDimensions } : {}),
        ...(m.pricing ? { pricing: m.pricing } : {}),
        runsOn: m.runsOn,
        supportsTools: m.supportsTools,
        supportsStreaming: m.supportsStreaming,
      })),
    });
  });
  return app;
}
