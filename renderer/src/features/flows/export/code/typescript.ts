/**
 * The TypeScript emitter: a program for Node 20+ (jose for the JWTs, the global fetch), run with tsx. It
 * writes a plan (plan.ts) out; its fixed helper functions are text (text/typescript.ts).
 */
import type { CodeEmitter } from './emitter';
import { expression, keyDescription, oneLine } from './emitter';
import type { CodeKeyFile, Plan, Value } from './plan';
import { ASSERTION_CLAIMS, CODE_ENV, JWT_BEARER, JWT_CLAIMS } from './plan';
import { TS_DPOP, TS_DPOP_JKT, TS_FAIL, TS_KEY_REF, TS_POST_FORM, TS_RANDOM_TOKEN, TS_READ_LINE, TS_SIGNING } from './text/typescript';

/** A single-quoted JS string literal; control characters, line separators and lone surrogates escaped. */
function js(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  const escaped = value.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029\ud800-\udfff]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === "'") return "\\'";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

/** How a TypeScript program names each fresh value. */
const TS_FRESH = { state: 'state', nonce: 'nonce', code_challenge: 'pkce.challenge', jti: 'randomToken(16)', dpop_jkt: 'dpopJkt' };

function tsValue(value: Value): string {
  return expression(value, (v) => (typeof v === 'string' ? js(v) : (JSON.stringify(v) ?? 'null')), TS_FRESH);
}

/** An object literal, one member a line (`...spread` first when given). */
function tsObject(entries: [string, Value][], indent: string, spread?: string): string {
  const member = ([name, value]: [string, Value]): string => {
    const expression = tsValue(value);
    if (expression === name) return `${name},`;
    return `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : js(name)}: ${expression},`;
  };
  const lines = [...(spread ? [`...${spread},`] : []), ...entries.map(member)];
  return `{\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}}`;
}

function tsKey(key: CodeKeyFile, fallbackVar?: string): string {
  const file = fallbackVar
    ? `process.env.${key.envVar} || process.env.${fallbackVar} || ${js(key.defaultFile)}`
    : `process.env.${key.envVar} || ${js(key.defaultFile)}`;
  return `{ file: ${file}, alg: ${js(key.alg)}, kid: ${key.kid ? js(key.kid) : 'undefined'}, what: ${js(oneLine(keyDescription(key)))} }`;
}

const runCommand = (fileName: string): string => `npx tsx ${fileName}`;

/** A form POST with the client authentication (and, with DPoP, a proof and the nonce retry: TS_DPOP). */
function postCall(plan: Plan, endpointName: string, form: string): string {
  return `await postForm(endpoint('${endpointName}'), ${form}, ${plan.dpop ? `() => authenticate(${form}, issuer)` : `await authenticate(${form}, issuer)`})`;
}

