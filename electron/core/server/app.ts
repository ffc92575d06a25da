/**
 * The embedded Auth0-compatible authorization server: a real Fastify HTTP (or HTTPS) server on 127.0.0.1.
 * This file holds only the plumbing every endpoint shares: the Host check, a trace per request, the body
 * parsers, and the one error handler that decides what goes on the wire. Endpoints live in endpoints/
 * (Authentication API) and management/ (Management API).
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import type { DocumentStoreFactory } from '../store/document-store';
import type { ServerContext } from './context';
import type { ServerUrls } from './urls';
import { serverUrls } from './urls';
import { HtmlError, ManagementError, OAuthError, sendHtmlError, sendManagementError, sendOAuthError } from './errors';
import { registerAuthenticationRoutes } from './endpoints';
import { registerManagementRoutes } from './management/routes';
import type { ServerSettings } from './settings';
import { ServerSettingsStore } from './settings';
import { ServerDirectory } from './management/directory';
import { MemoryStores } from './state/memory';
import { TenantKeys } from './tenant-keys';
import { EndpointState } from './endpoints/state';
import { TraceLog } from './trace-log';
import { TraceRecorder } from './trace';
import type { RequestTrace } from './trace';
import type { StoreNotice } from '../../../shared/schemas/app';
import { recordFailure } from './recording';
import type { RuleText } from '../../../shared/jwt/rule';

/** What the trace records when a handler throws something no rule expected (a bug: the log has the stack). */
const SERVER_FAILURE: RuleText = { id: 'SERVER', summary: 'The server failed unexpectedly.', source: 'Parley' };

/** How an endpoint reports errors: OAuth JSON, Auth0 Management JSON, or an HTML page. */
export type ErrorStyle = 'oauth' | 'management' | 'html';

/** Per-route config every endpoint sets: its name in traces and its error style. */
export interface RouteConfig {
  endpoint: string;
  errors: ErrorStyle;
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: TraceRecorder;
    /** The error sent, for the trace. */
    wireError?: { error: string; description: string };
  }
  interface FastifyContextConfig {
    endpoint?: string;
    errors?: ErrorStyle;
  }
}

/** Largest body any endpoint accepts; endpoints lower it (PAR: 10 KB, PAR-3). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How to start the server. */
export interface AuthServerOptions {
  store: DocumentStoreFactory;
  notices: StoreNotice[];
  /** 0 picks a free port; default: the saved setting. */
  port?: number;
  /** Overrides applied to the saved settings at start (e.g. `--profile strict`), and saved. */
  settings?: Partial<ServerSettings>;
  /** Shared with the host so settings survive restarts of the HTTP server; created from `store` if absent. */
  settingsStore?: ServerSettingsStore;
  /** Shared with the host so clients and users stay reachable while the HTTP server restarts. */
  directory?: ServerDirectory;
  /** Receives every trace (the app streams them to the renderer). */
  onTrace?: (trace: RequestTrace) => void;
  /** Whether `onTrace` is listening now; when it says no, a trace is not built for it (TraceLog.subscribe). */
  onTraceActive?: () => boolean;
  /** Capacity of the trace log. */
  traceCapacity?: number;
  /**
   * Rate limits and sign-in throttling (PAR-19, SES-7); default true. `npm run bench` turns them off to
   * measure the endpoints rather than the limiter (docs/performance.md), and `npm run server -- --rate-limits
   * off` for CI suites that push or fail sign-ins faster than a person would. Every other rule still applies.
   */
  rateLimits?: boolean;
  /**
   * Serve https with this certificate and key (tls/local-ca.ts); the issuer is then `https://127.0.0.1:PORT/`.
   * Absent: plain http.
   */
  tls?: { certPem: string; keyPem: string };
  /** Host names besides 127.0.0.1 and localhost that the Host check accepts (`--host-name`, in the certificate too). */
  hostNames?: readonly string[];
  log?: (message: string) => void;
}

