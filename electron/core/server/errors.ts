/**
 * The embedded server's errors, and the one function that decides what goes on the wire.
 * Authentication API errors are OAuth JSON (E-1..E-4); front-channel errors that must not be redirected
 * are an HTML page (E-5, E-6); Management API errors use Auth0's own shape (E-7).
 */
import type { FastifyReply } from 'fastify';
import type { WireFailure } from '../../../shared/jwt/rule';

/** An OAuth error for /oauth/* and /userinfo (JSON), or for /authorize when it may be redirected. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    /** The rule that failed, for the trace. */
    readonly ruleId?: string,
    /** E-4: the scheme the client authenticated with, for WWW-Authenticate on a 401. */
    readonly authScheme?: 'Basic' | 'Bearer',
  ) {
    super(description);
  }

  /**
   * DPoP (ED-2, ED-3, DPN-1): the full `WWW-Authenticate` value(s) (a `DPoP` challenge; replaces the E-4
   * one) and extra response headers (`DPoP-Nonce`), set by the endpoint before the error is sent.
   */
  challenge?: string | string[];
  headers?: Record<string, string>;

  /** From a rule's wire failure. */
  static fromRule(ruleId: string, wire: WireFailure): OAuthError {
    return new OAuthError(wire.status, wire.error, wire.description, ruleId);
  }
}

/** A front-channel error shown as an HTML page (never redirected): unknown client, bad redirect_uri, bad request_uri. */
export class HtmlError extends Error {
  override readonly name = 'HtmlError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly ruleId?: string,
  ) {
    super(description);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

/** A Management API error in Auth0's shape: `{statusCode, error, message, errorCode}`. */
export class ManagementError extends Error {
  override readonly name = 'ManagementError';
  /** For a payload validation failure: the property path and what is wrong with it (a declared tenant names them its own way). */
  field?: { path: string; what: string };
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly ruleId?: string,
  ) {
    super(message);
  }

  /** The body Auth0 sends. */
  body(): { statusCode: number; error: string; message: string; errorCode: string } {
    return { statusCode: this.statusCode, error: REASONS[this.statusCode] ?? 'Error', message: this.message, errorCode: this.errorCode };
  }
}

/** Sends an OAuth JSON error (E-1, E-4). */
export function sendOAuthError(reply: FastifyReply, e: OAuthError): FastifyReply {
  if (e.challenge !== undefined) reply.header('www-authenticate', e.challenge);
  else if (e.status === 401 && e.authScheme) reply.header('www-authenticate', `${e.authScheme} realm="parley"`);
  if (e.headers !== undefined) for (const [name, value] of Object.entries(e.headers)) reply.header(name, value);
  return reply
    .code(e.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json')
    .send({ error: e.error, error_description: e.description });
}

/** Sends a Management API error (E-7). */
export function sendManagementError(reply: FastifyReply, e: ManagementError): FastifyReply {
  return reply.code(e.statusCode).type('application/json').send(e.body());
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Sends the HTML error page (E-5, E-6). */
export function sendHtmlError(reply: FastifyReply, e: HtmlError): FastifyReply {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error · Parley authorization server</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body><main><h1>Oops!, something went wrong</h1><p id="error"><strong>${escapeHtml(e.error)}</strong></p>
<p id="error_description">${escapeHtml(e.description)}</p>${e.ruleId ? `<p><small>Rule ${escapeHtml(e.ruleId)} · see the Parley server log</small></p>` : ''}</main></body></html>`;
  return reply
    .code(e.status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(html);
}
