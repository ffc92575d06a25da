/**
 * Set-up for flows against oidc-provider (panva), a certified OpenID Provider, started in-process on
 * 127.0.0.1 with PAR, request objects, private_key_jwt and its development login/consent pages; and a
 * launcher that drives those pages with fetch and a cookie jar, as a browser would, up to the redirect.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
// @ts-expect-error -- oidc-provider v9 ships no type declarations; the little used here is typed below.
import OidcProvider, { errors as oidcErrors } from 'oidc-provider';
import type { BrowserLauncher, BrowserOutcome } from '../../electron/core/flows/browser-launcher';
import type { Core } from '../../electron/core/host/core';
import type { FlowRun } from '../../shared/schemas/flows';
import { Browser } from '../unit/electron/core/server/endpoints/helpers';

/** The slice of oidc-provider's API these tests use. */
interface Provider {
  callback(): (req: unknown, res: unknown) => void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
const ProviderClass = OidcProvider as new (issuer: string, configuration: Record<string, unknown>) => Provider;
const { InvalidRequestObject, InvalidClientAuth } = oidcErrors as Record<'InvalidRequestObject' | 'InvalidClientAuth', new (detail: string) => Error>;

type Claims = Record<string, unknown>;
type OidcContext = { oidc: { issuer: string } };

/**
 * Request objects are held to what oidc-provider itself enforces under its FAPI profiles, plus explicit
 * typing: RFC 9101 §4 (typ oauth-authz-req+jwt), exp/nbf/aud present and at most 60 minutes apart, and
 * iat and jti present (replay detection). oidc-provider's defaults alone would accept less.
 */
async function strictRequestObject(_ctx: OidcContext, claims: Claims, header: Claims): Promise<void> {
  // oidc-provider keeps plain pushed parameters as its own unsecured JWT and checks it again at /auth: not a client's request object.
  if (header['alg'] === 'none') return;
  if (header['typ'] !== 'oauth-authz-req+jwt') throw new InvalidRequestObject(`Request Object typ must be oauth-authz-req+jwt, not ${String(header['typ'])}`);
  for (const claim of ['exp', 'nbf', 'aud', 'iat', 'jti']) {
    if (claims[claim] === undefined) throw new InvalidRequestObject(`Request Object is missing the '${claim}' claim`);
  }
  const window = Number(claims['exp']) - Number(claims['nbf']);
  if (!(window > 0 && window <= 3600)) throw new InvalidRequestObject("Request Object 'exp' claim too far from 'nbf' claim");
}

/** Client assertions name the issuer as their sole audience, as oidc-provider requires under FAPI 2.0 (and RFC 7523bis asks). */
async function strictClientAssertion(ctx: OidcContext, claims: Claims): Promise<void> {
  if (claims['aud'] !== ctx.oidc.issuer) throw new InvalidClientAuth('audience (aud) must equal the issuer identifier url');
}

/** The client registered at oidc-provider. */
export interface InteropClient {
  client_id: string;
  redirect_uri: string;
  /** The algorithms registered for client assertions and request objects (oidc-provider then accepts only these). */
  authAlg: string;
  jarAlg: string;
  /** The client's public keys (client assertions and request objects), as exported from the vault. */
  jwks: { keys: JWK[] };
}

/**
 * DPoP (RFC 9449), oidc-provider's `dPoP` feature: proofs accepted with `algs`; with `nonces`, every
 * proof must carry a server nonce (its stateless rotating nonces, from a 32-byte secret), so a client's
 * first proof is answered `use_dpop_nonce`.
 */
export interface ProviderDpop {
  nonces: boolean;
  /** dpop_signing_alg_values_supported; oidc-provider's default (ES256, Ed25519, EdDSA) when absent. */
  algs?: string[];
}

/** What oidc-provider recorded of an access token it issued. */
export interface IssuedAccessToken {
  kind: 'AccessToken' | 'ClientCredentials';
  /** The DPoP key thumbprint the token is bound to (its cnf.jkt); absent for a Bearer token. */
  jkt?: string;
  /** An opaque token's value (its jti): what must never reach a run or a file. */
  value?: string;
}

/** A running oidc-provider. */
export interface RunningProvider {
  issuer: string;
  /** Access tokens issued, oldest first, as oidc-provider stored them. */
  accessTokens: IssuedAccessToken[];
  /** Errors oidc-provider reported (its `*.error` events), newest last: the server's side of a rejection. */
  errors: { event: string; error: string; description: string; detail: string }[];
  close(): Promise<void>;
}

/** Starts oidc-provider on 127.0.0.1 (any free port) with the client registered. */
export async function startOidcProvider(
  client: InteropClient,
  /** `refresh`: every code exchange issues a refresh token, rotated at each use (the refresh_token grant allowed). */
  options: { dpop?: ProviderDpop; refresh?: boolean } = {},
): Promise<RunningProvider> {
  const { dpop, refresh } = options;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const provider = new ProviderClass(issuer, {
    clients: [
      {
        client_id: client.client_id,
        redirect_uris: [client.redirect_uri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'client_credentials', ...(refresh ? ['refresh_token'] : [])],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: client.authAlg,
        request_object_signing_alg: client.jarAlg,
        jwks: client.jwks,
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(signing.privateKey)), kid: 'op-signing', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['oidc-provider interop test cookie key'] },
    clientAuthMethods: ['private_key_jwt'],
    assertJwtClientAuthClaimsAndHeader: strictClientAssertion,
    features: {
      devInteractions: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      requestObjects: { enabled: true, assertJwtClaimsAndHeader: strictRequestObject },
      clientCredentials: { enabled: true },
      ...(dpop ? { dPoP: { enabled: true, ...(dpop.nonces ? { nonceSecret: randomBytes(32), requireNonce: () => true } : {}) } } : {}),
    },
    ...(dpop?.algs ? { enabledJWA: { dPoPSigningAlgValues: dpop.algs } } : {}),
    ...(refresh ? { issueRefreshToken: () => true, rotateRefreshToken: () => true } : {}),
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      PushedAuthorizationRequest: 60,
      RefreshToken: 600,
      Session: 600,
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, email: `${sub}@example.com`, email_verified: true }) }),
  });
  const errors: RunningProvider['errors'] = [];
  const accessTokens: IssuedAccessToken[] = [];
  // Opaque tokens are `saved` (stored), JWT ones `issued`: either way, the model as oidc-provider holds it.
  for (const [event, kind] of [
    ['access_token.saved', 'AccessToken'],
    ['access_token.issued', 'AccessToken'],
    ['client_credentials.saved', 'ClientCredentials'],
    ['client_credentials.issued', 'ClientCredentials'],
  ] as const) {
    provider.on(event, (token: unknown) => {
      const { jkt, jti } = token as { jkt?: unknown; jti?: unknown };
      accessTokens.push({ kind, ...(typeof jkt === 'string' ? { jkt } : {}), ...(event.endsWith('.saved') && typeof jti === 'string' ? { value: jti } : {}) });
    });
  }
  for (const event of ['pushed_authorization_request.error', 'authorization.error', 'grant.error', 'userinfo.error', 'server_error']) {
    provider.on(event, (...args: unknown[]) => {
      const error = args.find(
        (a): a is { error: string; error_description?: string; error_detail?: string } => typeof (a as { error?: unknown } | null)?.error === 'string',
      );
      errors.push({ event, error: error?.error ?? 'unknown', description: error?.error_description ?? '', detail: error?.error_detail ?? '' });
    });
  }
  server.on('request', provider.callback());
  return {
    issuer,
    accessTokens,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The browser boundary for oidc-provider: follows the authorize URL through its development login form
 * (any login and password) and consent form ("Continue") until the redirect to the redirect URI. An error
 * page (oidc-provider renders authorization errors it cannot redirect) is a closed tab.
 */
export class OidcProviderLauncher implements BrowserLauncher {
  readonly opened: string[] = [];
  /** The HTML of the last page shown that was neither a form nor a redirect (an error page). */
  lastErrorPage = '';

  async open(url: string, redirectUri: string, signal: AbortSignal): Promise<BrowserOutcome> {
    this.opened.push(url);
    const browser = new Browser();
    let current = url;
    let res = await browser.fetch(current, { signal });
    for (let hops = 0; hops < 15; hops++) {
      if (res.status >= 300 && res.status < 400) {
        current = new URL(res.headers.get('location')!, current).href;
        if (current.startsWith(redirectUri)) return { callbackUrl: current };
        res = await browser.fetch(current, { signal });
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (res.status !== 200 || !action || !prompt) {
        this.lastErrorPage = html;
        return { cancelled: true };
      }
      const fields: Record<string, string> = prompt === 'login' ? { prompt, login: 'alice', password: 'any password' } : { prompt };
      current = new URL(action.replace(/&amp;/g, '&'), current).href;
      res = await browser.fetch(current, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
        signal,
      });
    }
    throw new Error('too many redirects in the oidc-provider interaction');
  }
}

/** A core's contract, unwrapped: the value, or an Error naming the operation, the code and the message. */
export function callerOf(core: () => Core): <T>(name: string, input?: unknown) => Promise<T> {
  return async <T>(name: string, input: unknown = {}): Promise<T> => {
    const result = await core().dispatch(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
}

/** A run's step by name. */
export function stepOf(r: FlowRun, name: FlowRun['steps'][number]['name']): FlowRun['steps'][number] {
  const step = r.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no ${name} step`);
  return step;
}

/** A run's steps in one line (name, status, error), for assertion messages. */
export function summary(r: FlowRun): string {
  return JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]));
}
