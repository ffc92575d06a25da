/**
 * The six benchmark scenarios, as request bodies built (and signed) before any timed run. The same
 * request goes to both servers; only what each server names differently changes: its issuer (the `aud`
 * of assertions and request objects; Parley's carries the trailing slash), its endpoint paths, its
 * client ids and key ids, and the client-credentials parameter naming the API (Auth0's `audience`,
 * oidc-provider's RFC 8707 `resource`).
 *
 * Every signed token carries a unique jti: client assertions are one-time (PKJ-12 / oidc-provider's
 * replay detection), so no body can be sent twice.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Signer } from './signer';

/** The redirect URI registered for the benchmark clients. */
export const CALLBACK = 'https://bench.example.com/callback';
/** The API of the client-credentials and code scenarios. */
export const API = 'https://api.bench.example.com/';
export const API_SCOPE = 'read:bench';
/** One PKCE pair for every request (the codes differ; the verifier may repeat). */
export const CODE_VERIFIER = 'parley-benchmark-code-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** One server as the scenarios see it. */
export interface Target {
  /** `floor`: bench/floor-server.ts, the two signature checks and nothing else (a reference). */
  kind: 'parley' | 'oidc-provider' | 'floor';
  label: string;
  /** `http://127.0.0.1:PORT` (no path). */
  origin: string;
  /** The issuer exactly as the server names itself. */
  issuer: string;
  parPath: string;
  tokenPath: string;
  pkj: { client_id: string; pkjKid: string; jarKid: string };
  secret: { client_id: string; client_secret: string };
  apiParameter: 'audience' | 'resource';
}

/** Signing keys (PKCS#8 PEM) of the benchmark client. */
export interface ClientKeys {
  pkjPem: string;
  jarPem: string;
}

/** What building bodies needs. */
export interface BuildEnv {
  signer: Signer;
  keys: ClientKeys;
  /** Authorization codes for the code-exchange scenario (one per body). */
  codes?: string[];
  codeChallenge: string;
}

/** A scenario. */
export interface Scenario {
  id: 'par-jar-pkjwt' | 'par-pkjwt' | 'par-secret' | 'token-code-pkjwt' | 'token-cc-pkjwt' | 'token-cc-pkjwt-dpop';
  title: string;
  endpoint: 'par' | 'token';
  /** The success status. */
  expect: number;
  /** Whether each body needs a pre-minted authorization code. */
  needsCodes: boolean;
  /** Signatures made per body (for estimates). */
  signsPerBody: number;
  build(target: Target, n: number, env: BuildEnv): Promise<string[]>;
  /** Per-body request headers (a DPoP proof each), in the order of `build`'s bodies. */
  headers?(target: Target, n: number, env: BuildEnv): Promise<Record<string, string>[]>;
}

/** The DPoP key of the benchmark client: EC P-256 (what every Auth0 SDK uses), made once per process. */
let dpopKey: { pem: string; jwk: Record<string, unknown> } | undefined;

/** `n` DPoP proofs (RFC 9449) for `target`'s token endpoint, each with its own jti. */
export function dpopProofs(target: Target, n: number, env: BuildEnv): Promise<string[]> {
  if (dpopKey === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    dpopKey = { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), jwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown> };
  }
  return env.signer.sign({
    keyPem: dpopKey.pem,
    header: { alg: 'ES256', typ: 'dpop+jwt', jwk: dpopKey.jwk },
    claims: { htm: 'POST', htu: `${target.origin}${target.tokenPath}`, iat: nowSeconds() },
    jtiPrefix: jtiPrefix('d'),
    count: n,
  });
}

let batch = 0;

