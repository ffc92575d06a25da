/**
 * CORS for the Authentication API endpoints a browser app on another origin calls (ED-3), the way Auth0 applies
 * it to a SPA:
 *
 * - A preflight (OPTIONS) is answered for any origin: it carries no body, so the client is not known yet. It
 *   allows the methods of the path and the request headers Auth0's SPA SDK sends (`DPoP`, `Auth0-Client`,
 *   `Authorization`, `Content-Type`).
 * - Discovery, the JWKS and /userinfo answer any origin: public documents, and /userinfo's credential is the
 *   access token in a header, never a cookie.
 * - /oauth/token and /oauth/revoke answer only an origin the client lists: Allowed Origins (CORS)
 *   (`allowed_origins`; Auth0 also allows the origins of its callbacks by default) or Allowed Web Origins
 *   (`web_origins`), a `https://*.example.com` entry covering subdomains. The check is a step of each endpoint
 *   once the client is authenticated (`crossOriginCaller`); another origin is refused with 401 access_denied,
 *   as Auth0 answers an origin missing from the client's lists, and without CORS headers, so the browser hides
 *   the answer from the page as Auth0's does.
 * - Every CORS answer names the origin (`Vary: Origin`) and exposes `DPoP-Nonce` and `WWW-Authenticate`: without
 *   them a SPA can never read the nonce of a `use_dpop_nonce` challenge. No credentials: no cookie crosses.
 *   `/oauth/par` has none: Auth0 accepts PAR from confidential clients only (PAR-4), which never run in a browser.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { pass } from '../recording';
import { DPOP_RULES } from '../rules-dpop';
import type { StepResult } from '../steps';
import { refuse } from '../steps';
import type { ClientView } from '../state/types';

declare module 'fastify' {
  interface FastifyRequest {
    /** The cross-origin caller this answer is shared with (set once it is allowed; the onSend hook writes the headers). */
    corsOrigin?: string;
  }
}

/** Request headers a preflight allows: what Auth0's SPA SDK and its fetcher send. */
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, DPoP, Auth0-Client';
/** Response headers a page may read: the DPoP nonce and the challenge of a refused token (ED-2, ED-3). */
export const CORS_EXPOSED_HEADERS = 'DPoP-Nonce, WWW-Authenticate';
/** How long a browser may keep a preflight's answer (Chromium keeps at most 2 hours). */
export const CORS_MAX_AGE_SECONDS = 7200;

/** The paths with CORS, their methods, and whether any origin is allowed or only the client's. */
const CORS_PATHS: ReadonlyMap<string, { methods: string; anyOrigin: boolean }> = new Map([
  ['/.well-known/openid-configuration', { methods: 'GET', anyOrigin: true }],
  ['/.well-known/oauth-authorization-server', { methods: 'GET', anyOrigin: true }],
  ['/.well-known/jwks.json', { methods: 'GET', anyOrigin: true }],
  ['/userinfo', { methods: 'GET, POST', anyOrigin: true }],
  ['/oauth/token', { methods: 'POST', anyOrigin: false }],
  ['/oauth/revoke', { methods: 'POST', anyOrigin: false }],
]);

/** The Origin of a cross-origin request (undefined for a same-origin or non-browser one). */
function crossOrigin(request: FastifyRequest, ctx: ServerContext): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '') return undefined;
  // The Host header was checked against this server's names (app.ts), so this is the server's own origin.
  return origin === `${new URL(ctx.urls.issuer).protocol}//${request.headers.host ?? ''}` ? undefined : origin;
}

/** Whether an entry of a client's URL lists allows `origin`: the same origin, or a `*.` subdomain pattern (Auth0's wildcard). */
function entryAllows(entry: string, origin: string): boolean {
  let want: URL;
  let got: URL;
  try {
    want = new URL(entry);
    got = new URL(origin);
  } catch {
    return false;
  }
  if (want.protocol !== got.protocol || want.port !== got.port) return false;
  return want.hostname.startsWith('*.') ? got.hostname.endsWith(want.hostname.slice(1)) : want.hostname === got.hostname;
}

/** Which of the client's lists allows `origin`, or undefined. */
function listAllowing(client: ClientView, origin: string): string | undefined {
  const lists: [string, readonly string[]][] = [
    ['allowed_origins', client.allowed_origins],
    ['web_origins', client.web_origins],
    ['callbacks', client.callbacks],
  ];
  return lists.find(([, entries]) => entries.some((entry) => entryAllows(entry, origin)))?.[0];
}

/** What the ED-3 step of /oauth/token and /oauth/revoke expects. */
export const CROSS_ORIGIN_EXPECTED = "no Origin, or one in the client's allowed_origins, web_origins or callbacks";

/**
 * The step of /oauth/token and /oauth/revoke that decides a cross-origin caller (ED-3), once the client is
 * known: an allowed origin gets the CORS headers on the answer, errors included; another is refused.
 */
export function crossOriginCaller(c: { request: FastifyRequest; ctx: ServerContext }, client: ClientView): StepResult {
  const origin = crossOrigin(c.request, c.ctx);
  if (origin === undefined) return undefined;
  const list = listAllowing(client, origin);
  if (list === undefined)
    throw refuse(`Origin ${origin.slice(0, 200)}`, {
      wire: {
        status: 401,
        error: 'access_denied',
        description: `Unauthorized: the origin ${origin.slice(0, 200)} is not in the client's Allowed Origins (CORS) or Allowed Web Origins.`,
      },
    });
  c.request.corsOrigin = origin;
  return `Origin ${origin} (in ${list})`;
}

function corsHeaders(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
}

/** Registers the preflights and the hooks that put the CORS headers on the answers (in the Authentication API scope). */
export function registerCors(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', (request, reply, done) => {
    const query = request.url.indexOf('?');
    const path = CORS_PATHS.get(query < 0 ? request.url : request.url.slice(0, query));
    if (path === undefined) return done();
    // Every answer of these paths depends on the Origin (which caches may not share).
    reply.header('vary', 'Origin');
    const origin = crossOrigin(request, ctx);
    if (origin !== undefined && path.anyOrigin && request.method !== 'OPTIONS') request.corsOrigin = origin;
    done();
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.corsOrigin !== undefined) corsHeaders(reply, request.corsOrigin);
    done(null, payload);
  });

  for (const [path, { methods }] of CORS_PATHS) {
    app.options(path, { config: { endpoint: 'preflight', errors: 'oauth' } }, (request, reply) => {
      const origin = crossOrigin(request, ctx);
      reply.header('allow', `${methods}, OPTIONS`);
      if (origin === undefined) return reply.code(204).send();
      // Any origin: the client is only known from the actual request's body (ED-3 is checked there).
      pass(request.trace, DPOP_RULES['ED-3'], `a preflight allowing ${methods} with ${CORS_ALLOWED_HEADERS}`, `Origin ${origin}`);
      corsHeaders(reply, origin);
      return reply
        .code(204)
        .header('access-control-allow-methods', methods)
        .header('access-control-allow-headers', CORS_ALLOWED_HEADERS)
        .header('access-control-max-age', String(CORS_MAX_AGE_SECONDS))
        .send();
    });
  }
}
