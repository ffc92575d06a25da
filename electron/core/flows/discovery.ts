/** Step `discover`: GET {issuer}.well-known/openid-configuration, checked before anything relies on it. */
import { z } from 'zod';
import type { FlowKind } from '../../../shared/schemas/flows';
import { RequestRefusedError, checkRequestUrl } from '../http/request-policy';
import { FlowStepError } from './flow-error';
import type { FlowFetch, FlowResponse } from './http-exchange';
import { jsonObject, sendRecorded } from './http-exchange';

// The shape only: whether the core may send anything to an endpoint is the request policy's to say (below).
const endpoint = z.string().min(1);

/** The endpoints a flow may send requests to (or open in the browser): each must pass the request policy. */
const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'pushed_authorization_request_endpoint'] as const;

/** The members of a discovery document a flow uses. */
export const discoverySchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: endpoint,
  token_endpoint: endpoint,
  jwks_uri: endpoint.optional(),
  pushed_authorization_request_endpoint: endpoint.optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
  // Used by DPoP targets only, so a malformed value does not fail other flows' discovery (read as absent).
  userinfo_endpoint: endpoint.optional().catch(undefined),
  dpop_signing_alg_values_supported: z.array(z.string()).optional().catch(undefined),
  // The algs request objects and client assertions are signed with (RFC 8414 §2); malformed reads as absent,
  // which keeps the key's first alg, as before these were read.
  request_object_signing_alg_values_supported: z.array(z.string()).optional().catch(undefined),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional().catch(undefined),
});
/** The members of a discovery document a flow uses. */
export type Discovery = z.infer<typeof discoverySchema>;

/** What signing a request object or client assertion needs of the server: its issuer (their `aud`) and the algs it lists. */
export type SigningServer = Pick<Discovery, 'issuer' | 'request_object_signing_alg_values_supported' | 'token_endpoint_auth_signing_alg_values_supported'>;

/** The discovery URL of an issuer (the issuer is taken as given; a missing trailing slash is added). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.endsWith('/') ? issuer : `${issuer}/`}.well-known/openid-configuration`;
}

/** Compares issuers as given, tolerating only a trailing slash difference. */
export function sameIssuer(a: string, b: string): boolean {
  return a === b || a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/** Fetches and checks the discovery document; names every failure plainly. */
export async function discover(
  fetchFn: FlowFetch,
  issuer: string,
  kind: FlowKind,
  signal: AbortSignal,
): Promise<{ discovery: Discovery; response: FlowResponse }> {
  const response = await sendRecorded(fetchFn, { method: 'GET', url: discoveryUrl(issuer), followRedirects: true }, signal);
  if (response.status !== 200) {
    throw new FlowStepError('http_error', `The discovery document of ${issuer} answered HTTP ${response.status} instead of 200.`, {
      exchange: response.exchange,
    });
  }
  const doc = jsonObject(response, `The discovery document of ${issuer}`);
  const parsed = discoverySchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FlowStepError(
      'discovery_invalid',
      `The discovery document is invalid: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'rejected'}.`,
      { exchange: response.exchange },
    );
  }
  const discovery = parsed.data;
  for (const name of ENDPOINTS) {
    const url = discovery[name];
    if (url === undefined) continue;
    try {
      checkRequestUrl(url, `the discovery document's ${name}`);
    } catch (e) {
      if (e instanceof RequestRefusedError) throw new FlowStepError('request_refused', e.message, { cause: e, exchange: response.exchange });
      throw e;
    }
  }
  if (!sameIssuer(discovery.issuer, issuer)) {
    throw new FlowStepError(
      'discovery_invalid',
      `The discovery document names the issuer ${discovery.issuer}, not ${issuer} (OIDC Discovery §4.3: they must be equal).`,
      { exchange: response.exchange },
    );
  }
  if ((kind === 'par' || kind === 'par+jar') && !discovery.pushed_authorization_request_endpoint) {
    throw new FlowStepError('discovery_invalid', `${issuer} does not publish a pushed_authorization_request_endpoint: it does not offer PAR (RFC 9126).`, {
      exchange: response.exchange,
    });
  }
  return { discovery, response };
}