/** A running server. */
export interface AuthServer {
  readonly urls: ServerUrls;
  readonly port: number;
  readonly ctx: ServerContext;
  readonly settingsStore: ServerSettingsStore;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

function styleOf(request: FastifyRequest): ErrorStyle {
  return request.routeOptions.config.errors ?? (request.url.startsWith('/api/') ? 'management' : request.url.startsWith('/oauth/') ? 'oauth' : 'html');
}

function frameworkError(style: ErrorStyle, status: number, message: string): OAuthError | ManagementError | HtmlError {
  if (style === 'management') {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'invalid_body';
    return new ManagementError(status, code, message);
  }
  if (style === 'oauth') return new OAuthError(status, 'invalid_request', message);
  return new HtmlError(status, 'invalid_request', message);
}

/** Sends any error in the route's style and remembers it for the trace. The one place that decides the wire. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, log: (m: string) => void): FastifyReply {
  let e: unknown = error;
  if (!(e instanceof OAuthError || e instanceof HtmlError || e instanceof ManagementError)) {
    const fe = e as Partial<FastifyError>;
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const message =
        status === 413
          ? 'The request body is too large.'
          : status === 415
            ? `Unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}.`
            : `The request is malformed (${fe.message ?? 'bad request'}).`;
      e = frameworkError(styleOf(request), status, message);
    } else {
      log(
        `[parley:server] unexpected error on ${request.method} ${request.url.split('?')[0]}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      recordFailure(request.trace, SERVER_FAILURE, 'no error', error instanceof Error ? error.message : String(error));
      e =
        styleOf(request) === 'management' ? new ManagementError(500, 'server_error', 'Internal error') : new OAuthError(500, 'server_error', 'Internal error');
    }
  }
  // A browser page never answers JSON: an OAuth error escaping an HTML route (AZR-9/AZQ-6 from readParams on
  // /u/login, /u/consent, logout) is shown as the error page, like every other error of that route.
  if (e instanceof OAuthError && request.routeOptions.config.errors === 'html') e = new HtmlError(e.status, e.error, e.description, e.ruleId);
  if (e instanceof OAuthError) {
    request.wireError = { error: e.error, description: e.description };
    if (e.ruleId && !request.trace.failedRule) request.trace.failedRule = e.ruleId;
    return sendOAuthError(reply, e);
  }
  if (e instanceof ManagementError) {
    request.wireError = { error: e.errorCode, description: e.message };
    if (e.ruleId && !request.trace.failedRule) request.trace.failedRule = e.ruleId;
    return sendManagementError(reply, e);
  }
  const html = e as HtmlError;
  request.wireError = { error: html.error, description: html.description };
  if (html.ruleId && !request.trace.failedRule) request.trace.failedRule = html.ruleId;
  return sendHtmlError(reply, html);
}

/** Starts the embedded server on 127.0.0.1. */
export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const log = options.log ?? ((m: string) => console.error(m));
  const settingsStore = options.settingsStore ?? new ServerSettingsStore(options.store, options.notices);
  if (options.settings && Object.keys(options.settings).length > 0) settingsStore.update(options.settings);
  const directory = options.directory ?? new ServerDirectory(options.store, options.notices);
  const keys = await TenantKeys.create();
  const traces = new TraceLog(options.traceCapacity ?? 1000);
  if (options.onTrace) traces.subscribe(options.onTrace, options.onTraceActive);
  const memory = new MemoryStores();

  // With `https` Fastify's instance is typed over https.Server; every route and hook is the same code. A client
  // certificate is asked for but never required, nor checked against a CA (mtls.ts): clients without one
  // connect as before, and one that sends one can get certificate-bound tokens (RFC 8705, DPB-15).
  const app = Fastify({
    ...(options.tls
      ? {
          https: {
            cert: options.tls.certPem,
            key: options.tls.keyPem,
            minVersion: 'TLSv1.2' as const,
            requestCert: true,
            rejectUnauthorized: false,
          },
        }
      : {}),
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    forceCloseConnections: true,
    return503OnClosing: true,
    // A path that is not valid percent-encoding, or a path parameter over maxParamLength, is refused by the
    // router before any route or hook runs: answer it in the path's error style too, not in Fastify's own JSON.
    frameworkErrors: (error, request, reply) => sendError(request, reply, error, log),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false },
  }) as unknown as FastifyInstance;
  const scheme = options.tls ? 'https' : 'http';
  const extraHosts = (options.hostNames ?? []).map((name) => (name.includes(':') ? `[${name}]` : name));
  await app.register(fastifyFormbody, { bodyLimit: MAX_BODY_BYTES });
  app.decorateRequest('trace', null as unknown as TraceRecorder);

  let port = 0;
  let urls: ServerUrls = serverUrls(`${scheme}://127.0.0.1:0/`);
  const ctx: ServerContext = {
    get urls() {
      return urls;
    },
    settings: () => settingsStore.get(),
    updateSettings: (patch) => settingsStore.update(patch),
    directory,
    keys,
    memory,
    traces,
    endpointState: new EndpointState(),
    rateLimits: options.rateLimits ?? true,
  };

  // Callback-style hooks (no promise per request): these two run on every request.
  app.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    const query = url.indexOf('?');
    request.trace = new TraceRecorder(
      request.method,
      request.routeOptions.config.endpoint ?? 'other',
      query < 0 ? url : url.slice(0, query),
      settingsStore.get().clockOffsetSeconds,
    );
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    const host = request.headers.host;
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}` && !(extraHosts.length > 0 && extraHosts.some((name) => host === `${name}:${port}`))) {
      // Answered here: the request goes no further (done is not called).
      sendError(
        request,
        reply,
        frameworkError(styleOf(request), 400, `Refused: the Host header ${JSON.stringify(host ?? '')} is not this server (DNS rebinding protection).`),
        log,
      );
      return;
    }
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    // Sealed, not built: the log builds the full trace when someone reads it (trace.ts).
    if (request.trace) traces.add(request.trace.seal(reply.statusCode, request.wireError));
    done();
  });

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error, log));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, frameworkError(styleOf(request), 404, `No such endpoint: ${request.method} ${request.url.split('?')[0] ?? ''}`), log),
  );

  await registerAuthenticationRoutes(app, ctx);
  await registerManagementRoutes(app, ctx);

  await app.listen({ host: '127.0.0.1', port: options.port ?? settingsStore.get().port });
  port = (app.server.address() as AddressInfo).port;
  urls = serverUrls(`${scheme}://127.0.0.1:${port}/`);
  await directory.ensureBootstrap(urls);

  return {
    get urls() {
      return urls;
    },
    port,
    ctx,
    settingsStore,
    app,
    async close() {
      await app.close();
    },
  };
}
