// The dashboard as a server plugin: the built single-page app at / (index.html and hashed
// /assets/*), and its live feed (/v1/stream, src/dashboard/stream.ts). Without a build it
// still starts, and / says how to build the app.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Network } from '../service/service.js';
import { StatsCollector } from './stats.js';
import { StreamHub, StreamTokens, streamRoutes } from './stream.js';

export interface DashboardOptions {
  /** The Vite build; by default src/dashboard/web/dist (also found from a compiled dist/). */
  readonly distDir?: string;
}

/** Where the built app is: next to this module (run from src/), or in src/ (run from dist/). */
export function defaultDistDir(): string {
  const candidates = [
    new URL('./web/dist/', import.meta.url),
    new URL('../../src/dashboard/web/dist/', import.meta.url),
  ].map((url) => fileURLToPath(url));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0] ?? '';
}

/** The page's policy: its own scripts only, API calls to this origin, never framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Corridor dashboard: not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b2733}
code{background:#eef2f5;padding:.1rem .3rem;border-radius:.2rem}</style></head>
<body><main><h1>The dashboard is not built</h1>
<p>This Corridor server is running, but the dashboard's web app has not been built. Run</p>
<p><code>npm run build:web</code></p>
<p>(<code>npm install</code> also builds it), then restart the server. The API works meanwhile:
see <a href="/docs">/docs</a>.</p></main></body></html>
`;

function sendPage(reply: FastifyReply, file: string): FastifyReply {
  // Read on each request (a few hundred bytes), so a rebuild is picked up without a restart.
  let html: string;
  try {
    html = readFileSync(file, 'utf8');
  } catch {
    return reply.code(503).headers(PAGE_HEADERS).send(NOT_BUILT);
  }
  return reply.code(200).headers(PAGE_HEADERS).send(html);
}

async function serveApp(app: FastifyInstance, distDir: string): Promise<void> {
  const built = existsSync(join(distDir, 'index.html'));
  if (!built) app.log.warn(`dashboard: no build in ${distDir}; run "npm run build:web"`);
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    built
      ? sendPage(reply, join(distDir, 'index.html'))
      : reply.code(503).headers(PAGE_HEADERS).send(NOT_BUILT),
  );
  app.get('/favicon.svg', { schema: { hide: true } }, async (_request, reply) => {
    const file = join(distDir, 'favicon.svg');
    if (!existsSync(file)) return reply.callNotFound();
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(readFileSync(file));
  });
  if (!built) return;
  // Vite names assets by content hash: they never change, so they may be cached for a year.
  await app.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    cacheControl: true,
    setHeaders: (reply) => {
      void reply.header('x-content-type-options', 'nosniff');
    },
  });
}

/** The plugin for buildServer({ plugins }): the app at /, and the live stream. */
export function dashboardPlugin(options: DashboardOptions = {}) {
  return async (app: FastifyInstance, network: Network): Promise<void> => {
    const collector = new StatsCollector(network);
    await collector.ready;
    const hub = new StreamHub(network, collector);
    const tokens = new StreamTokens(network.clock);
    // Streams never end by themselves: end them before the server waits for its connections.
    app.addHook('preClose', async () => {
      hub.close();
      collector.close();
    });
    streamRoutes(app, network, hub, tokens);
    await serveApp(app, options.distDir ?? defaultDistDir());
  };
}
