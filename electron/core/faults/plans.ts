/**
 * How each case of the catalogue (shared/faults/cases.ts) is played against the embedded server: which
 * token is built, how it is broken, and which requests carry it. Every signature is a real one — by the
 * vault key, by the other slot's key, or, for the HS256 case, by jose with the public key's PEM as the HMAC
 * secret; `alg: none` tokens are jose's UnsecuredJWT. Nothing here hand-rolls crypto: the only byte
 * change is the tampered-signature case flipping bits of an honest signature.
 */
import { createHash } from 'node:crypto';
import { CompactSign, SignJWT, UnsecuredJWT, calculateJwkThumbprint } from 'jose';
import type { CompactJWSHeaderParameters, JWK, JWTPayload } from 'jose';
import type { FaultCaseId, FaultEndpoint, FaultKind, FaultRowNote } from '../../../shared/faults/cases';
import { ACCEPTED_STATUS, judge } from '../../../shared/faults/cases';
import { nowSeconds } from '../clock';
import { randomToken } from '../random';
import type { AuthServer } from '../server/app';
import type { CredentialAlg } from '../server/state/types';
import { JWT_BEARER_ASSERTION_TYPE } from '../server/checks/client-assertion';
import type { Exchange } from './exchange';
import { exchange } from './exchange';
import { SCRATCH_CALLBACK } from './scratch-client';
import type { ScratchUser } from './user-token';
import { signInForCode } from './user-token';
import type { CoreFetch } from '../http/request-policy';
import type { FaultHeader, FaultSigningKey } from './signing-keys';

/** What a case needs to build and send its tokens. */
export interface PlanContext {
  kind: FaultKind;
  /** The core's transport, policed (http/transport.ts). */
  fetch: CoreFetch;
  server: AuthServer;
  issuer: string;
  /** The scratch application. */
  clientId: string;
  /** The composed header, with `kid` naming the composed key's credential when it had one. */
  header: FaultHeader;
  /** The composed token's key. */
  main: FaultSigningKey;
  /** The key registered in the other slot. */
  other: FaultSigningKey;
  /** The private_key_jwt slot's key: authenticates the PAR requests that carry a request object. */
  auth: FaultSigningKey;
  /** The alg both credentials are registered with. */
  alg: CredentialAlg;
  /** The composed claims, rewritten for the scratch application, with times and jti fresh as of now. */
  claims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** The DPoP key of `dpop_proof` runs (EC P-256, made in memory). */
  dpopKey?: DpopKey;
  /** The public scratch application of `dpop_proof` runs (DPN-1 applies to public clients only). */
  publicClientId?: string;
  /** A second EC P-256 key of `dpop_proof` runs: the one a user access token is bound to in the cnf.jkt case. */
  otherDpopKey?: DpopKey;
  /** The run's scratch user, for the cases at /userinfo (user-token.ts). */
  user?: ScratchUser;
}

/** An EC P-256 key pair for DPoP proofs; `privateJwk` exists only for the "private key in jwk" case. */
export interface DpopKey {
  privateKey: Parameters<SignJWT['sign']>[0];
  publicJwk: JWK;
  privateJwk: JWK;
}

/** What a case got back for its deciding request. */
export interface PlanOutcome {
  exchange: Exchange;
  note?: FaultRowNote;
}

/** Plays one case, sending the deciding request to `endpoint`. */
export type Plan = (ctx: PlanContext, endpoint: FaultEndpoint) => Promise<PlanOutcome>;

/** The audience of the "another issuer" case. */
export const OTHER_ISSUER = 'https://other-tenant.example.com/';
/** The redirect URI of the "unregistered redirect_uri" case. */
export const UNREGISTERED_REDIRECT = 'https://attacker.example/callback';
/** The client_id of the "client_id mismatch" case. */
export const OTHER_CLIENT_ID = 'break-it-other-client';

/** Signs the (possibly mutated) claims with the composed key and header. */
function signed(ctx: PlanContext, claims: Record<string, unknown>, header: FaultHeader = ctx.header): Promise<string> {
  return ctx.main.sign(header, claims);
}

