/**
 * "Check issuer" in the target dialog: fetches an issuer's discovery document in the core (the renderer's
 * CSP forbids the fetch) with the same checks as a flow's discover step, and sums up what it supports.
 * Failures come out as a ParleyError whose message is the step's own plain sentence (unreachable, TLS,
 * timeout, not JSON, invalid document) and whose details carry the step's error code.
 */
import { ParleyError } from '../../../shared/errors';
import { FlowStepError } from './flow-error';
import { discover } from './discovery';
import type { FlowFetch } from './http-exchange';
import type { IssuerSummary } from '../../../shared/schemas/flows';

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** Fetches and checks the issuer's discovery document and returns its summary. */
export async function probeIssuer(fetchFn: FlowFetch, issuer: string, signal: AbortSignal = new AbortController().signal): Promise<IssuerSummary> {
  let found: Awaited<ReturnType<typeof discover>>;
  try {
    // 'plain' asks nothing of the document beyond what every flow needs: PAR support is reported, not required.
    found = await discover(fetchFn, issuer, 'plain', signal);
  } catch (e) {
    if (e instanceof FlowStepError) throw new ParleyError('INVALID_INPUT', e.message, { details: { reason: e.code }, cause: e });
    throw e;
  }
  const { discovery, response } = found;
  // discover() has parsed the body as a JSON object already.
  const doc = JSON.parse(response.text) as Record<string, unknown>;
  const algs = stringList(doc.request_object_signing_alg_values_supported);
  const methods = stringList(doc.token_endpoint_auth_methods_supported);
  return {
    issuer: discovery.issuer,
    authorization_endpoint: discovery.authorization_endpoint,
    token_endpoint: discovery.token_endpoint,
    ...(discovery.pushed_authorization_request_endpoint ? { pushed_authorization_request_endpoint: discovery.pushed_authorization_request_endpoint } : {}),
    ...(discovery.jwks_uri ? { jwks_uri: discovery.jwks_uri } : {}),
    ...(algs ? { request_object_signing_alg_values_supported: algs } : {}),
    ...(methods ? { token_endpoint_auth_methods_supported: methods } : {}),
    ...(typeof doc.require_pushed_authorization_requests === 'boolean'
      ? { require_pushed_authorization_requests: doc.require_pushed_authorization_requests }
      : {}),
    ...(discovery.dpop_signing_alg_values_supported ? { dpop_signing_alg_values_supported: discovery.dpop_signing_alg_values_supported } : {}),
  };
}
