/**
 * The userinfo call of a DPoP target (verify step): the access token is sent with the scheme the token
 * response named (`token_type`, not what the client wished: a server may issue Bearer where DPoP was asked,
 * DPB-1), and with the DPoP scheme a proof whose `ath` hashes that token (RFC 9449 §7).
 */
import type { DpopSending } from './dpop';
import { sendWithProof } from './dpop';
import { FlowStepError } from './flow-error';
import type { FlowFetch, FlowResponse } from './http-exchange';
import { sendRecorded } from './http-exchange';

/** The scheme a token is sent with: `DPoP` for a DPoP-typed token, `Bearer` otherwise (RFC 9449 §7.1). */
export function schemeOf(tokenType: unknown): 'DPoP' | 'Bearer' {
  return typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
}

/** GETs the userinfo endpoint with the access token; throws userinfo_rejected naming the server's error. */
export async function requestUserinfo(
  fetchFn: FlowFetch,
  endpoint: string,
  accessToken: string,
  tokenType: unknown,
  signal: AbortSignal,
  dpop: Omit<DpopSending, 'accessToken'> | undefined,
): Promise<{ scheme: 'DPoP' | 'Bearer'; response: FlowResponse; claims?: Record<string, unknown> }> {
  const scheme = dpop ? schemeOf(tokenType) : 'Bearer';
  const request = { method: 'GET' as const, url: endpoint, headers: { authorization: `${scheme} ${accessToken}` } };
  const response =
    scheme === 'DPoP' && dpop ? await sendWithProof(fetchFn, request, signal, { ...dpop, accessToken }) : await sendRecorded(fetchFn, request, signal);
  if (response.status !== 200) {
    // Resource errors come in WWW-Authenticate (RFC 6750 §3, RFC 9449 §7.1); some servers add a JSON body.
    const challenge = response.headers.get('www-authenticate');
    let body = '';
    try {
      const parsed = JSON.parse(response.text) as { error?: unknown; error_description?: unknown };
      if (typeof parsed.error === 'string') body = `${parsed.error}${typeof parsed.error_description === 'string' ? `: ${parsed.error_description}` : ''}`;
    } catch {
      // Not JSON: the challenge says it.
    }
    const said = challenge ? `WWW-Authenticate: ${challenge}` : body || 'no error given';
    throw new FlowStepError('userinfo_rejected', `The userinfo endpoint refused the ${scheme} access token (HTTP ${response.status}, ${said}).`, {
      exchange: response.exchange,
    });
  }
  try {
    const claims: unknown = JSON.parse(response.text);
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return { scheme, response, claims: claims as Record<string, unknown> };
  } catch {
    // A signed userinfo response (application/jwt) is still an accepted token.
  }
  return { scheme, response };
}
