/** Step `exchange`: POST the token endpoint (authorization_code with code_verifier, or client_credentials). */
import type { DpopSending } from './dpop';
import { sendWithProof } from './dpop';
import { FlowStepError } from './flow-error';
import type { FlowFetch, FlowResponse } from './http-exchange';
import { jsonObject, sendRecorded } from './http-exchange';

/** Sends a token request whose form already carries the grant and client authentication. */
export async function requestTokens(
  fetchFn: FlowFetch,
  endpoint: string,
  form: URLSearchParams,
  headers: Record<string, string>,
  signal: AbortSignal,
  /** DPoP: a proof on the request, and the one retry a nonce challenge allows. */
  dpop?: DpopSending,
): Promise<{ tokens: Record<string, unknown>; response: FlowResponse }> {
  const request = { method: 'POST' as const, url: endpoint, headers, form };
  const response = dpop ? await sendWithProof(fetchFn, request, signal, dpop) : await sendRecorded(fetchFn, request, signal);
  const tokens = jsonObject(response, 'The token response');
  if (response.status !== 200) {
    const error = typeof tokens['error'] === 'string' ? tokens['error'] : `HTTP ${response.status}`;
    const description = typeof tokens['error_description'] === 'string' ? `: ${tokens['error_description']}` : '';
    throw new FlowStepError('token_rejected', `The token endpoint rejected the request (${response.status} ${error}${description}).`, {
      exchange: response.exchange,
    });
  }
  if (typeof tokens['access_token'] !== 'string')
    throw new FlowStepError('token_rejected', 'The token response has no access_token.', { exchange: response.exchange });
  return { tokens, response };
}
