/**
 * The PAR endpoint's rules (RFC 9126; Auth0 PAR docs A3–A6), kept apart from the handler so the handler
 * reads as the pipeline it is.
 */
import type { InlineRule } from '../../checks/outcome';

const rules: InlineRule[] = [
  { id: 'PAR-1', summary: 'Only POST is allowed.', source: 'RFC 9126 §2.3', fix: 'POST the parameters as a form.' },
  { id: 'PAR-2', summary: 'The body is application/x-www-form-urlencoded.', source: 'Auth0 PAR (A3, A5); RFC 9126 §2.1', fix: 'Send Content-Type: application/x-www-form-urlencoded.' },
  { id: 'PAR-3', summary: 'The body is at most 10 KB.', source: 'Auth0 PAR (A3); RFC 9126 §2.3 (413)', fix: 'Send fewer or shorter parameters.' },
  { id: 'PAR-5', summary: 'The client must use the same authentication method at /oauth/token as at PAR.', source: 'Auth0 PAR (A3)' },
  { id: 'PAR-6', summary: 'request_uri is not accepted at the PAR endpoint.', source: 'RFC 9126 §2.1', fix: 'Send the parameters (or a request object), not a request_uri.' },
  { id: 'PAR-7', summary: 'The pushed parameters pass the validation /authorize applies; errors are JSON.', source: 'RFC 9126 §2.1, §2.3; Auth0 OpenAPI (A6)', fix: 'Fix the parameter named in the error.' },
  { id: 'PAR-8', summary: 'redirect_uri is required.', source: 'Auth0 PAR API (A5); FAPI 2.0 (A13)', fix: 'Send redirect_uri.' },
  { id: 'PAR-9', summary: 'The redirect_uri is registered for the client (no per-request redirect URIs).', source: 'RFC 9126 §2.4 (optional, not offered); Auth0', fix: 'Add the URL to the application’s Allowed Callback URLs.' },
  { id: 'PAR-10', summary: 'Only known authorization parameters and at most 10 ext- parameters are stored.', source: 'Auth0 PAR (A3)', fix: 'Send at most 10 ext- parameters.' },
  { id: 'PAR-11', summary: 'With a request object, every authorization parameter comes from it and its client_id is the authenticated client.', source: 'RFC 9126 §3; Auth0 JAR (A1)', fix: 'Sign the request object with client_id equal to the authenticating client.' },
  { id: 'PAR-12', summary: 'A client with signed_request_object.required pushes a request object.', source: 'Auth0 Configure JAR (A2); RFC 9126 §2.3', fix: 'Send the parameters inside a signed request object (request=…).' },
  { id: 'PAR-13', summary: 'Success is 201 with request_uri and expires_in.', source: 'RFC 9126 §2.2; Auth0 (A3, O4, O5)' },
  { id: 'PAR-14', summary: 'The request_uri has at least 128 bits from a CSPRNG.', source: 'RFC 9126 §2.2, §7.1; RFC 9101 §10.2' },
  { id: 'PAR-15', summary: 'The request_uri is bound to the client that pushed it.', source: 'RFC 9126 §2.2' },
  { id: 'PAR-16', summary: 'It lives 30 seconds, or until the request object’s exp if sooner.', source: 'Auth0 PAR (A3); node-oidc-provider' },
  { id: 'PAR-17', summary: 'Strict profile: S256 PKCE and redirect_uri are required; expires_in stays under 600 s.', source: 'FAPI 2.0 SP §5.3.2.2; Auth0 (A13)' },
  { id: 'PAR-18', summary: 'PAR must be allowed for the tenant.', source: 'Auth0 Configure PAR (A4)', fix: 'Turn on “Allow Pushed Authorization Requests” in the server settings.' },
  { id: 'PAR-19', summary: 'Too many pushes from one client in a short time are refused with 429.', source: 'RFC 9126 §2.3', fix: 'Push once per authorization request.' },
];

/** The PAR rules by id. */
export const PAR_RULES: Readonly<Record<string, InlineRule>> = Object.fromEntries(rules.map((r) => [r.id, r]));
