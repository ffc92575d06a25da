/**
 * Replays recorded requests against the embedded server's own Authentication API, in process: the same
 * endpoint code, the same rules, the same directory (where the import recreated the client and its
 * public keys) and the same clock setting — but playing the RECORDED issuer. The recorded JWTs name that
 * issuer (a request object's aud, a client assertion's aud): answering as the issuer they were made for is
 * what makes the replay show the rule that decided the recorded request, not a port or host mismatch of
 * this machine. The replay has its own in-memory stores (no replay cache of this machine's traffic).
 *
 * The plumbing mirrors electron/core/server/app.ts (a trace per request, the one error handler); the
 * Host check is left out because no socket is involved: requests are injected, never listened for.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import type { RequestTrace } from '../../../shared/schemas/server';
import { MAX_BODY_BYTES, sendError } from '../server/app';
import type { ServerContext } from '../server/context';
import { registerAuthenticationRoutes } from '../server/endpoints';
import { OAuthError } from '../server/errors';
import { TraceRecorder } from '../server/trace';

/** One replayed request's answer and the server's trace of it. */
export interface ReplayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  trace: RequestTrace;
}

/** A replay server over a context. */
export interface ReplayServer {
  send(request: { method: 'GET' | 'POST'; path: string; query?: URLSearchParams; headers?: Record<string, string>; body?: string }): Promise<ReplayResponse>;
  close(): Promise<void>;
}

/** Builds the replay server (close it when done). */
export async function createReplayServer(ctx: ServerContext, log: (message: string) => void = () => {}): Promise<ReplayServer> {
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false } });
  await app.register(fastifyFormbody, { bodyLimit: MAX_BODY_BYTES });
  app.decorateRequest('trace', null as unknown as TraceRecorder);
  let finished: ((trace: RequestTrace) => void) | undefined;

  app.addHook('onRequest', async (request) => {
    request.trace = new TraceRecorder(
      request.method,
      request.routeOptions.config.endpoint ?? 'other',
      request.url.split('?')[0] ?? '/',
      ctx.settings().clockOffsetSeconds,
    );
  });
  app.addHook('onResponse', async (request, reply) => {
    finished?.(request.trace.finish(reply.statusCode, request.wireError));
  });
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error, log));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new OAuthError(404, 'invalid_request', `No such endpoint: ${request.method} ${request.url.split('?')[0] ?? ''}`), log),
  );
  await registerAuthenticationRoutes(app, ctx);
  await app.ready();

  return {
    async send({ method, path, query, headers = {}, body }) {
      const traced = new Promise<RequestTrace>((resolve) => (finished = resolve));
      const search = query?.toString();
      const response = await app.inject({ method, url: search ? `${path}?${search}` : path, headers, ...(body === undefined ? {} : { payload: body }) });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the replayed request left no trace')), 5000)));
      const trace = await Promise.race([traced, timeout]).finally(() => {
        clearTimeout(timer);
        finished = undefined;
      });
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
      return { status: response.statusCode, headers: out, body: response.body, trace };
    },
    async close() {
      await app.close();
    },
  };
}
