/**
 * Request bodies of the Authentication API. Form bodies are parsed by @fastify/formbody and JSON by
 * Fastify; any other content type is accepted by a catch-all parser that keeps nothing, so the endpoint
 * (not the framework) answers, with its rule id in the trace (PAR-2) and its own error style.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HtmlError } from '../errors';
import type { TraceRecorder } from '../trace';
import { fail } from '../checks/outcome';
import type { Params } from '../checks/params';
import { readParams } from '../checks/params';

/** The marker body of a request whose content type no parser understood. */
export class UnparsedBody {
  constructor(readonly contentType: string) {}
}

/** The media type of the request, lower-case, without parameters ('' when absent). */
export function mediaType(request: FastifyRequest): string {
  const raw = request.headers['content-type'];
  return (typeof raw === 'string' ? raw : '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Registers the catch-all parser in the endpoints' scope. */
export function acceptAnyBody(scope: FastifyInstance): void {
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, _body, done) => {
    done(null, new UnparsedBody(mediaType(request)));
  });
}

/** How a body was sent. */
export type BodyKind = 'form' | 'json' | 'none' | 'other';

/** Classifies the body. */
export function bodyKind(request: FastifyRequest): BodyKind {
  if (request.body === undefined || request.body === null)
    return mediaType(request) === '' ? 'none' : mediaType(request) === 'application/x-www-form-urlencoded' ? 'form' : 'other';
  if (request.body instanceof UnparsedBody) return 'other';
  const type = mediaType(request);
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return 'other';
}

/** Reads the body's parameters (form or JSON). */
export function bodyParams(request: FastifyRequest, trace: TraceRecorder): Params {
  const kind = bodyKind(request);
  return readParams(kind === 'form' || kind === 'json' ? request.body : undefined, kind === 'json' ? 'json' : 'form', trace);
}

/** The form body of a front-channel POST (sign-in, consent, POST /authorize), or the HTML error page (AZQ-6). */
export function formBodyParams(request: FastifyRequest): Params {
  if (bodyKind(request) !== 'form') {
    const e = fail(request.trace, {
      rule: 'AZQ-6',
      expected: 'application/x-www-form-urlencoded',
      actual: String(request.headers['content-type'] ?? '(none)'),
      wire: { status: 400, error: 'invalid_request', description: 'The form must be sent as application/x-www-form-urlencoded.' },
    });
    throw new HtmlError(e.status, e.error, e.description, e.ruleId);
  }
  return readParams(request.body, 'form', request.trace);
}