/** What comes before main(): imports, constants, the keys, the secret's check, the helpers and the client authentication. */
function prologue(plan: Plan, fileName: string): string[] {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  const needsPkce = plan.usesBrowser && plan.pkce;
  const { signs } = plan;
  const dpop = plan.dpop !== undefined;
  const bindsCode = plan.params.some(([, v]) => 'fresh' in v && v.fresh === 'dpop_jkt');
  const cryptoImports = [
    ...(needsPkce || dpop ? ['createHash'] : []),
    ...(signs ? ['createPrivateKey'] : []),
    ...(plan.usesBrowser || signs || dpop ? ['randomBytes'] : []),
  ];
  if (cryptoImports.length > 0) push(`import { ${cryptoImports.join(', ')} } from 'node:crypto';`);
  if (signs) push("import { readFileSync } from 'node:fs';");
  if (plan.usesBrowser) push("import { createInterface } from 'node:readline';");
  if (dpop) push(`import { SignJWT, ${bindsCode ? 'calculateJwkThumbprint, ' : ''}exportJWK, generateKeyPair${signs ? ', importPKCS8' : ''} } from 'jose';`);
  else if (signs) push("import { SignJWT, importPKCS8 } from 'jose';");
  push('', `const ISSUER = process.env.${CODE_ENV.issuer} || ${js(plan.issuer)};`, `const CLIENT_ID = ${js(plan.clientId)};`);
  if (plan.usesBrowser) push(`const REDIRECT_URI = ${js(plan.redirectUri)};`);
  if (plan.audience !== undefined) push(`const AUDIENCE = ${js(plan.audience)};`);
  if (plan.extraClaims)
    push(`// The claims the run merged over the request object.`, `const EXTRA_CLAIMS: Record<string, unknown> = ${JSON.stringify(plan.extraClaims)};`);
  if (signs) {
    push('', TS_KEY_REF);
    if (plan.jarKey) push(`const JAR_KEY: KeyRef = ${tsKey(plan.jarKey)};`);
    if (plan.authKey) push(`const CLIENT_AUTH_KEY: KeyRef = ${tsKey(plan.authKey, plan.sameKey ? CODE_ENV.jarKeyFile : undefined)};`);
  }
  if (plan.usesSecret) {
    push(
      '',
      `const CLIENT_SECRET = process.env.${CODE_ENV.clientSecret} ?? '';`,
      "if (CLIENT_SECRET === '') {",
      `  console.error('Set CLIENT_SECRET to the client secret before running this program, e.g.: CLIENT_SECRET=... ${runCommand(fileName)}');`,
      '  process.exit(2);',
      '}',
    );
  }
  push('', TS_FAIL);
  if (plan.usesBrowser || signs || dpop) push('', TS_RANDOM_TOKEN);
  if (signs) push('', TS_SIGNING);
  push('', dpop ? TS_DPOP : TS_POST_FORM);
  if (bindsCode) push('', TS_DPOP_JKT);
  // Client authentication.
  push('', '/** Adds the client authentication to a request (RFC 6749 §2.3, RFC 7523 §2.2). */');
  push('async function authenticate(form: URLSearchParams, issuer: string): Promise<Record<string, string>> {');
  switch (plan.authMethod) {
    case 'none':
      push('  void issuer;', "  form.set('client_id', CLIENT_ID);", '  return {};');
      break;
    case 'client_secret_post':
      push('  void issuer;', "  form.set('client_id', CLIENT_ID);", "  form.set('client_secret', CLIENT_SECRET);", '  return {};');
      break;
    case 'client_secret_basic':
      push(
        '  void form;',
        '  void issuer;',
        '  // Each part is form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).',
        "  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');",
        "  return { authorization: `Basic ${Buffer.from(`${enc(CLIENT_ID)}:${enc(CLIENT_SECRET)}`).toString('base64')}` };",
      );
      break;
    case 'private_key_jwt':
      push(
        '  const iat = Math.floor(Date.now() / 1000);',
        `  const assertion = await sign(CLIENT_AUTH_KEY, 'JWT', ${tsObject(ASSERTION_CLAIMS, '  ')});`,
        '  console.log(`Client assertion: ${assertion}`);',
        "  form.set('client_id', CLIENT_ID);",
        `  form.set('client_assertion_type', ${js(JWT_BEARER)});`,
        "  form.set('client_assertion', assertion);",
        '  return {};',
      );
      break;
  }
  push('}');
  return L;
}

/** The URL to open, made before the PAR request when there is one. */
const AUTHORIZE_URL = ['', "  const authorizeUrl = new URL(endpoint('authorization_endpoint'));"];

/** The URL's query, by what it carries. */
const AUTHORIZE_QUERY: Record<'request_uri' | 'requestObject' | 'parameters', string[]> = {
  request_uri: ["  authorizeUrl.searchParams.set('client_id', CLIENT_ID);", "  authorizeUrl.searchParams.set('request_uri', requestUri);"],
  requestObject: ["  authorizeUrl.searchParams.set('client_id', CLIENT_ID);", "  authorizeUrl.searchParams.set('request', requestObject);"],
  parameters: ['  for (const [name, value] of Object.entries(params)) authorizeUrl.searchParams.set(name, value);'],
};

