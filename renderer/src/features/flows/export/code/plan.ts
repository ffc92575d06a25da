/**
 * The plan of an exported program, independent of its language: built once from the run and its target,
 * it says which requests the program makes, in order (`steps`), and with which values (each one fixed when
 * exported, or made when the program runs). The emitters (typescript.ts, python.ts, bash.ts) only write
 * a plan out; what a program does is decided here. Pure: no DOM, no Node.
 */
import { decodeCompactJwt } from '../../../../../../shared/jwt/decode';
import type { FlowKind, FlowRun, FlowTarget } from '../../../../../../shared/schemas/flows';
import { recordedParameters } from '../recorded-run';

/** What the caller knows of a vault key (from keys.list): its name, its kid (the thumbprint) and its first alg. */
export interface CodeKeyInfo {
  name?: string;
  /** The RFC 7638 thumbprint: the kid Parley puts in the header. */
  kid?: string;
  /**
   * The key's first alg: what the program signs with when the run recorded no JWT by this key. A recorded
   * header wins, since the engine signs with the key's first alg the server lists (a FAPI 2 server: PS256).
   */
  alg?: string;
}

/** What an export is made from. */
export interface CodeExportInput {
  run: Pick<FlowRun, 'id' | 'kind' | 'options' | 'startedAt' | 'steps'>;
  /** The run's target (its issuer, client, redirect URI, scope, audience and client authentication). */
  target: FlowTarget;
  /** The vault keys of the target: the request-object key and the client-assertion key. */
  keys?: { jar?: CodeKeyInfo; clientAuth?: CodeKeyInfo };
}

/** Request objects live this long (electron/core/flows/authorization-request.ts says the same). */
export const CODE_REQUEST_OBJECT_LIFETIME_S = 300;
/** Client assertions live this long (electron/core/flows/client-auth.ts says the same). */
export const CODE_ASSERTION_LIFETIME_S = 60;
/** RFC 7523 §2.2. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The environment variables the programs read (the same in every language). */
export const CODE_ENV = {
  issuer: 'ISSUER',
  jarKeyFile: 'JAR_KEY_FILE',
  clientAuthKeyFile: 'CLIENT_AUTH_KEY_FILE',
  keyPassphrase: 'KEY_PASSPHRASE',
  clientSecret: 'CLIENT_SECRET',
} as const;

/** Where the programs look for the private keys when the variables are not set. */
export const DEFAULT_KEY_FILES = { jar: './jar-key.pem', clientAuth: './client-auth-key.pem' } as const;

/** A value of an authorization parameter or claim: fixed when exported, or made when the program runs. */
export type Value =
  | { literal: unknown }
  | { fresh: 'state' | 'nonce' | 'code_challenge' | 'jti' | 'dpop_jkt' }
  | { time: 'iat' | 'exp_request' | 'exp_assertion' }
  | { issuer: true }
  | { constant: 'CLIENT_ID' | 'REDIRECT_URI' };

/** A private key file a program reads, and how it signs with it. */
export interface CodeKeyFile {
  /** What the key signs. */
  role: 'jar' | 'clientAuth';
  /** The environment variable naming the file. */
  envVar: string;
  /** The file read when the variable is not set. */
  defaultFile: string;
  alg: string;
  /** The vault key it must hold: its kid (the thumbprint Parley puts in the header) and name. */
  kid?: string;
  name?: string;
}

/**
 * One step of the program, in the order it runs. Every program starts with discovery; then either one
 * client_credentials token request, or the authorization request (made, signed, pushed, opened in a
 * browser) and the exchange of the code pasted back.
 */
export type PlanStep =
  /** The discovery document: the endpoints, and the issuer checked against the expected one. */
  | { step: 'discover' }
  /** One token request, grant_type=client_credentials (with the plan's audience). */
  | { step: 'clientCredentials' }
  /** Fresh state and nonce (and the PKCE pair), and the authorization parameters (`Plan.params`). */
  | { step: 'authorizationRequest' }
  /** The parameters signed as a request object (RFC 9101) with the JAR key. */
  | { step: 'requestObject' }
  /** PAR (RFC 9126): the request object, or the parameters, pushed for a request_uri. */
  | { step: 'push'; body: 'requestObject' | 'parameters' }
  /** The URL to open (its query: the request_uri, the request object, or the parameters), and the callback pasted back. */
  | { step: 'authorize'; query: 'request_uri' | 'requestObject' | 'parameters' }
  /** The code exchanged for tokens (with the PKCE verifier). */
  | { step: 'codeExchange' }
  /** DPoP only: /userinfo with the bound access token (`Authorization: DPoP`, a proof with `ath`). */
  | { step: 'userinfo' };

