/**
 * fast-check arbitraries for hostile input: JWT-shaped strings (valid structure with random or mutated
 * header and payload, alg none, huge or non-base64url segments, JWE 5-part, JSON serialization), form
 * bodies and query strings (random and known names, duplicates, percent-encoding garbage, very long
 * values), JSON bodies (random shapes, wrong types, deep nesting, __proto__/constructor keys) and headers
 * (content-type variants, Authorization garbage, Basic with bad base64, cookies).
 */
import fc from 'fast-check';

/** base64url of UTF-8 text. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

// ---- JWTs ------------------------------------------------------------------------------------------

const ALGS = ['RS256', 'PS256', 'RS384', 'RS512', 'ES256', 'EdDSA', 'HS256', 'none', 'None', 'NONE', '', 'RSA-OAEP', 'dir'];

/** A value of any JSON type, or a tricky one, for a claim or header member. */
const claimValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.constantFrom('1e309', '-1', '9999999999999', 'x'.repeat(300), 'https://app.example.com/callback', 'code', 'openid'),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const headerObject = fc.record(
  {
    alg: fc.oneof(fc.constantFrom(...ALGS), claimValue),
    typ: fc.oneof(fc.constantFrom('JWT', 'oauth-authz-req+jwt', 'at+jwt', 'jwt', ''), claimValue),
    kid: fc.oneof(fc.string({ maxLength: 30 }), claimValue),
    crit: fc.oneof(fc.constant(['b64']), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), claimValue),
    b64: fc.oneof(fc.constant(false), claimValue),
    jwk: fc.oneof(fc.constant({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }), claimValue),
    jku: fc.constantFrom('https://attacker.example/jwks', 'http://127.0.0.1:1/'),
    x5u: fc.constant('https://attacker.example/cert'),
    x5c: fc.oneof(fc.constant(['MIIB']), claimValue),
    enc: fc.constantFrom('A256GCM', 'A128CBC-HS256'),
    zip: fc.constant('DEF'),
  },
  { requiredKeys: [] },
);

const CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'request',
  'request_uri',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'claims',
  'authorization_details',
  'ext-x',
  '__proto__',
  'constructor',
];

const payloadObject = fc.dictionary(fc.oneof(fc.constantFrom(...CLAIMS), fc.string({ maxLength: 12 })), claimValue, { maxKeys: 12 });

/** JSON text for a JWT part: a header- or claims-like object, any JSON value, or not JSON at all. */
const partJson = (object: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 5, arbitrary: object.map((o) => JSON.stringify(o)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"alg":"RS256","alg":"none"}',
        '\uFEFF{"alg":"RS256"}',
        '{"a":' + '['.repeat(500) + ']'.repeat(500) + '}',
        '{"__proto__":{"polluted":1}}',
        '{}',
        '[]',
        'null',
      ),
    },
  );

const signature = fc.oneof(
  fc.constant(''),
  fc.base64String({ maxLength: 400 }).map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('A', 'AA==', '+/+/', '....'),
);

