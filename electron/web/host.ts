/**
 * Web mode's host: serves the built renderer and the contract over HTTP (POST /api/op/<name>) and
 * events as a stream of JSON lines (GET /api/events), on 127.0.0.1 only.
 *
 * Access: a launch URL (`/?token=…`) works once. Opening it answers the page with a session secret in a
 * `<meta name="parley-session">` the renderer moves into its tab's sessionStorage (per origin, so per port);
 * the renderer then sends `Authorization: Bearer <session>` on every contract call and on the event stream
 * (fetch streaming, since EventSource cannot send headers). No cookie is set: browsers send 127.0.0.1's
 * cookies to every port, so any local server the browser visits would receive one. The page and its assets
 * hold no secret and are served without a session; everything under /api/ needs one.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { WireError } from '../../shared/errors';
import type { Core } from '../core/host/core';
import { SECURITY_HEADERS, bearerToken, isOwnHost, isPrefetch, isSameOrigin } from './security';
import { SessionBook } from './sessions';

/** How to start the web host. */
export interface WebHostOptions {
  core: Core;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** Tests may fix the first launch token; otherwise a fresh 256-bit one. */
  token?: string;
  /** Largest accepted request body in bytes (larger bodies get 413 without being buffered whole). */
  bodyLimit?: number;
  /** At most this many open event streams. */
  maxEventStreams?: number;
}

/** A running web host. */
export interface WebHost {
  readonly port: number;
  readonly origin: string;
  /** The first launch URL: it carries a single-use token. */
  readonly url: string;
  /** Makes another single-use launch URL (for another tab or browser). */
  newLaunchUrl(): string;
  close(): Promise<void>;
}

function wire(reply: FastifyReply, status: number, error: WireError): FastifyReply {
  return reply.code(status).type('application/json').send({ ok: false, error });
}

const HOW_TO_GET_A_LINK = 'press Enter in the terminal where Parley runs (with --json, write a line to its standard input)';
const NO_SESSION = `Refused: no session. Contract calls carry the header Authorization: Bearer <session>, which a page gets by opening a launch URL; for a new launch URL, ${HOW_TO_GET_A_LINK}.`;
const WRONG_SESSION = `Refused: the Authorization header is not a session of this launch (a launch token is not a session, and sessions end when Parley stops). For a new launch URL, ${HOW_TO_GET_A_LINK}.`;
const USED_TOKEN = `This launch link was already used. Each launch link opens Parley once, in one browser tab (which keeps working, reloads included). For a new one, ${HOW_TO_GET_A_LINK}.`;
const UNKNOWN_TOKEN = `This is not a launch link of this Parley: it may come from an earlier launch, or be mistyped. Open the link Parley printed, or for a new one, ${HOW_TO_GET_A_LINK}.`;

