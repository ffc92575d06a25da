/** Step `push` (RFC 9126): POST the request (or the request object) to the PAR endpoint; 201 → request_uri. */
import type { DpopSending } from './dpop';
import { sendWithProof } from './dpop';
import { FlowStepError } from './flow-error';
import type { FlowFetch, FlowResponse } from './http-exchange';
import { jsonObject, sendRecorded } from './http-exchange';

/** Pushes `form` (already carrying client authentication) and returns the request_uri. */
export async function pushAuthorizationRequest(
  fetchFn: FlowFetch,
  endpoint: string,
  form: URLSearchParams,
  headers: Record<string, string>,
  signal: AbortSignal,
  /** DPoP: a proof on the request, and the one retry a nonce challenge allows. */
  dpop?: DpopSending,
): Promise<{ requestUri: string; expiresIn?: number; response: FlowResponse }> {
  const request = { method: 'POST' as const, url: endpoint, headers, form };
  const response = dpop ? await sendWithProof(fetchFn, request, signal, dpop) : await sendRecorded(fetchFn, request, signal);
  const body = jsonObject(response, 'The PAR response');
  if (response.status !== 201) {
    const error = typeof body['error'] === 'string' ? body['error'] : `HTTP ${response.status}`;
    const description = typeof body['error_description'] === 'string' ? `: ${body['error_description']}` : '';
    throw new FlowStepError('par_rejected', `The PAR endpoint rejected the request (${response.status} ${error}${description}).`, {
      exchange: response.exchange,
    });
  }
  const requestUri = body['request_uri'];
  if (typeof requestUri !== 'string' || requestUri === '') {
    throw new FlowStepError('par_rejected', 'The PAR response has no request_uri (RFC 9126 §2.2).', { exchange: response.exchange });
  }
  const expiresIn = typeof body['expires_in'] === 'number' ? body['expires_in'] : undefined;
  return { requestUri, ...(expiresIn === undefined ? {} : { expiresIn }), response };
}
