/**
 * Step `callback`: reads the authorization response (code, state, error, iss) and checks it — state must
 * be the one sent, and iss (RFC 9207) must be the issuer when present or when the issuer promises it.
 */
import { FlowStepError } from './flow-error';
import { sameIssuer } from './discovery';

/** What the callback carried. */
export interface CallbackResult {
  code: string;
  iss?: string;
}

/** Parses and checks the callback URL. */
export function checkCallback(callbackUrl: string, expected: { redirectUri: string; state: string; issuer: string; issRequired: boolean }): CallbackResult {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    throw new FlowStepError('callback_invalid', 'The browser returned something that is not a URL.');
  }
  const redirect = new URL(expected.redirectUri);
  if (url.origin !== redirect.origin || url.pathname !== redirect.pathname) {
    throw new FlowStepError('callback_invalid', `The browser was redirected to ${url.origin}${url.pathname}, not to the redirect URI ${expected.redirectUri}.`);
  }
  // Some servers answer in the fragment; a code flow uses the query, so read both.
  const params = new URLSearchParams(url.search || url.hash.replace(/^#/, ''));
  const error = params.get('error');
  const state = params.get('state');
  const iss = params.get('iss');
  // RFC 9207 §2.4: the issuer is checked first, error responses included — an error from another
  // server must not be taken for this one's.
  if (iss !== null && !sameIssuer(iss, expected.issuer)) {
    throw new FlowStepError('issuer_mismatch', `The callback's iss is ${iss}, not ${expected.issuer} (RFC 9207: a mix-up attack or a misconfigured client).`);
  }
  if (error !== null) {
    const description = params.get('error_description');
    throw new FlowStepError(
      'authorization_error',
      `The authorization server returned an error to the callback: ${error}${description ? ` — ${description}` : ''}.`,
    );
  }
  if (state !== expected.state) {
    throw new FlowStepError(
      'state_mismatch',
      state === null
        ? 'The callback has no state: it cannot be matched to this request (possible CSRF).'
        : "The callback's state is not the one this flow sent: the response belongs to another request (possible CSRF).",
    );
  }
  if (iss === null && expected.issRequired) {
    throw new FlowStepError(
      'issuer_mismatch',
      'The issuer announces authorization_response_iss_parameter_supported but the callback has no iss (RFC 9207 §2.4).',
    );
  }
  const code = params.get('code');
  if (!code) throw new FlowStepError('callback_invalid', 'The callback has neither a code nor an error.');
  return { code, ...(iss === null ? {} : { iss }) };
}