/** A page a person reads when a launch link is refused (the renderer is not loaded then). */
function refusalPage(heading: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Parley: ${heading}</title></head>
<body>
<main>
<h1>${heading}</h1>
<p>${text}</p>
</main>
</body>
</html>
`;
}

/** The renderer's page with the session embedded once, where only the renderer's script reads it. */
function withSession(indexHtml: string, session: string): string {
  const meta = `<meta name="parley-session" content="${session}">`;
  const head = /<head(\s[^>]*)?>/i.exec(indexHtml);
  if (head) return indexHtml.slice(0, head.index + head[0].length) + meta + indexHtml.slice(head.index + head[0].length);
  const doctype = /^<!doctype html>/i.exec(indexHtml);
  return doctype ? doctype[0] + meta + indexHtml.slice(doctype[0].length) : meta + indexHtml;
}

/** How long a browser may keep a hashed asset: a year, never revalidated (its name changes with its content). */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * True for a file of the build named after its content's hash, such as `assets/index-CMtuQok6.js` or its
 * `.br`/`.gz` (Vite's `assets/[name]-[hash][extname]`); the path is relative to the renderer's directory.
 */
export function isHashedAsset(relativePath: string): boolean {
  return /^assets[/\\][^/\\]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.br|\.gz)?$/.test(relativePath);
}

const SessionRequest = z.object({ token: z.string().min(1).max(512) }).strict();

/** Starts the web host on 127.0.0.1. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core } = options;
  const sessions = new SessionBook();
  const firstToken = sessions.issueLaunchToken(options.token);
  const indexPath = join(options.rendererDir, 'index.html');
  const maxStreams = options.maxEventStreams ?? 16;
  if (!existsSync(indexPath)) {
    throw new Error(`The renderer is not built (no index.html in ${options.rendererDir}). Run: npm run build:renderer`);
  }

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 200 },
  });
  // Only JSON is accepted: a cross-site HTML form cannot send it without a CORS preflight.
  app.removeContentTypeParser('text/plain');
  let port = 0;
  let openStreams = 0;
  /** Responses that are sending a hashed asset of the build. */
  const immutable = new WeakSet<object>();

  /** Answers a launch URL: the page with a new session the first time, a readable refusal after. */
  const launch = async (request: FastifyRequest, reply: FastifyReply, token: unknown): Promise<FastifyReply> => {
    if (request.method !== 'GET') return reply.code(405).header('allow', 'GET').type('text/plain; charset=utf-8').send('A launch link is opened with GET.');
    if (isPrefetch(request.headers)) {
      return reply.code(503).type('text/plain; charset=utf-8').send('Not prefetched: a launch link works once, when it is opened.');
    }
    // Read the page first: a failure here must not spend the link.
    let indexHtml: string;
    try {
      indexHtml = await readFile(indexPath, 'utf8');
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return reply
        .code(500)
        .type('text/plain; charset=utf-8')
        .send(`The renderer's page could not be read (${reason}); the launch link was not used. Run: npm run build:renderer`);
    }
    const redeemed = typeof token === 'string' ? sessions.redeem(token) : ({ ok: false, reason: 'unknown' } as const);
    if (!redeemed.ok) {
      const used = redeemed.reason === 'used';
      return reply
        .code(used ? 410 : 401)
        .type('text/html; charset=utf-8')
        .send(used ? refusalPage('This launch link was already used', USED_TOKEN) : refusalPage('This is not a launch link of this Parley', UNKNOWN_TOKEN));
    }
    return reply.code(200).type('text/html; charset=utf-8').send(withSession(indexHtml, redeemed.session));
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!isOwnHost(request.headers.host, port)) {
      return wire(reply, 403, { code: 'FORBIDDEN_HOST', message: `Refused: the Host header ${JSON.stringify(request.headers.host ?? '')} is not this host.` });
    }
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    if (!isSameOrigin(origin, typeof site === 'string' ? site : undefined, port)) {
      return wire(reply, 403, { code: 'FORBIDDEN_ORIGIN', message: `Refused: cross-origin request from ${JSON.stringify(origin ?? site ?? '')}.` });
    }
    // Decided by the route that matched, not by the raw path, so no spelling of a path reaches the API unchecked.
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/')) {
      const launchToken = (request.query as Record<string, unknown> | undefined)?.['token'];
      if (launchToken !== undefined) return launch(request, reply, launchToken);
      return; // the page and its assets hold no secret
    }
    // The exchange for automation is authorised by the launch token in its body.
    if (route === '/api/session') return;
    const presented = bearerToken(request.headers.authorization);
    if (!sessions.isSession(presented)) {
      return wire(reply, 401, { code: 'UNAUTHORIZED', message: request.headers.authorization === undefined ? NO_SESSION : WRONG_SESSION });
    }
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413)
      return wire(reply, 413, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${options.bodyLimit ?? 2 * 1024 * 1024} bytes.` });
    if (status === 415) return wire(reply, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the input as application/json.' });
    if (status >= 400 && status < 500) return wire(reply, status, { code: 'INVALID_INPUT', message: `The request is malformed: ${error.message}` });
    console.error('[parley:web] unexpected error:', error);
    return wire(reply, 500, { code: 'INTERNAL', message: 'An unexpected error occurred.' });
  });

  // Automation's way in (the browser's is the launch URL): swaps a launch token for a session, once.
  app.post('/api/session', async (request, reply) => {
    const parsed = SessionRequest.safeParse(request.body);
    if (!parsed.success) return wire(reply, 400, { code: 'INVALID_INPUT', message: 'Send {"token": "<the launch URL\'s token>"} as application/json.' });
    const redeemed = sessions.redeem(parsed.data.token);
    if (!redeemed.ok) return wire(reply, 401, { code: 'UNAUTHORIZED', message: redeemed.reason === 'used' ? USED_TOKEN : UNKNOWN_TOKEN });
    return reply
      .code(200)
      .type('application/json')
      .send({ ok: true, value: { session: redeemed.session } });
  });

  app.post<{ Params: { name: string } }>('/api/op/:name', async (request, reply) => {
    const result = await core.dispatch(request.params.name, request.body ?? {});
    const status = result.ok ? 200 : result.error.code === 'UNKNOWN_OPERATION' ? 404 : result.error.code === 'INTERNAL' ? 500 : 200;
    return reply.code(status).type('application/json').send(result);
  });

  app.get('/api/events', (request, reply) => {
    if (openStreams >= maxStreams) {
      return wire(reply, 429, { code: 'INVALID_INPUT', message: `Too many open event streams (at most ${maxStreams}).` });
    }
    openStreams += 1;
    reply.hijack();
    const res = reply.raw;
    // One event per line (JSON.stringify never writes a raw newline); blank lines are keep-alives.
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'application/x-ndjson; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('\n');
    const unsubscribe = core.events.subscribe((event) => {
      res.write(`${JSON.stringify(event)}\n`);
    });
    const heartbeat = setInterval(() => res.write('\n'), 25_000);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      openStreams -= 1;
    });
  });

  // The build's assets: the `.br` or `.gz` the web build wrote beside each one (renderer/vite.config.ts) when
  // the browser accepts it, else the file itself. A file whose name carries its content's hash never changes,
  // so the browser keeps it for a year without asking again; everything else (index.html, the favicon)
  // keeps the no-store set for every response above, so a rebuilt renderer is picked up at the next load.
  await app.register(fastifyStatic, {
    root: options.rendererDir,
    index: 'index.html',
    wildcard: true,
    preCompressed: true,
    cacheControl: false,
    etag: false,
    lastModified: false,
    setHeaders: (res, path) => {
      res.setHeader('vary', 'accept-encoding');
      if (isHashedAsset(relative(options.rendererDir, path))) immutable.add(res);
    },
  });
  // Decided by the file actually sent (setHeaders above), not by the URL: a missing asset's URL gets
  // index.html from the not-found handler, which must not be kept. Set here, as the reply's own headers
  // (the no-store of onRequest) would override one set on the raw response.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (immutable.has(reply.raw)) reply.header('cache-control', IMMUTABLE);
    done(null, payload);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return wire(reply, 404, { code: 'NOT_FOUND', message: `No such route: ${request.method} ${request.url.split('?')[0] ?? ''}` });
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  port = (app.server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    url: `${origin}/?token=${firstToken}`,
    newLaunchUrl: () => `${origin}/?token=${sessions.issueLaunchToken()}`,
    async close() {
      await app.close();
    },
  };
}