/** A JWT-shaped string: three parts of encoded JSON and a signature, or a structurally broken variant. */
export const jwtish: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(partJson(headerObject), partJson(payloadObject), signature).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`) },
  // JWE: five parts (a protected header naming an encryption alg)
  {
    weight: 1,
    arbitrary: fc
      .tuple(partJson(headerObject), fc.array(fc.base64String({ maxLength: 40 }), { minLength: 4, maxLength: 4 }))
      .map(([h, rest]) => [b64(h), ...rest.map((r) => r.replace(/[+/=]/g, ''))].join('.')),
  },
  // the wrong number of parts
  { weight: 1, arbitrary: fc.array(fc.oneof(partJson(headerObject).map(b64), fc.string({ maxLength: 10 })), { maxLength: 7 }).map((parts) => parts.join('.')) },
  // non-base64url characters, padding, whitespace
  {
    weight: 1,
    arbitrary: fc
      .tuple(partJson(headerObject), partJson(payloadObject))
      .map(([h, p]) => `${Buffer.from(h).toString('base64')}.${Buffer.from(p).toString('base64')}.sig+/=`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(' ', '\n', '\t', '\u00a0', '\uFEFF'), partJson(headerObject)).map(([ws, h]) => `${ws}${b64(h)}.${b64('{}')}.${ws}`),
  },
  // huge segments (the size caps must refuse them before decoding)
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 2_000, max: 60_000 }), fc.constantFrom('A', 'e', '_', '.', '='))
      .map(([n, c]) => `${b64('{"alg":"RS256"}')}.${c.repeat(n)}.sig`),
  },
  // JWS JSON serialization
  {
    weight: 1,
    arbitrary: partJson(payloadObject).map((p) => JSON.stringify({ payload: b64(p), signatures: [{ protected: b64('{"alg":"RS256"}'), signature: 'AA' }] })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

/** A mutation applied to a valid token: the result is almost valid, which reaches the deepest checks. */
export type Mutation = (token: string) => string;

function reencode(token: string, part: 0 | 1, edit: (obj: Record<string, unknown>) => Record<string, unknown>): string {
  const parts = token.split('.');
  try {
    const obj = JSON.parse(Buffer.from(parts[part] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    parts[part] = b64(JSON.stringify(edit(obj)));
  } catch {
    // not JSON: leave it
  }
  return parts.join('.');
}

/** Mutations of a valid compact JWS. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i) => (t: string) => {
    const at = i % t.length;
    const c = t[at] === 'A' ? 'B' : 'A';
    return `${t.slice(0, at)}${c}${t.slice(at + 1)}`;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 50 })).map(([i, n]) => (t: string) => {
    const at = i % t.length;
    return t.slice(0, at) + t.slice(at + n);
  }),
  fc.tuple(fc.nat(), fc.constantFrom('.', '=', '+', '/', ' ', '%', '\u00e9', '\u0000', '..')).map(([i, s]) => (t: string) => {
    const at = i % t.length;
    return t.slice(0, at) + s + t.slice(at);
  }),
  fc.constant((t: string) => t.split('.').slice(0, 2).join('.') + '.'),
  fc.constant((t: string) => {
    const [h, p, s] = t.split('.');
    return `${p}.${h}.${s}`;
  }),
  fc.constant((t: string) => `${t}.${t.split('.')[2] ?? ''}.AA`),
  fc.constantFrom('none', 'None', 'HS256', 'PS256', 'ES256').map((alg) => (t: string) => reencode(t, 0, (h) => ({ ...h, alg }))),
  fc.constant(
    (t: string) =>
      reencode(t, 0, (h) => ({ ...h, alg: 'none' }))
        .split('.')
        .slice(0, 2)
        .join('.') + '.',
  ),
  headerObject.map((extra) => (t: string) => reencode(t, 0, (h) => ({ ...h, ...extra }))),
  payloadObject.map((extra) => (t: string) => reencode(t, 1, (p) => ({ ...p, ...extra }))),
  fc
    .constantFrom('iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'response_type', 'redirect_uri')
    .map((claim) => (t: string) => reencode(t, 1, (p) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== claim)))),
  fc.constant((t: string) => t.toUpperCase()),
  fc.constant((t: string) => ` ${t}\n`),
);

// ---- parameters, forms and query strings -------------------------------------------------------------

/** Names the endpoints read, and hostile ones. */
export const PARAM_NAMES = [
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'grant_type',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'audience',
  'scope',
  'response_type',
  'response_mode',
  'state',
  'nonce',
  'request',
  'request_uri',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'login_hint',
  'organization',
  'token',
  'token_type_hint',
  'returnTo',
  'id_token_hint',
  'post_logout_redirect_uri',
  'federated',
  'email',
  'password',
  'action',
  'state_id',
  'tx',
  'ext-a',
  'ext-b',
  'fields',
  'include_fields',
  'page',
  'per_page',
  'include_totals',
  'q',
  'sort',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'a[b]',
  'a[]',
  '',
];

/** Values: random, known-meaningful, JWT-shaped, percent-garbage and very long. */
export function paramValue(extra: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        'code',
        'id_token',
        'token',
        'none',
        'login consent',
        'S256',
        'plain',
        'openid profile email offline_access',
        'authorization_code',
        'client_credentials',
        'refresh_token',
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        'urn:ietf:params:oauth:request_uri:abc',
        'https://app.example.com/callback',
        'https://attacker.example/',
        'javascript:alert(1)',
        'true',
        'false',
        '-1',
        '1e309',
        'NaN',
        '0x10',
        '€',
        '\u0000',
        '\uFFFD',
        '%',
        '%%',
        '%zz',
        '%E0%A4%A',
        'a'.repeat(129),
        ...extra,
      ),
    },
    { weight: 2, arbitrary: jwtish },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 70_000 }), fc.constantFrom('a', '%', 'é', '.')).map(([n, c]) => c.repeat(n)) },
  );
}

/** Name/value pairs; names repeat sometimes (AZR-9). */
export function paramPairs(extraValues: string[] = [], maxLength = 12): fc.Arbitrary<[string, string][]> {
  return fc.array(
    fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
      paramValue(extraValues),
    ),
    { maxLength },
  );
}

/** How each pair is written on the wire: properly, raw (unescaped), or with percent-encoding garbage. */
const encoding = fc.constantFrom('proper', 'raw', 'garbage', 'plus');

function encodeOne(s: string, how: string): string {
  switch (how) {
    case 'raw':
      // Only what an HTTP request line can carry: keep visible ASCII but '#' (Node's client refuses the rest in a path).
      return s.replace(/[^\u0021-\u0022\u0024-\u007e]/g, '');
    case 'garbage':
      return `${encodeURIComponent(s)}%${['', 'z', 'G1', 'E0%A4', 'C0%AF', 'FF'][s.length % 6]}`;
    case 'plus':
      return encodeURIComponent(s).replace(/%20/g, '+');
    default:
      return encodeURIComponent(s);
  }
}

/** An encoded form body or query string, with stray separators sometimes. */
export function encodedPairs(extraValues: string[] = [], maxLength = 12): fc.Arbitrary<string> {
  return fc
    .tuple(paramPairs(extraValues, maxLength), encoding, fc.constantFrom('', '&', '&&', '=', '&=&'))
    .map(([pairs, how, stray]) => pairs.map(([k, v]) => `${encodeOne(k, how)}=${encodeOne(v, how)}`).join('&') + stray);
}

// ---- JSON bodies ----------------------------------------------------------------------------------

/** Auth0 client, credential, grant and user members, so random bodies often pass the first checks. */
const BODY_KEYS = [
  'name',
  'description',
  'app_type',
  'logo_uri',
  'callbacks',
  'allowed_logout_urls',
  'allowed_origins',
  'web_origins',
  'grant_types',
  'token_endpoint_auth_method',
  'client_authentication_methods',
  'private_key_jwt',
  'credentials',
  'signed_request_object',
  'required',
  'jwt_configuration',
  'alg',
  'lifetime_in_seconds',
  'secret_encoded',
  'refresh_token',
  'rotation_type',
  'expiration_type',
  'compliance_level',
  'client_metadata',
  'require_pushed_authorization_requests',
  'is_first_party',
  'oidc_conformant',
  'credential_type',
  'pem',
  'kid',
  'expires_at',
  'parse_expiry_from_cert',
  'id',
  'client_id',
  'audience',
  'scope',
  'email',
  'password',
  'connection',
  'email_verified',
  '__proto__',
  'constructor',
  'prototype',
  'expires_at ',
];

const bodyLeaf = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    'regular_web',
    'spa',
    'native',
    'non_interactive',
    'private_key_jwt',
    'client_secret_post',
    'none',
    'public_key',
    'RS256',
    'PS256',
    'HS256',
    'authorization_code',
    'client_credentials',
    'rotating',
    'expiring',
    'fapi2_sp_pkj_mtls',
    '2020-01-01T00:00:00.000Z',
    '2999-01-01T00:00:00.000Z',
    'https://app.example.com/callback',
    'x'.repeat(3000),
    '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
    '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
    'a@b.c',
    'cred_abc',
  ),
);

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, bodyLeaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...BODY_KEYS), fc.string({ maxLength: 12 })), tie('tree'), { maxKeys: 6 }),
}));

/** Raw JSON text: random values, deep nesting, prototype keys written literally, and non-JSON. */
export const jsonBodyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: tree.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...BODY_KEYS), tree, { maxKeys: 8 }).map((v) => JSON.stringify(v)) },
  // deep nesting, mostly within the 100 KB Management limit (a JSON parser must not overflow its stack)
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 45_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 15_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":true},"name":"x"}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"name":"x","__proto__":[]}',
      '{"client_metadata":{"__proto__":"x"}}',
      '{"name":"a","name":"b"}',
      '{bad json',
      '',
      ' ',
      'null',
      '[]',
      '"x"',
      '1e400',
      '{"name":"\\ud800"}',
      '\uFEFF{}',
      '{"name":"x"}garbage',
      '{"a":1}{"b":2}',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
);

// ---- headers --------------------------------------------------------------------------------------

/** Keeps only what Node's HTTP client accepts in a header value (no CR/LF/NUL, nothing above U+00FF). */
export function headerSafe(s: string): string {
  return s.replace(/[^\t\u0020-\u007e\u0080-\u00ff]/g, '');
}

export const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json;',
    'application/json; charset=',
    'application/x-www-form-urlencoded; charset=ISO-8859-1',
    'application/x-www-form-urlencoded; charset=utf-16',
    'text/plain',
    'text/json',
    'application/jwt',
    'application/merge-patch+json',
    'application/vnd.api+json',
    'multipart/form-data; boundary=x',
    'multipart/form-data',
    'application/octet-stream',
    ';',
    '/',
    '*/*',
    'application/x-www-form-urlencoded, application/json',
    'application/json\t',
    ' application/json',
    'application/json; charset="utf-8"; x=";"',
  ),
  fc
    .tuple(fc.constantFrom('application/json', 'application/x-www-form-urlencoded'), fc.string({ maxLength: 20 }))
    .map(([t, g]) => headerSafe(`${t}; charset=${g}`)),
  fc.string({ maxLength: 30 }).map(headerSafe),
);

/** Authorization header values: garbage, Basic with bad base64, Bearer with JWT-ish tokens. */
export function authorizations(valid: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      'Basic',
      'Basic ',
      'Basic ====',
      'Basic !!!',
      'Basic %%%',
      'Basic Og==',
      'Bearer',
      'Bearer ',
      'bearer x',
      'Bearer a.b.c',
      'DPoP x',
      'Negotiate',
      'Basic dXNlcg==',
      'Basic ' + 'A'.repeat(9000),
      ...valid,
    ),
    fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`, 'latin1').toString('base64')}`),
    fc.string({ maxLength: 40 }).map((s) => headerSafe(`Basic ${s}`)),
    jwtish.map((t) => headerSafe(`Bearer ${t}`).slice(0, 12_000)),
    fc.string({ maxLength: 40 }).map(headerSafe),
  );
}

/** Cookie headers, sometimes naming the sign-in cookies with garbage values. */
export const cookies = fc.oneof(
  fc.tuple(fc.constantFrom('parley_session', 'parley_tx', 'x', ''), fc.string({ maxLength: 60 })).map(([n, v]) => headerSafe(`${n}=${v}`)),
  fc.constantFrom('parley_session=', 'parley_tx=%', 'parley_session=a; parley_session=b', ';;;', '=', 'parley_tx="unterminated', '__proto__=1'),
);
