/**
 * `/authorize` (GET, and POST with a form body as OIDC Core §3.1.2.1 allows): assemble and validate the
 * request (plain, JAR by value, or PAR request_uri), then continue to sign-in, consent and the code.
 * Errors go to the client's redirect_uri only when it was verified (E-5); otherwise the HTML error page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { HtmlError } from '../../errors';
import { readParams } from '../../checks/params';
import { formBodyParams } from '../body';
import { continueAuthorization } from '../interaction/flow';
import { deliverAuthorizationError } from '../interaction/respond';
import type { Delivery } from './assemble';
import { assembleAuthorization } from './assemble';

/** Registers GET and POST /authorize. */
export function registerAuthorize(app: FastifyInstance, ctx: ServerContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const trace = request.trace;
    const delivery: Delivery = {};
    try {
      const params = request.method === 'POST' ? formBodyParams(request) : readParams(request.query, 'query', trace);
      const assembled = await assembleAuthorization(params, ctx, trace, delivery);
      return continueAuthorization(request, reply, ctx, assembled.request, assembled.parAuthMethod);
    } catch (e) {
      if (e instanceof HtmlError) throw e;
      return deliverAuthorizationError(request, reply, ctx, e, delivery.target, delivery.state);
    }
  };
  const config = { endpoint: 'authorize', errors: 'html' as const };
  app.get('/authorize', { config }, handler);
  app.post('/authorize', { config }, handler);
}