/** A valid client assertion for the scratch application, for PAR requests that carry a request object. */
async function authAssertion(ctx: PlanContext): Promise<string> {
  const now = nowSeconds();
  return ctx.auth.sign(
    { alg: ctx.alg, typ: 'JWT', kid: ctx.auth.kid },
    { iss: ctx.clientId, sub: ctx.clientId, aud: ctx.issuer, jti: randomToken(16), iat: now, exp: now + 60 },
  );
}

/** Pushes a request object to /oauth/par, authenticated with a fresh assertion. */
async function pushRequestObject(ctx: PlanContext, requestObject: string): Promise<Exchange> {
  return exchange(ctx.fetch, ctx.server, '/oauth/par', {
    form: { client_id: ctx.clientId, client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: await authAssertion(ctx), request: requestObject },
  });
}

/**
 * Sends the token being judged: a request object by value to /authorize or pushed to /oauth/par; a client
 * assertion authenticating a plain pushed authorization request. `form` adds or overrides fields.
 */
async function send(
  ctx: PlanContext,
  endpoint: FaultEndpoint,
  token: string,
  form: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Exchange> {
  if (ctx.kind !== 'request_object') {
    return exchange(
      ctx.fetch,
      ctx.server,
      '/oauth/par',
      {
        form: {
          client_id: ctx.clientId,
          client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
          client_assertion: token,
          response_type: 'code',
          redirect_uri: SCRATCH_CALLBACK,
          scope: 'openid',
          // PKCE, as every pushed request should carry (the strict profile requires it: FAP-2).
          code_challenge: createHash('sha256').update(randomToken(32)).digest('base64url'),
          code_challenge_method: 'S256',
          ...form,
        },
      },
      headers,
    );
  }
  if (endpoint === 'par') return pushRequestObject(ctx, token);
  return exchange(ctx.fetch, ctx.server, '/authorize', { query: { client_id: ctx.clientId, request: token, ...form } });
}

function accepted(endpoint: FaultEndpoint, answer: Exchange): boolean {
  return judge({ outcome: 'accepted', status: ACCEPTED_STATUS[endpoint] }, answer);
}

/** Flips bits in the middle of an honest signature (the header and payload stay as signed). */
export function tamperSignature(jws: string): string {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

function dpopKeyOf(ctx: PlanContext): DpopKey {
  if (ctx.dpopKey === undefined) throw new Error("a DPoP case needs the run's DPoP key");
  return ctx.dpopKey;
}

/** The claims of an honest proof for the pushed request (POST to the server's PAR URL), `overrides` last. */
function proofClaims(ctx: PlanContext, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { jti: randomToken(16), htm: 'POST', htu: ctx.server.urls.par, iat: nowSeconds(), ...overrides };
}

/** A proof signed by jose with `key` (`jwk` overridable for the private-key case). */
function proofBy(key: DpopKey, claims: Record<string, unknown>, jwk: JWK = key.publicJwk): Promise<string> {
  return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).sign(key.privateKey);
}

/** A proof signed by jose with the run's DPoP key (`jwk` overridable for the private-key case). */
function proof(ctx: PlanContext, claims: Record<string, unknown>, jwk?: JWK): Promise<string> {
  return proofBy(dpopKeyOf(ctx), claims, jwk);
}

/** base64url(SHA-256) of a token: a proof's `ath` (RFC 9449 §4.2), and the S256 PKCE challenge. */
function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** A user access token bound to a DPoP key (`cnf.jkt`), with the ID token of the same token response. */
type BoundUserToken = { accessToken: string; idToken: string } | { failed: Exchange };

/**
 * Signs the run's scratch user in for the scratch application and redeems the code with a proof of `key`:
 * a pushed request (authenticated by the composed assertion, with PKCE), the real sign-in page
 * (user-token.ts), then the token request (private_key_jwt), retried once with a DPoP-Nonce if the server
 * asks for one (DPN-1). Returns the answer of the first step that did not go as it must, instead.
 */
async function boundUserToken(ctx: PlanContext, key: DpopKey): Promise<BoundUserToken> {
  if (ctx.user === undefined) throw new Error("a case at /userinfo needs the run's scratch user");
  const verifier = randomToken(32);
  const pushed = await send(ctx, 'par', await signed(ctx, ctx.claims()), { code_challenge: sha256(verifier), code_challenge_method: 'S256' });
  const requestUri = pushed.json?.request_uri;
  if (!accepted('par', pushed) || typeof requestUri !== 'string') return { failed: pushed };
  const signIn = await signInForCode(ctx.fetch, ctx.server, ctx.clientId, requestUri, ctx.user);
  if ('failed' in signIn) return signIn;
  const redeem = async (nonce?: string) => {
    const form = {
      grant_type: 'authorization_code',
      code: signIn.code,
      redirect_uri: SCRATCH_CALLBACK,
      code_verifier: verifier,
      client_id: ctx.clientId,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await authAssertion(ctx),
    };
    const claims = { jti: randomToken(16), htm: 'POST', htu: ctx.server.urls.token, iat: nowSeconds(), ...(nonce === undefined ? {} : { nonce }) };
    return exchange(ctx.fetch, ctx.server, '/oauth/token', { form }, { dpop: await proofBy(key, claims) });
  };
  let answer = await redeem();
  // A nonce challenge leaves the code unused (DPB-8): the same code, again, with the nonce.
  if (answer.error === 'use_dpop_nonce' && answer.dpopNonce !== undefined) answer = await redeem(answer.dpopNonce);
  const accessToken = answer.json?.access_token;
  const idToken = answer.json?.id_token;
  if (answer.status !== 200 || answer.json?.token_type !== 'DPoP' || typeof accessToken !== 'string' || typeof idToken !== 'string') return { failed: answer };
  return { accessToken, idToken };
}

/** GET /userinfo with a bound token and a proof signed by `key` whose `ath` hashes `athOf`. */
async function atUserinfo(ctx: PlanContext, accessToken: string, key: DpopKey, athOf: string): Promise<Exchange> {
  const claims = { jti: randomToken(16), htm: 'GET', htu: ctx.server.urls.userinfo, iat: nowSeconds(), ath: sha256(athOf) };
  return exchange(ctx.fetch, ctx.server, '/userinfo', { query: {} }, { authorization: `DPoP ${accessToken}`, dpop: await proofBy(key, claims) });
}

/**
 * A case at /userinfo: a token bound to `boundTo`, first used honestly (it must be accepted, so the verdict
 * that follows is about the one thing broken), then the broken use.
 */
async function userinfoCase(
  ctx: PlanContext,
  boundTo: DpopKey,
  broken: (token: { accessToken: string; idToken: string }) => Promise<Exchange>,
): Promise<PlanOutcome> {
  const bound = await boundUserToken(ctx, boundTo);
  if ('failed' in bound) return { exchange: bound.failed, note: 'user-token-failed' };
  const honest = await atUserinfo(ctx, bound.accessToken, boundTo, bound.accessToken);
  if (!accepted('userinfo', honest)) return { exchange: honest, note: 'first-use-rejected' };
  return { exchange: await broken(bound) };
}

/** Sends a pushed request authenticated by the composed assertion, with `dpop` as its DPoP header. */
async function sendWithProof(ctx: PlanContext, endpoint: FaultEndpoint, dpopProof: string, form: Record<string, string> = {}): Promise<Exchange> {
  return send(ctx, endpoint, await signed(ctx, ctx.claims()), form, { dpop: dpopProof });
}

/** The plan of every case. */
export const PLANS: Readonly<Record<FaultCaseId, Plan>> = {
  control: async (ctx, endpoint) => {
    if (ctx.kind === 'dpop_proof') {
      // An honest proof, and dpop_jkt naming its key (DPB-6 passes), so every row's binding is checked.
      const jkt = await calculateJwkThumbprint(dpopKeyOf(ctx).publicJwk, 'sha256');
      return { exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx)), { dpop_jkt: jkt }) };
    }
    return { exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims())) };
  },

  'alg-none': async (ctx, endpoint) => ({ exchange: await send(ctx, endpoint, new UnsecuredJWT(ctx.claims() as JWTPayload).encode()) }),

  'hs256-public-key': async (ctx, endpoint) => {
    // The classic key-confusion attack: HMAC keyed with the bytes of the public key the server holds.
    const secret = new TextEncoder().encode(ctx.main.pem);
    const header = { ...ctx.header, alg: 'HS256' } as CompactJWSHeaderParameters;
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(ctx.claims()))).setProtectedHeader(header).sign(secret);
    return { exchange: await send(ctx, endpoint, token) };
  },

  'aud-no-trailing-slash': async (ctx, endpoint) => ({
    exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ aud: ctx.issuer.replace(/\/$/, '') }))),
  }),

  'aud-other-issuer': async (ctx, endpoint) => ({ exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ aud: OTHER_ISSUER }))) }),

  'exp-expired': async (ctx, endpoint) => {
    const now = nowSeconds();
    const base = ctx.claims();
    // Expired a minute ago (well past the 10 s skew), after a lifetime that is itself fine.
    const overrides: Record<string, unknown> = { exp: now - 60 };
    if (typeof base.iat === 'number') overrides.iat = now - 300;
    if (typeof base.nbf === 'number') overrides.nbf = now - 300;
    return { exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims(overrides))) };
  },

  'nbf-future': async (ctx, endpoint) => ({ exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ nbf: nowSeconds() + 120 }))) }),

  'lifetime-over-5-min': async (ctx, endpoint) => {
    const now = nowSeconds();
    return { exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ iat: now, exp: now + 600 }))) };
  },

  'jti-replay': async (ctx, endpoint) => {
    const token = await signed(ctx, ctx.claims());
    const first = await send(ctx, endpoint, token);
    if (!accepted(endpoint, first)) return { exchange: first, note: 'first-use-rejected' };
    return { exchange: await send(ctx, endpoint, token) };
  },

  // 80 characters: over Auth0's 64 (PKJ-5, JAR-14), well under the 2048-byte assertion cap (JWT-8).
  'jti-too-long': async (ctx, endpoint) => ({ exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ jti: randomToken(60) }))) }),

  'wrong-kid': async (ctx, endpoint) => {
    // Shaped like a real kid (a 43-character thumbprint), naming no credential of the application.
    const header = { ...ctx.header, kid: randomToken(32) };
    return { exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims(), header)) };
  },

  'other-slot-key': async (ctx, endpoint) => {
    // With a kid, the other key's own kid (what a confused client would send); without one, none.
    const { kid: _kid, ...rest } = ctx.header;
    const header: FaultHeader = Object.hasOwn(ctx.header, 'kid') ? { ...rest, kid: ctx.other.kid } : rest;
    return { exchange: await send(ctx, endpoint, await ctx.other.sign(header, ctx.claims())) };
  },

  'tampered-signature': async (ctx, endpoint) => ({ exchange: await send(ctx, endpoint, tamperSignature(await signed(ctx, ctx.claims()))) }),

  'client-id-mismatch': async (ctx, endpoint) => {
    if (ctx.kind === 'client_assertion') {
      // The form's client_id names another client than the assertion's sub (PKJ-3).
      return { exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims()), { client_id: OTHER_CLIENT_ID }) };
    }
    // The query (or the authenticated PAR client) says one client, the object another.
    return { exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ client_id: OTHER_CLIENT_ID }))) };
  },

  'request-and-request-uri': async (ctx) => {
    const pushed = await pushRequestObject(ctx, await signed(ctx, ctx.claims()));
    const requestUri = pushed.json?.request_uri;
    if (!accepted('par', pushed) || typeof requestUri !== 'string') return { exchange: pushed, note: 'setup-rejected' };
    return { exchange: await send(ctx, 'authorize', await signed(ctx, ctx.claims()), { request_uri: requestUri }) };
  },

  'request-uri-twice': async (ctx) => {
    const pushed = await pushRequestObject(ctx, await signed(ctx, ctx.claims()));
    const requestUri = pushed.json?.request_uri;
    if (!accepted('par', pushed) || typeof requestUri !== 'string') return { exchange: pushed, note: 'setup-rejected' };
    const use = () => exchange(ctx.fetch, ctx.server, '/authorize', { query: { client_id: ctx.clientId, request_uri: requestUri } });
    const first = await use();
    if (!accepted('authorize', first)) return { exchange: first, note: 'first-use-rejected' };
    return { exchange: await use() };
  },

  'unregistered-redirect-uri': async (ctx, endpoint) => ({
    exchange: await send(ctx, endpoint, await signed(ctx, ctx.claims({ redirect_uri: UNREGISTERED_REDIRECT }))),
  }),

  'dpop-htm-wrong': async (ctx, endpoint) => ({ exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx, { htm: 'GET' }))) }),

  'dpop-htu-query': async (ctx, endpoint) => ({
    exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx, { htu: `${ctx.server.urls.par}?state=break-it#frag` }))),
  }),

  'dpop-htu-trailing-slash': async (ctx, endpoint) => ({
    exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx, { htu: `${ctx.server.urls.par}/` }))),
  }),

  // Ten minutes old: past every policy's window (300 s Auth0 and standards, 60 s strict).
  'dpop-iat-stale': async (ctx, endpoint) => ({
    exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx, { iat: nowSeconds() - 600 }))),
  }),

  // Five minutes ahead: past every policy's skew (30 s, 10 s strict).
  'dpop-iat-future': async (ctx, endpoint) => ({
    exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx, { iat: nowSeconds() + 300 }))),
  }),

  'dpop-nonce-missing': async (ctx) => {
    // A public client's code exchange whose proof has no nonce: refused before the code is even looked up (DPB-8),
    // so a made-up code is enough and nothing is consumed.
    if (ctx.publicClientId === undefined) throw new Error('the missing-nonce case needs the public scratch application');
    const form = {
      grant_type: 'authorization_code',
      client_id: ctx.publicClientId,
      code: randomToken(16),
      code_verifier: randomToken(32),
      redirect_uri: SCRATCH_CALLBACK,
    };
    const dpopProof = await proof(ctx, proofClaims(ctx, { htu: ctx.server.urls.token }));
    return { exchange: await exchange(ctx.fetch, ctx.server, '/oauth/token', { form }, { dpop: dpopProof }) };
  },

  'dpop-nonce-stale': async (ctx, endpoint) => {
    // A value this server derived for a step that is no longer accepted: what a client holding an old DPoP-Nonce sends.
    const stale = ctx.server.ctx.memory.dpopNonces.expired()[0]!;
    return { exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx, { nonce: stale }))) };
  },

  'dpop-jti-replay': async (ctx, endpoint) => {
    const once = await proof(ctx, proofClaims(ctx));
    const first = await sendWithProof(ctx, endpoint, once);
    if (!accepted(endpoint, first)) return { exchange: first, note: 'first-use-rejected' };
    return { exchange: await sendWithProof(ctx, endpoint, once) };
  },

  'dpop-jkt-mismatch': async (ctx, endpoint) => {
    // dpop_jkt names another key (the thumbprint of the scratch application's JAR credential, a real one).
    return { exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx)), { dpop_jkt: ctx.other.kid }) };
  },

  'dpop-private-jwk': async (ctx, endpoint) => ({
    exchange: await sendWithProof(ctx, endpoint, await proof(ctx, proofClaims(ctx), dpopKeyOf(ctx).privateJwk)),
  }),

  'dpop-alg-none': async (ctx, endpoint) => {
    const header = { alg: 'none', typ: 'dpop+jwt', jwk: dpopKeyOf(ctx).publicJwk };
    const token = new UnsecuredJWT(proofClaims(ctx) as JWTPayload).encode();
    // UnsecuredJWT fixes its header to {alg: none}; the proof needs typ and jwk too, still unsigned.
    const unsigned = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${token.split('.')[1]!}.`;
    return { exchange: await sendWithProof(ctx, endpoint, unsigned) };
  },

  'dpop-hs256': async (ctx, endpoint) => {
    // HMAC keyed with the public key's JSON: the key-confusion attempt for a proof.
    const jwk = dpopKeyOf(ctx).publicJwk;
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(proofClaims(ctx))))
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk })
      .sign(secret);
    return { exchange: await sendWithProof(ctx, endpoint, token) };
  },

  // The run's key signs a proof for its own bound token, with ath hashing the ID token of the same response
  // (a real token, only not the one sent).
  'dpop-ath-other-token': (ctx) => userinfoCase(ctx, dpopKeyOf(ctx), (t) => atUserinfo(ctx, t.accessToken, dpopKeyOf(ctx), t.idToken)),

  'dpop-cnf-jkt-other-key': (ctx) => {
    // The token is bound to the second key; the run's key signs an otherwise honest proof (ath of that token).
    if (ctx.otherDpopKey === undefined) throw new Error('the cnf.jkt case needs a second DPoP key');
    return userinfoCase(ctx, ctx.otherDpopKey, (t) => atUserinfo(ctx, t.accessToken, dpopKeyOf(ctx), t.accessToken));
  },
};