/** The plan of a program. */
export interface Plan {
  kind: FlowKind;
  targetName: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  audience?: string;
  authMethod: FlowTarget['auth']['method'];
  /** The authorization request's parameters, in the order the engine sends them. */
  params: [string, Value][];
  pkce: boolean;
  /** Claims merged over the request object when the run was started with some (a deliberately broken request). */
  extraClaims?: Record<string, unknown>;
  jarKey?: CodeKeyFile;
  authKey?: CodeKeyFile;
  /** The program signs JWTs (a request object, client assertions): it reads key files. */
  signs: boolean;
  /** The same key signs the request object and the client assertion: one key file, both variables. */
  sameKey: boolean;
  /** The client authenticates with a secret ($CLIENT_SECRET). */
  usesSecret: boolean;
  usesJar: boolean;
  usesPar: boolean;
  usesBrowser: boolean;
  /**
   * DPoP (RFC 9449), when the run's target used it: the program makes its own ES256 key pair and sends a
   * proof on PAR, token and userinfo requests, retrying once with the server's nonce (use_dpop_nonce);
   * a `dpop_jkt` parameter (code binding) is that key's thumbprint.
   */
  dpop?: { alg: 'ES256' };
  /** What the program does, in order. */
  steps: PlanStep[];
  runId: string;
  startedAt: string;
}

function recordedJwt(run: CodeExportInput['run'], label: string): { alg?: string; kid?: string } {
  for (const step of run.steps) {
    const jwt = step.jwts.find((j) => j.label === label);
    if (!jwt) continue;
    try {
      const { header } = decodeCompactJwt(jwt.token, { maxBytes: 1_000_000 });
      return { ...(typeof header['alg'] === 'string' ? { alg: header['alg'] } : {}), ...(typeof header['kid'] === 'string' ? { kid: header['kid'] } : {}) };
    } catch {
      return {};
    }
  }
  return {};
}

function keyFileOf(role: CodeKeyFile['role'], info: CodeKeyInfo | undefined, recorded: { alg?: string; kid?: string }): CodeKeyFile {
  const kid = info?.kid ?? recorded.kid;
  return {
    role,
    envVar: role === 'jar' ? CODE_ENV.jarKeyFile : CODE_ENV.clientAuthKeyFile,
    defaultFile: role === 'jar' ? DEFAULT_KEY_FILES.jar : DEFAULT_KEY_FILES.clientAuth,
    // What was sent wins: the recorded header says which algorithm the server accepted.
    alg: recorded.alg ?? info?.alg ?? 'RS256',
    ...(info?.name ? { name: info.name } : {}),
    ...(kid ? { kid } : {}),
  };
}

function stepsOf(usesBrowser: boolean, usesJar: boolean, usesPar: boolean, dpop: boolean): PlanStep[] {
  if (!usesBrowser) return [{ step: 'discover' }, { step: 'clientCredentials' }];
  return [
    { step: 'discover' },
    { step: 'authorizationRequest' },
    ...(usesJar ? [{ step: 'requestObject' } as const] : []),
    ...(usesPar ? [{ step: 'push', body: usesJar ? 'requestObject' : 'parameters' } as const] : []),
    { step: 'authorize', query: usesPar ? 'request_uri' : usesJar ? 'requestObject' : 'parameters' },
    { step: 'codeExchange' },
    // The engine's verify step uses a DPoP-bound token at /userinfo: so does the program.
    ...(dpop ? [{ step: 'userinfo' } as const] : []),
  ];
}