/** A short jti prefix unique to this process and batch (PKJ-5 caps jti at 64 characters). */
function jtiPrefix(tag: string): string {
  batch += 1;
  return `${tag}${batch.toString(36)}${randomBytes(6).toString('base64url')}-`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `n` client assertions (RFC 7523) for `target`'s private_key_jwt client, audience = the issuer. */
export function assertions(target: Target, n: number, env: BuildEnv): Promise<string[]> {
  const iat = nowSeconds();
  return env.signer.sign({
    keyPem: env.keys.pkjPem,
    header: { alg: 'RS256', typ: 'JWT', kid: target.pkj.pkjKid },
    // Auth0's profile accepts exp − iat ≤ 300 s; the pool is used within a minute or two.
    claims: { iss: target.pkj.client_id, sub: target.pkj.client_id, aud: target.issuer, iat, exp: iat + 280 },
    jtiPrefix: jtiPrefix('a'),
    count: n,
  });
}

/** The authorization parameters every PAR scenario sends (plain, or inside the request object). */
export function authorizationParameters(clientId: string, challenge: string, i: number): Record<string, string> {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid',
    state: `s${i}`,
    nonce: `n${i}`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
}

/** `n` request objects (RFC 9101) signed with the client's JAR key. */
export function requestObjects(target: Target, n: number, env: BuildEnv): Promise<string[]> {
  const iat = nowSeconds();
  return env.signer.sign({
    keyPem: env.keys.jarPem,
    header: { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: target.pkj.jarKid },
    claims: {
      iss: target.pkj.client_id,
      aud: target.issuer,
      ...authorizationParameters(target.pkj.client_id, env.codeChallenge, 0),
      iat,
      nbf: iat,
      exp: iat + 280,
    },
    jtiPrefix: jtiPrefix('r'),
    count: n,
  });
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function assertionFields(target: Target, assertion: string): Record<string, string> {
  return { client_id: target.pkj.client_id, client_assertion_type: JWT_BEARER, client_assertion: assertion };
}

/** The scenarios, in report order. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'par-jar-pkjwt',
    title: 'PAR + JAR + private_key_jwt',
    endpoint: 'par',
    expect: 201,
    needsCodes: false,
    signsPerBody: 2,
    async build(target, n, env) {
      const [auth, request] = await Promise.all([assertions(target, n, env), requestObjects(target, n, env)]);
      return auth.map((a, i) => form({ ...assertionFields(target, a), request: request[i]! }));
    },
  },
  {
    id: 'par-pkjwt',
    title: 'PAR (plain parameters) + private_key_jwt',
    endpoint: 'par',
    expect: 201,
    needsCodes: false,
    signsPerBody: 1,
    async build(target, n, env) {
      const auth = await assertions(target, n, env);
      return auth.map((a, i) => form({ ...authorizationParameters(target.pkj.client_id, env.codeChallenge, i), ...assertionFields(target, a) }));
    },
  },
  {
    id: 'par-secret',
    title: 'PAR (plain parameters) + client_secret_post',
    endpoint: 'par',
    expect: 201,
    needsCodes: false,
    signsPerBody: 0,
    async build(target, n, env) {
      const out: string[] = [];
      for (let i = 0; i < n; i++)
        out.push(form({ ...authorizationParameters(target.secret.client_id, env.codeChallenge, i), client_secret: target.secret.client_secret }));
      return out;
    },
  },
  {
    id: 'token-code-pkjwt',
    title: 'Token: authorization code + private_key_jwt',
    endpoint: 'token',
    expect: 200,
    needsCodes: true,
    signsPerBody: 1,
    async build(target, n, env) {
      const codes = env.codes ?? [];
      if (codes.length < n) throw new Error(`${n} codes needed, ${codes.length} minted`);
      const auth = await assertions(target, n, env);
      return auth.map((a, i) =>
        form({ grant_type: 'authorization_code', code: codes[i]!, redirect_uri: CALLBACK, code_verifier: CODE_VERIFIER, ...assertionFields(target, a) }),
      );
    },
  },
  {
    id: 'token-cc-pkjwt',
    title: 'Token: client credentials + private_key_jwt',
    endpoint: 'token',
    expect: 200,
    needsCodes: false,
    signsPerBody: 1,
    async build(target, n, env) {
      const auth = await assertions(target, n, env);
      return auth.map((a) => form({ grant_type: 'client_credentials', [target.apiParameter]: API, scope: API_SCOPE, ...assertionFields(target, a) }));
    },
  },
  {
    id: 'token-cc-pkjwt-dpop',
    title: 'Token: client credentials + private_key_jwt + DPoP proof (bound token)',
    endpoint: 'token',
    expect: 200,
    needsCodes: false,
    signsPerBody: 2,
    async build(target, n, env) {
      const auth = await assertions(target, n, env);
      return auth.map((a) => form({ grant_type: 'client_credentials', [target.apiParameter]: API, scope: API_SCOPE, ...assertionFields(target, a) }));
    },
    async headers(target, n, env) {
      return (await dpopProofs(target, n, env)).map((dpop) => ({ dpop }));
    },
  },
];
