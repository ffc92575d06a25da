/**
 * Web mode's host: serves the built renderer and the contract over HTTP (POST /api/op/<name>) and
 * server-sent events (GET /api/events), on 127.0.0.1 only, behind a per-launch random token.
 * The launch URL carries the token once; the host swaps it for an HttpOnly, SameSite=Strict cookie and
 * redirects to a clean URL, so the token never sits in the address bar or in reach of scripts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { WireError } from '../../shared/errors';
import type { Core } from '../core/host/core';
import { randomToken } from '../core/random';
import { SECURITY_HEADERS, bearerToken, isOwnHost, isSameOrigin, tokenCookieName, tokenMatches } from './security';

/** How to start the web host. */
export interface WebHostOptions {
  core: Core;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** Tests may fix the token; otherwise a fresh 256-bit token per launch. */
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
  /** The URL to open: it carries the token. */
  readonly url: string;
  close(): Promise<void>;
}

function wire(reply: FastifyReply, status: number, error: WireError): FastifyReply {
  return reply.code(status).type('application/json').send({ ok: false, error });
}

/** Starts the web host on 127.0.0.1. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core } = options;
  const token = options.token ?? randomToken(32);
  const maxStreams = options.maxEventStreams ?? 16;
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
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

  await app.register(fastifyCookie);

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
    const cookieName = tokenCookieName(port);
    const launchToken = (request.query as Record<string, unknown> | undefined)?.['token'];
    if (request.method === 'GET' && typeof launchToken === 'string') {
      if (!tokenMatches(launchToken, token)) {
        return wire(reply, 401, { code: 'UNAUTHORIZED', message: 'Refused: the token in the URL is not this launch\'s token.' });
      }
      reply.setCookie(cookieName, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: false });
      return reply.code(303).header('location', '/').send();
    }
    const presented = request.cookies[cookieName] ?? bearerToken(request.headers.authorization);
    if (!tokenMatches(presented, token)) {
      return wire(reply, 401, {
        code: 'UNAUTHORIZED',
        message: presented === undefined ? 'Refused: no token. Open the URL Parley printed when it started.' : 'Refused: wrong token.',
      });
    }
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return wire(reply, 413, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${options.bodyLimit ?? 2 * 1024 * 1024} bytes.` });
    if (status === 415) return wire(reply, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the input as application/json.' });
    if (status >= 400 && status < 500) return wire(reply, status, { code: 'INVALID_INPUT', message: `The request is malformed: ${error.message}` });
    console.error('[parley:web] unexpected error:', error);
    return wire(reply, 500, { code: 'INTERNAL', message: 'An unexpected error occurred.' });
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
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = core.events.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      openStreams -= 1;
    });
  });

  await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html', wildcard: true, cacheControl: false, etag: false, lastModified: false });

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
    url: `${origin}/?token=${token}`,
    async close() {
      await app.close();
    },
  };
}