/** The plan of a run's program. */
export function planOf(input: CodeExportInput): Plan {
  const { run, target } = input;
  const kind = run.kind;
  const usesJar = kind === 'jar' || kind === 'par+jar';
  const usesPar = kind === 'par' || kind === 'par+jar';
  const usesBrowser = kind !== 'client_credentials';
  const built = recordedParameters(run.steps.find((s) => s.name === 'build'));
  const recorded = built.length > 0 ? built : undefined;
  const pkce = recorded ? recorded.some(([k]) => k === 'code_challenge') : run.options.pkce;
  const clientId = recorded?.find(([k]) => k === 'client_id')?.[1] ?? target.client_id;
  const redirectUri = recorded?.find(([k]) => k === 'redirect_uri')?.[1] ?? target.redirect_uri;
  // The engine's order (authorization-request.ts); values made per run are made afresh.
  const source: [string, string][] = recorded ?? [
    ['response_type', 'code'],
    ['client_id', target.client_id],
    ['redirect_uri', target.redirect_uri],
    ['scope', target.scope],
    ['state', ''],
    ['nonce', ''],
    ...(target.audience ? ([['audience', target.audience]] as [string, string][]) : []),
    ...(target.dpop?.bindCode ? ([['dpop_jkt', '']] as [string, string][]) : []),
    ...(pkce
      ? ([
          ['code_challenge', ''],
          ['code_challenge_method', 'S256'],
        ] as [string, string][])
      : []),
  ];
  const dpop = target.dpop !== undefined;
  const params = source.map(([name, value]): [string, Value] => {
    if (name === 'state' || name === 'nonce' || name === 'code_challenge') return [name, { fresh: name }];
    // The program's DPoP key is its own (made when it runs): the code is bound to its thumbprint (RFC 9449 §10).
    if (name === 'dpop_jkt' && dpop) return [name, { fresh: name }];
    if (name === 'code_challenge_method') return [name, { literal: 'S256' }];
    if (name === 'client_id' && value === clientId) return [name, { constant: 'CLIENT_ID' }];
    if (name === 'redirect_uri' && value === redirectUri) return [name, { constant: 'REDIRECT_URI' }];
    return [name, { literal: value }];
  });
  const authMethod = target.auth.method;
  const audience = kind === 'client_credentials' ? target.audience : undefined;
  const jarClaims = run.options.jarClaims;
  const jarKey = usesJar ? keyFileOf('jar', input.keys?.jar, recordedJwt(run, 'Request object')) : undefined;
  const authKey = authMethod === 'private_key_jwt' ? keyFileOf('clientAuth', input.keys?.clientAuth, recordedJwt(run, 'Client assertion')) : undefined;
  return {
    kind,
    targetName: target.name,
    issuer: target.issuer,
    clientId,
    redirectUri,
    ...(audience ? { audience } : {}),
    authMethod,
    params,
    pkce,
    ...(usesJar && jarClaims && Object.keys(jarClaims).length > 0 ? { extraClaims: jarClaims } : {}),
    ...(jarKey ? { jarKey } : {}),
    ...(authKey ? { authKey } : {}),
    signs: jarKey !== undefined || authKey !== undefined,
    sameKey: jarKey?.kid !== undefined && jarKey.kid === authKey?.kid,
    usesSecret: authMethod === 'client_secret_basic' || authMethod === 'client_secret_post',
    usesJar,
    usesPar,
    usesBrowser,
    ...(dpop ? { dpop: { alg: 'ES256' } as const } : {}),
    steps: stepsOf(usesBrowser, usesJar, usesPar, dpop),
    runId: run.id,
    startedAt: run.startedAt,
  };
}

/** The JWT claims of the request object, after its parameters (authorization-request.ts). */
export const JWT_CLAIMS: [string, Value][] = [
  ['iss', { constant: 'CLIENT_ID' }],
  ['aud', { issuer: true }],
  ['iat', { time: 'iat' }],
  ['nbf', { time: 'iat' }],
  ['exp', { time: 'exp_request' }],
  ['jti', { fresh: 'jti' }],
];

/** The claims of the request object, in the engine's order, with the run's extra claims merged over them. */
export function requestObjectClaims(plan: Plan): [string, Value][] {
  const claims: [string, Value][] = [...plan.params, ...JWT_CLAIMS];
  for (const [name, value] of Object.entries(plan.extraClaims ?? {})) {
    const at = claims.findIndex(([n]) => n === name);
    if (at === -1) claims.push([name, { literal: value }]);
    else claims[at] = [name, { literal: value }];
  }
  return claims;
}

/** The client assertion's claims (client-auth.ts). */
export const ASSERTION_CLAIMS: [string, Value][] = [
  ['iss', { constant: 'CLIENT_ID' }],
  ['sub', { constant: 'CLIENT_ID' }],
  ['aud', { issuer: true }],
  ['iat', { time: 'iat' }],
  ['exp', { time: 'exp_assertion' }],
  ['jti', { fresh: 'jti' }],
];