/** The TypeScript programs. */
export const typescript: CodeEmitter = {
  language: 'typescript',
  // .mts: always an ES module, whatever package.json is (or is not) next to it.
  extension: 'mts',
  mimeType: 'text/typescript',
  setupCommand: 'npm install jose',
  runCommand,
  runInstructions: (fileName) => ['npm install jose', `npx tsx ${fileName}      (Node 20+; Node 23.6+ also runs: node ${fileName})`],
  keyNotes: () => [],
  program: (plan, fileName, header, steps) =>
    [
      ...header.map((line) => (line === '' ? '//' : `// ${line}`)),
      '',
      ...prologue(plan, fileName),
      '',
      'async function main(): Promise<void> {',
      ...steps,
      '}',
      ...(plan.usesBrowser ? ['', TS_READ_LINE] : []),
      '',
      'main().catch((e: unknown) => {',
      '  fail(e instanceof Error ? e.message : String(e));',
      '});',
      '',
    ].join('\n'),
  steps: {
    discover: () => [
      "  const discoveryUrl = `${ISSUER.replace(/\\/?$/, '/')}.well-known/openid-configuration`;",
      "  const discoveryRes = await fetch(discoveryUrl, { headers: { accept: 'application/json' } });",
      '  if (discoveryRes.status !== 200) fail(`${discoveryUrl} answered HTTP ${discoveryRes.status}.`);',
      '  const discovery = (await discoveryRes.json()) as Json;',
      '  const endpoint = (name: string): string => {',
      '    const value = discovery[name];',
      "    return typeof value === 'string' ? value : fail(`The discovery document has no ${name}.`);",
      '  };',
      "  const issuer = endpoint('issuer');",
      "  if (issuer.replace(/\\/$/, '') !== ISSUER.replace(/\\/$/, '')) fail(`The discovery document names the issuer ${issuer}, not ${ISSUER}.`);",
    ],
    clientCredentials: (plan) => [
      '',
      '  // Client credentials: one token request.',
      "  const form = new URLSearchParams({ grant_type: 'client_credentials' });",
      ...(plan.audience !== undefined ? ["  form.set('audience', AUDIENCE);"] : []),
      `  const token = ${postCall(plan, 'token_endpoint', 'form')};`,
      "  if (token.status !== 200 || typeof token.body['access_token'] !== 'string') fail(`The token endpoint rejected the request (HTTP ${token.status} ${describe(token.body)}).`);",
      "  console.log(`access_token: ${token.body['access_token']}`);",
      '  console.log(JSON.stringify(token.body, null, 2));',
    ],
    authorizationRequest: (plan) => [
      '',
      '  // The authorization request: fresh state and nonce' + (plan.pkce ? ', and a PKCE pair (RFC 7636, S256).' : '.'),
      '  const state = randomToken(16);',
      '  const nonce = randomToken(16);',
      ...(plan.pkce
        ? ['  const verifier = randomToken(32);', "  const pkce = { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };"]
        : []),
      `  const params: Record<string, string> = ${tsObject(plan.params, '  ')};`,
    ],
    // The params spread first, then the JWT claims, then the run's extra claims (the engine's order).
    requestObject: (plan) => [
      '',
      '  // The request object (RFC 9101): the parameters as claims, iss = client_id, aud = issuer, a short life.',
      '  const iat = Math.floor(Date.now() / 1000);',
      `  const requestObject = await sign(JAR_KEY, 'oauth-authz-req+jwt', ${plan.extraClaims ? `{ ...${tsObject(JWT_CLAIMS, '  ', 'params')}, ...EXTRA_CLAIMS }` : tsObject(JWT_CLAIMS, '  ', 'params')});`,
      '  console.log(`Request object: ${requestObject}`);',
    ],
    push: (plan, step) => [
      ...AUTHORIZE_URL,
      '',
      '  // PAR (RFC 9126): push the request, get a request_uri.',
      `  const parForm = new URLSearchParams(${step.body === 'requestObject' ? '{ request: requestObject }' : 'params'});`,
      `  const pushed = ${postCall(plan, 'pushed_authorization_request_endpoint', 'parForm')};`,
      "  const requestUri = pushed.body['request_uri'];",
      "  if (pushed.status !== 201 || typeof requestUri !== 'string') fail(`The PAR endpoint rejected the request (HTTP ${pushed.status} ${describe(pushed.body)}).`);",
      '  console.log(`request_uri: ${requestUri}`);',
      "  if (typeof pushed.body['expires_in'] === 'number') console.log(`expires_in: ${pushed.body['expires_in']} s`);",
    ],
    authorize: (_plan, step) => [
      ...(step.query === 'request_uri' ? [] : AUTHORIZE_URL),
      ...AUTHORIZE_QUERY[step.query],
      '',
      "  console.log('');",
      "  console.log('Open this URL in a browser and sign in:');",
      '  console.log(`  ${authorizeUrl.href}`);',
      '',
      '  // The browser ends at the redirect URI with ?code=…: paste that URL (Enter alone stops here).',
      "  console.log('');",
      "  console.log('Then paste the URL the browser was sent back to (or press Enter to stop here):');",
      '  const callbackUrl = await readLine();',
      '  if (!callbackUrl) {',
      "    console.log('No callback URL: stopping before the token exchange.');",
      '    return;',
      '  }',
      '  let callback: URL;',
      '  try {',
      '    callback = new URL(callbackUrl);',
      '  } catch {',
      "    return fail('That is not a URL: paste the whole URL the browser was redirected to.');",
      '  }',
      '  const answer = new URLSearchParams(callback.search || callback.hash.slice(1));',
      "  if (answer.get('error')) fail(`The authorization server answered error=${answer.get('error')}: ${answer.get('error_description') ?? ''}`);",
      "  if (answer.get('state') !== state) fail('The state in that URL is not the one this program sent (is it from another request?).');",
      "  const returnedIssuer = answer.get('iss');",
      '  if (returnedIssuer !== null && returnedIssuer !== issuer) fail(`The callback names the issuer ${returnedIssuer}, not ${issuer} (RFC 9207).`);',
      "  const code = answer.get('code') ?? fail('That URL has no code parameter.');",
    ],
    codeExchange: (plan) => [
      '',
      '  // The code exchange, with a new client authentication.',
      "  const tokenForm = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });",
      ...(plan.pkce ? ["  tokenForm.set('code_verifier', pkce.verifier);"] : []),
      `  const token = ${postCall(plan, 'token_endpoint', 'tokenForm')};`,
      "  if (token.status !== 200 || typeof token.body['access_token'] !== 'string') fail(`The token endpoint rejected the request (HTTP ${token.status} ${describe(token.body)}).`);",
      "  console.log('Tokens:');",
      '  console.log(JSON.stringify(token.body, null, 2));',
    ],
    userinfo: () => [
      '',
      '  // /userinfo with the DPoP-bound access token: the DPoP scheme, and a proof whose ath is its hash (RFC 9449 §7).',
      "  const accessToken = token.body['access_token'] as string;",
      "  if (token.body['token_type'] !== 'DPoP') fail(`The token is not DPoP-bound (token_type ${String(token.body['token_type'])}).`);",
      "  const userinfoUrl = endpoint('userinfo_endpoint');",
      '  let userinfo: Response | undefined;',
      '  for (let attempt = 1; attempt <= 2; attempt++) {',
      "    userinfo = await fetch(userinfoUrl, { headers: { accept: 'application/json', authorization: `DPoP ${accessToken}`, dpop: await dpopProof('GET', userinfoUrl, accessToken) } });",
      "    const nonce = userinfo.headers.get('dpop-nonce');",
      '    if (nonce !== null) dpopNonce = nonce;',
      '    // A nonce challenge is a 401 whose WWW-Authenticate says use_dpop_nonce (RFC 9449 §9): once more with it.',
      "    if (!(userinfo.status === 401 && nonce !== null && (userinfo.headers.get('www-authenticate') ?? '').includes('use_dpop_nonce'))) break;",
      "    console.log(`${userinfoUrl}: use_dpop_nonce, sending again with the server's nonce.`);",
      '  }',
      "  if (userinfo!.status !== 200) fail(`The userinfo endpoint refused the token (HTTP ${userinfo!.status} ${userinfo!.headers.get('www-authenticate') ?? ''}).`);",
      "  console.log('Userinfo:');",
      '  console.log(JSON.stringify(await userinfo!.json(), null, 2));',
    ],
  },
};
