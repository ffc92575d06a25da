/**
 * "Export code" of a flow run (issue #7): a program that rebuilds the same requests as the run — the same
 * authorization parameters, the same request object (RFC 9101: typ oauth-authz-req+jwt, iss = client_id,
 * aud = issuer, iat/nbf, exp 300 s ahead, a fresh jti) and the same client assertion (RFC 7523: iss = sub =
 * client_id, aud = issuer, exp 60 s ahead, a fresh jti), each header carrying the vault key's thumbprint as
 * kid — and sends them: PAR, the /authorize URL (JAR by value, PAR's request_uri, or plain parameters), the
 * code exchange from a pasted callback URL, or client_credentials.
 *
 * Three languages: TypeScript for Node (jose + global fetch), Python 3 (PyJWT + requests + cryptography)
 * and bash (curl, with openssl signing). Unlike the replay script (export.ts), nothing recorded is sent
 * again: state, nonce, the PKCE pair, jti and the times are fresh, and the endpoints come from the
 * issuer's discovery document fetched when the program runs, as real client code would.
 *
 * Never a secret: private keys are read from PEM files named by environment variables (the vault key each
 * file must hold is named in the header, with its kid), client secrets from $CLIENT_SECRET. Pure: no DOM,
 * no Node.
 */
import { decodeCompactJwt } from '../jwt/decode';
import type { FlowKind, FlowRun, FlowStep, FlowTarget } from '../schemas/flows';
import { BASH_JSON_URL_HELPERS, shellQuote } from './export';

/** The languages a run is exported to. */
export const CODE_LANGUAGES = ['typescript', 'python', 'shell'] as const;
/** A language a run is exported to. */
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

/** What the caller knows of a vault key (from keys.list): its name, its kid (the thumbprint) and its first alg. */
export interface CodeKeyInfo {
  name?: string;
  /** The RFC 7638 thumbprint: the kid Parley puts in the header. */
  kid?: string;
  /** The algorithm Parley signs with (the key's first alg). */
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

/** A private key file a program reads. */
export interface CodeKeyFile {
  /** What the key signs. */
  role: 'jar' | 'clientAuth';
  /** The environment variable naming the file. */
  envVar: string;
  /** The file read when the variable is not set. */
  defaultFile: string;
  /** The vault key it must hold. */
  name?: string;
  kid?: string;
  alg: string;
}

/** A generated program. */
export interface CodeExport {
  language: CodeLanguage;
  fileName: string;
  mimeType: string;
  code: string;
  /** What to install first (the shell program needs only curl and openssl). */
  setupCommand?: string;
  /** How to run it, from the directory it is saved in. */
  runCommand: string;
  /** The private key files it reads (one entry per key: the same key for both roles is listed once). */
  keyFiles: CodeKeyFile[];
  /** The environment variable holding the client secret, when the client authenticates with one. */
  secretVariable?: string;
}

/** Request objects live this long (electron/core/flows/authorization-request.ts says the same). */
export const CODE_REQUEST_OBJECT_LIFETIME_S = 300;
/** Client assertions live this long (electron/core/flows/client-auth.ts says the same). */
export const CODE_ASSERTION_LIFETIME_S = 60;
/** RFC 7523 §2.2. */
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

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

// ---------------------------------------------------------------------------------------------------
// The plan: what the program does, independent of the language.

/** A value of an authorization parameter or claim: fixed when exported, or made when the program runs. */
type Value =
  | { literal: unknown }
  | { fresh: 'state' | 'nonce' | 'code_challenge' | 'jti' }
  | { time: 'iat' | 'exp_request' | 'exp_assertion' }
  | { issuer: true }
  | { constant: 'CLIENT_ID' | 'REDIRECT_URI' };

interface KeyPlan {
  role: 'jar' | 'clientAuth';
  envVar: string;
  defaultFile: string;
  alg: string;
  kid?: string;
  name?: string;
}

interface Plan {
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
  jarKey?: KeyPlan;
  authKey?: KeyPlan;
  usesJar: boolean;
  usesPar: boolean;
  usesBrowser: boolean;
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

function recordedParams(step: FlowStep | undefined): [string, string][] | undefined {
  const params = step?.detail?.['parameters'];
  if (typeof params !== 'object' || params === null) return undefined;
  const entries = Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length > 0 ? entries : undefined;
}

function keyPlan(role: KeyPlan['role'], info: CodeKeyInfo | undefined, recorded: { alg?: string; kid?: string }): KeyPlan {
  const kid = info?.kid ?? recorded.kid;
  return {
    role,
    envVar: role === 'jar' ? CODE_ENV.jarKeyFile : CODE_ENV.clientAuthKeyFile,
    defaultFile: role === 'jar' ? DEFAULT_KEY_FILES.jar : DEFAULT_KEY_FILES.clientAuth,
    // What was sent wins: the recorded header says which algorithm the server accepted.
    alg: recorded.alg ?? info?.alg ?? 'RS256',
    ...(kid ? { kid } : {}),
    ...(info?.name ? { name: info.name } : {}),
  };
}

function planOf(input: CodeExportInput): Plan {
  const { run, target } = input;
  const kind = run.kind;
  const usesJar = kind === 'jar' || kind === 'par+jar';
  const usesPar = kind === 'par' || kind === 'par+jar';
  const recorded = recordedParams(run.steps.find((s) => s.name === 'build'));
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
    ...(pkce
      ? ([
          ['code_challenge', ''],
          ['code_challenge_method', 'S256'],
        ] as [string, string][])
      : []),
  ];
  const params = source.map(([name, value]): [string, Value] => {
    if (name === 'state' || name === 'nonce' || name === 'code_challenge') return [name, { fresh: name }];
    if (name === 'code_challenge_method') return [name, { literal: 'S256' }];
    if (name === 'client_id' && value === clientId) return [name, { constant: 'CLIENT_ID' }];
    if (name === 'redirect_uri' && value === redirectUri) return [name, { constant: 'REDIRECT_URI' }];
    return [name, { literal: value }];
  });
  const authMethod = target.auth.method;
  const audience = kind === 'client_credentials' ? target.audience : undefined;
  const jarClaims = run.options.jarClaims;
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
    ...(usesJar ? { jarKey: keyPlan('jar', input.keys?.jar, recordedJwt(run, 'Request object')) } : {}),
    ...(authMethod === 'private_key_jwt' ? { authKey: keyPlan('clientAuth', input.keys?.clientAuth, recordedJwt(run, 'Client assertion')) } : {}),
    usesJar,
    usesPar,
    usesBrowser: kind !== 'client_credentials',
    runId: run.id,
    startedAt: run.startedAt,
  };
}

/** The JWT claims of the request object, after its parameters (authorization-request.ts). */
const JWT_CLAIMS: [string, Value][] = [
  ['iss', { constant: 'CLIENT_ID' }],
  ['aud', { issuer: true }],
  ['iat', { time: 'iat' }],
  ['nbf', { time: 'iat' }],
  ['exp', { time: 'exp_request' }],
  ['jti', { fresh: 'jti' }],
];

/** The claims of the request object, in the engine's order, with the run's extra claims merged over them. */
function requestObjectClaims(plan: Plan): [string, Value][] {
  const claims: [string, Value][] = [...plan.params, ...JWT_CLAIMS];
  for (const [name, value] of Object.entries(plan.extraClaims ?? {})) {
    const at = claims.findIndex(([n]) => n === name);
    if (at === -1) claims.push([name, { literal: value }]);
    else claims[at] = [name, { literal: value }];
  }
  return claims;
}

/** The client assertion's claims (client-auth.ts). */
const ASSERTION_CLAIMS: [string, Value][] = [
  ['iss', { constant: 'CLIENT_ID' }],
  ['sub', { constant: 'CLIENT_ID' }],
  ['aud', { issuer: true }],
  ['iat', { time: 'iat' }],
  ['exp', { time: 'exp_assertion' }],
  ['jti', { fresh: 'jti' }],
];

const KIND_TITLES: Record<FlowKind, string> = {
  jar: 'JAR by value (RFC 9101)',
  par: 'PAR (RFC 9126)',
  'par+jar': 'PAR with a signed request object (RFC 9126 + RFC 9101)',
  plain: 'authorization code (plain parameters)',
  client_credentials: 'client credentials',
};

const METHOD_TITLES: Record<FlowTarget['auth']['method'], string> = {
  none: 'no client authentication (public client)',
  client_secret_basic: 'client_secret_basic (the secret from $CLIENT_SECRET)',
  client_secret_post: 'client_secret_post (the secret from $CLIENT_SECRET)',
  private_key_jwt: 'private_key_jwt (RFC 7523)',
};

/** One line of comment text: a recorded value can never end the comment (JS also ends `//` at U+2028/9). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

function keyDescription(key: KeyPlan): string {
  const what = key.role === 'jar' ? 'signs the request object' : 'signs the client assertions';
  const name = key.name ? `the vault key ${JSON.stringify(key.name)}` : 'the vault key of this target';
  return `${name} (${key.alg}${key.kid ? `, kid ${key.kid}` : ''}): ${what}`;
}

/** The header comment, the same in every language (each line prefixed by the language's comment mark). */
function headerLines(plan: Plan, language: CodeLanguage, fileName: string): string[] {
  const keys = [plan.jarKey, plan.authKey].filter((k): k is KeyPlan => k !== undefined);
  const sameKey = plan.jarKey?.kid !== undefined && plan.jarKey.kid === plan.authKey?.kid;
  const fresh = [
    ...(plan.usesBrowser ? ['state', 'nonce'] : []),
    ...(plan.usesBrowser && plan.pkce ? ['the PKCE pair'] : []),
    ...(keys.length > 0 ? ['jti', 'iat', 'exp'] : []),
  ];
  const lines = [
    `Parley code export: ${KIND_TITLES[plan.kind]}.`,
    `Client authentication: ${METHOD_TITLES[plan.authMethod]}.`,
    `Target ${JSON.stringify(plan.targetName)}, client_id ${plan.clientId}`,
    `Issuer ${plan.issuer} (${CODE_ENV.issuer} overrides it: the embedded server's port can change when Parley restarts)`,
    `Made from run ${plan.runId} (${plan.startedAt}).`,
    '',
    fresh.length > 0 ? `It sends the same requests as that run, with fresh values (${fresh.join(', ')}),` : 'It sends the same requests as that run,',
    "and takes the endpoints from the issuer's discovery document.",
    '',
  ];
  if (keys.length > 0) {
    lines.push('Private keys are read from PEM files (PKCS#8, PKCS#1 or SEC1), never written here:');
    for (const key of keys) lines.push(`  ${key.envVar} (default ${key.defaultFile}): ${keyDescription(key)}.`);
    if (sameKey) lines.push(`  Both are the same key: ${CODE_ENV.clientAuthKeyFile} defaults to ${CODE_ENV.jarKeyFile}.`);
    lines.push(
      `  ${CODE_ENV.keyPassphrase}: the passphrase of an encrypted PEM. Parley's Keys, Export, Private key`,
      '  saves the key as encrypted PKCS#8, with the passphrase you choose there.',
    );
    if (language === 'shell' && keys.some((k) => /^ES/.test(k.alg))) {
      lines.push('  ECDSA: openssl signs in DER, which this script turns into the JWS form (r || s).');
    }
  }
  if (plan.authMethod === 'client_secret_basic' || plan.authMethod === 'client_secret_post') {
    lines.push(`${CODE_ENV.clientSecret}: the client secret (required; it is never written here).`);
  }
  if (plan.extraClaims) lines.push('The run merged extra claims over the request object: they are kept (EXTRA_CLAIMS).');
  if (plan.usesBrowser) {
    lines.push('', 'It prints the URL to open in a browser, then reads the URL the browser is sent back to', '(paste it, or press Enter to stop there) and exchanges the code for tokens.');
  }
  lines.push('', 'Run it:');
  for (const l of runInstructions(language, fileName)) lines.push(`  ${l}`);
  return lines.map(oneLine);
}

function runInstructions(language: CodeLanguage, fileName: string): string[] {
  switch (language) {
    case 'typescript':
      return ['npm install jose', `npx tsx ${fileName}      (Node 20+; Node 23.6+ also runs: node ${fileName})`];
    case 'python':
      return ["pip install 'pyjwt[crypto]' requests", '  (Debian/Ubuntu: apt install python3-jwt python3-requests python3-cryptography)', `python3 ${fileName}`];
    case 'shell':
      return [`bash ${fileName}      (needs curl and openssl)`];
  }
}

/** The file name of an export: `parley-flow-<kind>.<ext>`. */
export function codeFileName(run: Pick<FlowRun, 'kind'>, language: CodeLanguage): string {
  const base = `parley-flow-${run.kind.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  // .mts: always an ES module, whatever package.json is (or is not) next to it.
  return `${base}.${language === 'typescript' ? 'mts' : language === 'python' ? 'py' : 'sh'}`;
}

/** How to run an export, from the directory it is saved in. */
export function codeRunCommand(run: Pick<FlowRun, 'kind'>, language: CodeLanguage): string {
  const file = codeFileName(run, language);
  return language === 'typescript' ? `npx tsx ${file}` : language === 'python' ? `python3 ${file}` : `bash ${file}`;
}

/** Generates the program of a run in one language. */
export function exportCode(input: CodeExportInput, language: CodeLanguage): CodeExport {
  const plan = planOf(input);
  const fileName = codeFileName(input.run, language);
  const code = language === 'typescript' ? typescriptProgram(plan, fileName) : language === 'python' ? pythonProgram(plan, fileName) : shellProgram(plan, fileName);
  const mimeType = language === 'typescript' ? 'text/typescript' : language === 'python' ? 'text/x-python' : 'text/x-shellscript';
  const sameKey = plan.jarKey?.kid !== undefined && plan.jarKey.kid === plan.authKey?.kid;
  const keyFiles = [plan.jarKey, sameKey ? undefined : plan.authKey]
    .filter((k): k is KeyPlan => k !== undefined)
    .map((k): CodeKeyFile => ({ role: k.role, envVar: k.envVar, defaultFile: k.defaultFile, alg: k.alg, ...(k.name ? { name: k.name } : {}), ...(k.kid ? { kid: k.kid } : {}) }));
  const secret = plan.authMethod === 'client_secret_basic' || plan.authMethod === 'client_secret_post';
  const setupCommand = language === 'typescript' ? 'npm install jose' : language === 'python' ? "pip install 'pyjwt[crypto]' requests" : undefined;
  return { language, fileName, mimeType, code, ...(setupCommand ? { setupCommand } : {}), runCommand: codeRunCommand(input.run, language), keyFiles, ...(secret ? { secretVariable: CODE_ENV.clientSecret } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// TypeScript (Node 20+, jose, global fetch).

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

function tsValue(value: Value): string {
  if ('literal' in value) return typeof value.literal === 'string' ? js(value.literal) : (JSON.stringify(value.literal) ?? 'null');
  if ('constant' in value) return value.constant;
  if ('issuer' in value) return 'issuer';
  if ('fresh' in value) return value.fresh === 'code_challenge' ? 'pkce.challenge' : value.fresh === 'jti' ? 'randomToken(16)' : value.fresh;
  return value.time === 'iat' ? 'iat' : value.time === 'exp_request' ? `iat + ${CODE_REQUEST_OBJECT_LIFETIME_S}` : `iat + ${CODE_ASSERTION_LIFETIME_S}`;
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

function tsKey(key: KeyPlan, fallbackVar?: string): string {
  const file = fallbackVar ? `process.env.${key.envVar} || process.env.${fallbackVar} || ${js(key.defaultFile)}` : `process.env.${key.envVar} || ${js(key.defaultFile)}`;
  return `{ file: ${file}, alg: ${js(key.alg)}, kid: ${key.kid ? js(key.kid) : 'undefined'}, what: ${js(oneLine(keyDescription(key)))} }`;
}

function typescriptProgram(plan: Plan, fileName: string): string {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  for (const line of headerLines(plan, 'typescript', fileName)) push(line === '' ? '//' : `// ${line}`);
  push('');
  const needsPkce = plan.usesBrowser && plan.pkce;
  const signs = plan.jarKey !== undefined || plan.authKey !== undefined;
  const cryptoImports = [...(needsPkce ? ['createHash'] : []), ...(signs ? ['createPrivateKey'] : []), ...(plan.usesBrowser || signs ? ['randomBytes'] : [])];
  if (cryptoImports.length > 0) push(`import { ${cryptoImports.join(', ')} } from 'node:crypto';`);
  if (signs) push("import { readFileSync } from 'node:fs';");
  if (plan.usesBrowser) push("import { createInterface } from 'node:readline';");
  if (signs) push("import { SignJWT, importPKCS8 } from 'jose';");
  push(
    '',
    `const ISSUER = process.env.${CODE_ENV.issuer} || ${js(plan.issuer)};`,
    `const CLIENT_ID = ${js(plan.clientId)};`,
  );
  if (plan.usesBrowser) push(`const REDIRECT_URI = ${js(plan.redirectUri)};`);
  if (plan.audience !== undefined) push(`const AUDIENCE = ${js(plan.audience)};`);
  if (plan.extraClaims) push(`// The claims the run merged over the request object.`, `const EXTRA_CLAIMS: Record<string, unknown> = ${JSON.stringify(plan.extraClaims)};`);
  if (signs) {
    push('', '/** A private key file and how to sign with it. */', 'interface KeyRef {', '  file: string;', '  alg: string;', '  kid: string | undefined;', '  what: string;', '}');
    if (plan.jarKey) push(`const JAR_KEY: KeyRef = ${tsKey(plan.jarKey)};`);
    if (plan.authKey) {
      const same = plan.jarKey?.kid !== undefined && plan.jarKey.kid === plan.authKey.kid;
      push(`const CLIENT_AUTH_KEY: KeyRef = ${tsKey(plan.authKey, same ? CODE_ENV.jarKeyFile : undefined)};`);
    }
  }
  if (plan.authMethod === 'client_secret_basic' || plan.authMethod === 'client_secret_post') {
    push(
      '',
      `const CLIENT_SECRET = process.env.${CODE_ENV.clientSecret} ?? '';`,
      'if (CLIENT_SECRET === \'\') {',
      `  console.error('Set CLIENT_SECRET to the client secret before running this program, e.g.: CLIENT_SECRET=... ${codeRunCommand({ kind: plan.kind }, 'typescript')}');`,
      '  process.exit(2);',
      '}',
    );
  }
  push(
    '',
    'type Json = Record<string, unknown>;',
    '',
    'function fail(message: string): never {',
    '  console.error(message);',
    '  process.exit(1);',
    '}',
  );
  if (plan.usesBrowser || signs) {
    push('', '/** A random base64url token of `bytes` bytes of entropy. */', 'function randomToken(bytes: number): string {', "  return randomBytes(bytes).toString('base64url');", '}');
  }
  if (signs) {
    push(
      '',
      'const loaded = new Map<string, Promise<CryptoKey>>();',
      '',
      '/** Reads a PEM private key (decrypting it with KEY_PASSPHRASE when it is encrypted) for jose. */',
      'function privateKey(key: KeyRef): Promise<CryptoKey> {',
      '  let found = loaded.get(key.file);',
      '  if (!found) {',
      '    let pem: string;',
      '    try {',
      "      pem = readFileSync(key.file, 'utf8');",
      '    } catch {',
      '      fail(`Cannot read ${key.file}: save ${key.what} there as a PEM file (Parley: Keys, Export, Private key).`);',
      '    }',
      `    const passphrase = process.env.${CODE_ENV.keyPassphrase} || undefined;`,
      '    let pkcs8: string;',
      '    try {',
      "      pkcs8 = createPrivateKey({ key: pem, format: 'pem', ...(passphrase ? { passphrase } : {}) }).export({ type: 'pkcs8', format: 'pem' }).toString();",
      '    } catch (e) {',
      '      fail(`${key.file} is not a private key this program can read${passphrase ? \'\' : \' (is it encrypted? set KEY_PASSPHRASE)\'}: ${e instanceof Error ? e.message : String(e)}`);',
      '    }',
      '    found = importPKCS8(pkcs8, key.alg);',
      '    loaded.set(key.file, found);',
      '  }',
      '  return found;',
      '}',
      '',
      '/** Signs a JWT with a key file: the header says alg, typ and the vault key\'s kid. */',
      'async function sign(key: KeyRef, typ: string, payload: Json): Promise<string> {',
      '  return new SignJWT(payload)',
      '    .setProtectedHeader({ alg: key.alg, typ, ...(key.kid ? { kid: key.kid } : {}) })',
      '    .sign(await privateKey(key));',
      '}',
    );
  }
  push(
    '',
    '/** POSTs a form and reads the JSON answer. */',
    'async function postForm(url: string, form: URLSearchParams, headers: Record<string, string>): Promise<{ status: number; body: Json }> {',
    "  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form });",
    '  const text = await res.text();',
    '  try {',
    '    const body: unknown = JSON.parse(text);',
    "    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return { status: res.status, body: body as Json };",
    '  } catch {',
    '    // Not JSON: said below.',
    '  }',
    '  return fail(`${url} answered HTTP ${res.status} with something other than a JSON object: ${text.slice(0, 300)}`);',
    '}',
    '',
    'function describe(body: Json): string {',
    "  return [body['error'], body['error_description']].filter((x) => typeof x === 'string').join(': ') || JSON.stringify(body);",
    '}',
  );
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
        "  console.log(`Client assertion: ${assertion}`);",
        "  form.set('client_id', CLIENT_ID);",
        `  form.set('client_assertion_type', ${js(JWT_BEARER)});`,
        "  form.set('client_assertion', assertion);",
        '  return {};',
      );
      break;
  }
  push('}');

  // main
  push(
    '',
    'async function main(): Promise<void> {',
    "  const discoveryUrl = `${ISSUER.replace(/\\/?$/, '/')}.well-known/openid-configuration`;",
    '  const discoveryRes = await fetch(discoveryUrl, { headers: { accept: \'application/json\' } });',
    '  if (discoveryRes.status !== 200) fail(`${discoveryUrl} answered HTTP ${discoveryRes.status}.`);',
    '  const discovery = (await discoveryRes.json()) as Json;',
    '  const endpoint = (name: string): string => {',
    '    const value = discovery[name];',
    "    return typeof value === 'string' ? value : fail(`The discovery document has no ${name}.`);",
    '  };',
    "  const issuer = endpoint('issuer');",
    "  if (issuer.replace(/\\/$/, '') !== ISSUER.replace(/\\/$/, '')) fail(`The discovery document names the issuer ${issuer}, not ${ISSUER}.`);",
  );
  if (!plan.usesBrowser) {
    push(
      '',
      '  // Client credentials: one token request.',
      "  const form = new URLSearchParams({ grant_type: 'client_credentials' });",
      ...(plan.audience !== undefined ? ["  form.set('audience', AUDIENCE);"] : []),
      "  const token = await postForm(endpoint('token_endpoint'), form, await authenticate(form, issuer));",
      '  if (token.status !== 200 || typeof token.body[\'access_token\'] !== \'string\') fail(`The token endpoint rejected the request (HTTP ${token.status} ${describe(token.body)}).`);',
      "  console.log(`access_token: ${token.body['access_token']}`);",
      '  console.log(JSON.stringify(token.body, null, 2));',
      '}',
    );
  } else {
    push('', '  // The authorization request: fresh state and nonce' + (plan.pkce ? ', and a PKCE pair (RFC 7636, S256).' : '.'), '  const state = randomToken(16);', '  const nonce = randomToken(16);');
    if (plan.pkce) {
      push('  const verifier = randomToken(32);', "  const pkce = { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };");
    }
    push(`  const params: Record<string, string> = ${tsObject(plan.params, '  ')};`);
    if (plan.usesJar) {
      // The params spread first, then the JWT claims, then the run's extra claims (the engine's order).
      push(
        '',
        '  // The request object (RFC 9101): the parameters as claims, iss = client_id, aud = issuer, a short life.',
        '  const iat = Math.floor(Date.now() / 1000);',
        `  const requestObject = await sign(JAR_KEY, 'oauth-authz-req+jwt', ${plan.extraClaims ? `{ ...${tsObject(JWT_CLAIMS, '  ', 'params')}, ...EXTRA_CLAIMS }` : tsObject(JWT_CLAIMS, '  ', 'params')});`,
        '  console.log(`Request object: ${requestObject}`);',
      );
    }
    push('', "  const authorizeUrl = new URL(endpoint('authorization_endpoint'));");
    if (plan.usesPar) {
      push(
        '',
        '  // PAR (RFC 9126): push the request, get a request_uri.',
        `  const parForm = new URLSearchParams(${plan.usesJar ? '{ request: requestObject }' : 'params'});`,
        "  const pushed = await postForm(endpoint('pushed_authorization_request_endpoint'), parForm, await authenticate(parForm, issuer));",
        "  const requestUri = pushed.body['request_uri'];",
        "  if (pushed.status !== 201 || typeof requestUri !== 'string') fail(`The PAR endpoint rejected the request (HTTP ${pushed.status} ${describe(pushed.body)}).`);",
        "  console.log(`request_uri: ${requestUri}`);",
        "  if (typeof pushed.body['expires_in'] === 'number') console.log(`expires_in: ${pushed.body['expires_in']} s`);",
        "  authorizeUrl.searchParams.set('client_id', CLIENT_ID);",
        "  authorizeUrl.searchParams.set('request_uri', requestUri);",
      );
    } else if (plan.usesJar) {
      push("  authorizeUrl.searchParams.set('client_id', CLIENT_ID);", "  authorizeUrl.searchParams.set('request', requestObject);");
    } else {
      push('  for (const [name, value] of Object.entries(params)) authorizeUrl.searchParams.set(name, value);');
    }
    push(
      '',
      "  console.log('');",
      "  console.log('Open this URL in a browser and sign in:');",
      '  console.log(`  ${authorizeUrl.href}`);',
      '',
      '  // The browser ends at the redirect URI with ?code=…: paste that URL (Enter alone stops here).',
      "  console.log('');",
      "  console.log('Then paste the URL the browser was sent back to (or press Enter to stop here):');",
      '  const callbackUrl = await readLine();',
      "  if (!callbackUrl) {",
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
      "  if (returnedIssuer !== null && returnedIssuer !== issuer) fail(`The callback names the issuer ${returnedIssuer}, not ${issuer} (RFC 9207).`);",
      "  const code = answer.get('code') ?? fail('That URL has no code parameter.');",
      '',
      '  // The code exchange, with a new client authentication.',
      "  const tokenForm = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });",
      ...(plan.pkce ? ["  tokenForm.set('code_verifier', pkce.verifier);"] : []),
      "  const token = await postForm(endpoint('token_endpoint'), tokenForm, await authenticate(tokenForm, issuer));",
      "  if (token.status !== 200 || typeof token.body['access_token'] !== 'string') fail(`The token endpoint rejected the request (HTTP ${token.status} ${describe(token.body)}).`);",
      "  console.log('Tokens:');",
      '  console.log(JSON.stringify(token.body, null, 2));',
      '}',
      '',
      '/** The first line of standard input (undefined at its end). */',
      'async function readLine(): Promise<string | undefined> {',
      '  const lines = createInterface({ input: process.stdin });',
      '  try {',
      '    for await (const line of lines) return line.trim();',
      '    return undefined;',
      '  } finally {',
      '    lines.close();',
      '  }',
      '}',
    );
  }
  push(
    '',
    'main().catch((e: unknown) => {',
    '  fail(e instanceof Error ? e.message : String(e));',
    '});',
    '',
  );
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Python 3 (PyJWT, requests, cryptography).

/** A Python string literal (JSON's escapes are Python's). */
const py = (value: string): string => JSON.stringify(value);

function pyValue(value: Value): string {
  if ('literal' in value) {
    const v = value.literal;
    return typeof v === 'string' ? py(v) : `json.loads(${py(JSON.stringify(v) ?? 'null')})`;
  }
  if ('constant' in value) return value.constant;
  if ('issuer' in value) return 'issuer';
  if ('fresh' in value) return value.fresh === 'code_challenge' ? 'code_challenge' : value.fresh === 'jti' ? 'random_token(16)' : value.fresh;
  return value.time === 'iat' ? 'iat' : value.time === 'exp_request' ? `iat + ${CODE_REQUEST_OBJECT_LIFETIME_S}` : `iat + ${CODE_ASSERTION_LIFETIME_S}`;
}

/** A dict literal, one member a line (`**spread` first when given). */
function pyDict(entries: [string, Value][], indent: string, spread?: string): string {
  const lines = [...(spread ? [`**${spread},`] : []), ...entries.map(([n, v]) => `${py(n)}: ${pyValue(v)},`)];
  return `{\n${lines.map((l) => `${indent}    ${l}`).join('\n')}\n${indent}}`;
}

function pyKey(key: KeyPlan, fallbackVar?: string): string {
  const file = fallbackVar ? `os.environ.get(${py(key.envVar)}) or os.environ.get(${py(fallbackVar)}) or ${py(key.defaultFile)}` : `os.environ.get(${py(key.envVar)}) or ${py(key.defaultFile)}`;
  return `{"file": ${file}, "alg": ${py(key.alg)}, "kid": ${key.kid ? py(key.kid) : 'None'}, "what": ${py(oneLine(keyDescription(key)))}}`;
}

function pythonProgram(plan: Plan, fileName: string): string {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  push('#!/usr/bin/env python3');
  for (const line of headerLines(plan, 'python', fileName)) push(line === '' ? '#' : `# ${line}`);
  push('');
  const signs = plan.jarKey !== undefined || plan.authKey !== undefined;
  push('import base64', 'import hashlib', 'import json', 'import os', 'import secrets', 'import sys', 'import time', 'import urllib.parse', '');
  push('try:', '    import requests');
  if (signs) push('    import jwt', '    from cryptography.hazmat.primitives import serialization');
  push(
    'except ImportError as missing:',
    `    sys.exit(f"This program needs ${signs ? 'PyJWT, cryptography and requests' : 'requests'} ({missing}): pip install ${signs ? "'pyjwt[crypto]' " : ''}requests")`,
    '',
    `ISSUER = os.environ.get(${py(CODE_ENV.issuer)}) or ${py(plan.issuer)}`,
    `CLIENT_ID = ${py(plan.clientId)}`,
  );
  if (plan.usesBrowser) push(`REDIRECT_URI = ${py(plan.redirectUri)}`);
  if (plan.audience !== undefined) push(`AUDIENCE = ${py(plan.audience)}`);
  if (plan.extraClaims) push('# The claims the run merged over the request object.', `EXTRA_CLAIMS = json.loads(${py(JSON.stringify(plan.extraClaims))})`);
  if (plan.jarKey) push(`JAR_KEY = ${pyKey(plan.jarKey)}`);
  if (plan.authKey) {
    const same = plan.jarKey?.kid !== undefined && plan.jarKey.kid === plan.authKey.kid;
    push(`CLIENT_AUTH_KEY = ${pyKey(plan.authKey, same ? CODE_ENV.jarKeyFile : undefined)}`);
  }
  if (plan.authMethod === 'client_secret_basic' || plan.authMethod === 'client_secret_post') {
    push(
      `CLIENT_SECRET = os.environ.get(${py(CODE_ENV.clientSecret)}, "")`,
      'if not CLIENT_SECRET:',
      `    print("Set CLIENT_SECRET to the client secret before running this program, e.g.: CLIENT_SECRET=... ${codeRunCommand({ kind: plan.kind }, 'python')}", file=sys.stderr)`,
      '    sys.exit(2)',
    );
  }
  push(
    '',
    '',
    'def fail(message):',
    '    print(message, file=sys.stderr)',
    '    sys.exit(1)',
    '',
    '',
    'def random_token(size):',
    '    """A random base64url token of `size` bytes of entropy."""',
    '    return secrets.token_urlsafe(size)',
  );
  if (signs) {
    push(
      '',
      '',
      '_loaded = {}',
      '',
      '',
      'def private_key(key):',
      '    """Reads a PEM private key, decrypting it with KEY_PASSPHRASE when it is encrypted."""',
      '    if key["file"] not in _loaded:',
      '        try:',
      '            with open(key["file"], "rb") as f:',
      '                pem = f.read()',
      '        except OSError:',
      '            fail(f"Cannot read {key[\'file\']}: save {key[\'what\']} there as a PEM file (Parley: Keys, Export, Private key).")',
      `        passphrase = os.environ.get(${py(CODE_ENV.keyPassphrase)}) or None`,
      '        try:',
      '            _loaded[key["file"]] = serialization.load_pem_private_key(pem, password=passphrase.encode() if passphrase else None)',
      '        except (ValueError, TypeError) as e:',
      '            hint = "" if passphrase else " (is it encrypted? set KEY_PASSPHRASE)"',
      '            fail(f"{key[\'file\']} is not a private key this program can read{hint}: {e}")',
      '    return _loaded[key["file"]]',
      '',
      '',
      'def sign(key, typ, payload):',
      '    """Signs a JWT with a key file: the header says alg, typ and the vault key\'s kid."""',
      '    headers = {"typ": typ}',
      '    if key["kid"]:',
      '        headers["kid"] = key["kid"]',
      '    token = jwt.encode(payload, private_key(key), algorithm=key["alg"], headers=headers)',
      '    return token if isinstance(token, str) else token.decode()',
    );
  }
  push(
    '',
    '',
    'def post_form(url, form, headers):',
    '    """POSTs a form and reads the JSON answer."""',
    '    res = requests.post(url, data=form, headers={"accept": "application/json", **headers}, timeout=30)',
    '    try:',
    '        body = res.json()',
    '    except ValueError:',
    '        body = None',
    '    if not isinstance(body, dict):',
    '        fail(f"{url} answered HTTP {res.status_code} with something other than a JSON object: {res.text[:300]}")',
    '    return res.status_code, body',
    '',
    '',
    'def describe(body):',
    '    return ": ".join(x for x in (body.get("error"), body.get("error_description")) if isinstance(x, str)) or json.dumps(body)',
    '',
    '',
    'def authenticate(form, issuer):',
    '    """Adds the client authentication to a request (RFC 6749 §2.3, RFC 7523 §2.2); returns extra headers."""',
  );
  switch (plan.authMethod) {
    case 'none':
      push('    form["client_id"] = CLIENT_ID', '    return {}');
      break;
    case 'client_secret_post':
      push('    form["client_id"] = CLIENT_ID', '    form["client_secret"] = CLIENT_SECRET', '    return {}');
      break;
    case 'client_secret_basic':
      push(
        '    # Each part is form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).',
        '    def enc(s):',
        '        return urllib.parse.quote(s, safe="-_.!~*\'()").replace("%20", "+")',
        '    credentials = base64.b64encode(f"{enc(CLIENT_ID)}:{enc(CLIENT_SECRET)}".encode()).decode()',
        '    return {"authorization": f"Basic {credentials}"}',
      );
      break;
    case 'private_key_jwt':
      push(
        '    iat = int(time.time())',
        `    assertion = sign(CLIENT_AUTH_KEY, "JWT", ${pyDict(ASSERTION_CLAIMS, '    ')})`,
        '    print(f"Client assertion: {assertion}")',
        '    form["client_id"] = CLIENT_ID',
        `    form["client_assertion_type"] = ${py(JWT_BEARER)}`,
        '    form["client_assertion"] = assertion',
        '    return {}',
      );
      break;
  }
  push(
    '',
    '',
    'def main():',
    '    discovery_url = ISSUER.rstrip("/") + "/.well-known/openid-configuration"',
    '    res = requests.get(discovery_url, headers={"accept": "application/json"}, timeout=30)',
    '    if res.status_code != 200:',
    '        fail(f"{discovery_url} answered HTTP {res.status_code}.")',
    '    discovery = res.json()',
    '',
    '    def endpoint(name):',
    '        value = discovery.get(name)',
    '        if not isinstance(value, str):',
    '            fail(f"The discovery document has no {name}.")',
    '        return value',
    '',
    '    issuer = endpoint("issuer")',
    '    if issuer.rstrip("/") != ISSUER.rstrip("/"):',
    '        fail(f"The discovery document names the issuer {issuer}, not {ISSUER}.")',
  );
  if (!plan.usesBrowser) {
    push(
      '',
      '    # Client credentials: one token request.',
      '    form = {"grant_type": "client_credentials"}',
      ...(plan.audience !== undefined ? ['    form["audience"] = AUDIENCE'] : []),
      '    headers = authenticate(form, issuer)',
      '    status, tokens = post_form(endpoint("token_endpoint"), form, headers)',
      '    if status != 200 or not isinstance(tokens.get("access_token"), str):',
      '        fail(f"The token endpoint rejected the request (HTTP {status} {describe(tokens)}).")',
      '    print(f"access_token: {tokens[\'access_token\']}")',
      '    print(json.dumps(tokens, indent=2))',
    );
  } else {
    push('', '    # The authorization request: fresh state and nonce' + (plan.pkce ? ', and a PKCE pair (RFC 7636, S256).' : '.'), '    state = random_token(16)', '    nonce = random_token(16)');
    if (plan.pkce) {
      push('    code_verifier = random_token(32)', '    code_challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()');
    }
    push(`    params = ${pyDict(plan.params, '    ')}`);
    if (plan.usesJar) {
      push(
        '',
        '    # The request object (RFC 9101): the parameters as claims, iss = client_id, aud = issuer, a short life.',
        '    iat = int(time.time())',
        `    claims = ${pyDict(JWT_CLAIMS, '    ', 'params')}`,
        ...(plan.extraClaims ? ['    claims.update(EXTRA_CLAIMS)'] : []),
        '    request_object = sign(JAR_KEY, "oauth-authz-req+jwt", claims)',
        '    print(f"Request object: {request_object}")',
      );
    }
    push('', '    authorization_endpoint = endpoint("authorization_endpoint")');
    if (plan.usesPar) {
      push(
        '',
        '    # PAR (RFC 9126): push the request, get a request_uri.',
        `    par_form = ${plan.usesJar ? '{"request": request_object}' : 'dict(params)'}`,
        '    headers = authenticate(par_form, issuer)',
        '    status, pushed = post_form(endpoint("pushed_authorization_request_endpoint"), par_form, headers)',
        '    request_uri = pushed.get("request_uri")',
        '    if status != 201 or not isinstance(request_uri, str):',
        '        fail(f"The PAR endpoint rejected the request (HTTP {status} {describe(pushed)}).")',
        '    print(f"request_uri: {request_uri}")',
        '    if isinstance(pushed.get("expires_in"), int):',
        '        print(f"expires_in: {pushed[\'expires_in\']} s")',
        '    query = {"client_id": CLIENT_ID, "request_uri": request_uri}',
      );
    } else if (plan.usesJar) {
      push('    query = {"client_id": CLIENT_ID, "request": request_object}');
    } else {
      push('    query = params');
    }
    push(
      '    authorize_url = authorization_endpoint + ("&" if "?" in authorization_endpoint else "?") + urllib.parse.urlencode(query)',
      '',
      '    print()',
      '    print("Open this URL in a browser and sign in:")',
      '    print(f"  {authorize_url}")',
      '',
      '    # The browser ends at the redirect URI with ?code=...: paste that URL (Enter alone stops here).',
      '    print()',
      '    print("Then paste the URL the browser was sent back to (or press Enter to stop here):", flush=True)',
      '    try:',
      '        callback_url = input().strip()',
      '    except EOFError:',
      '        callback_url = ""',
      '    if not callback_url:',
      '        print("No callback URL: stopping before the token exchange.")',
      '        return',
      '    parsed = urllib.parse.urlsplit(callback_url)',
      '    answer = dict(urllib.parse.parse_qsl(parsed.query or parsed.fragment))',
      '    if answer.get("error"):',
      '        fail(f"The authorization server answered error={answer[\'error\']}: {answer.get(\'error_description\', \'\')}")',
      '    if answer.get("state") != state:',
      '        fail("The state in that URL is not the one this program sent (is it from another request?).")',
      '    if "iss" in answer and answer["iss"] != issuer:',
      '        fail(f"The callback names the issuer {answer[\'iss\']}, not {issuer} (RFC 9207).")',
      '    code = answer.get("code")',
      '    if not code:',
      '        fail("That URL has no code parameter.")',
      '',
      '    # The code exchange, with a new client authentication.',
      '    token_form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}',
      ...(plan.pkce ? ['    token_form["code_verifier"] = code_verifier'] : []),
      '    headers = authenticate(token_form, issuer)',
      '    status, tokens = post_form(endpoint("token_endpoint"), token_form, headers)',
      '    if status != 200 or not isinstance(tokens.get("access_token"), str):',
      '        fail(f"The token endpoint rejected the request (HTTP {status} {describe(tokens)}).")',
      '    print("Tokens:")',
      '    print(json.dumps(tokens, indent=2))',
    );
  }
  push('', '', 'if __name__ == "__main__":', '    try:', '        main()', '    except requests.RequestException as e:', '        fail(str(e))', '');
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// bash (curl, openssl).

/**
 * The shell functions the exported scripts use: base64url, JSON string access, percent-encoding, and
 * `sign_jwt` (openssl dgst; RSASSA-PSS options for PS*, DER → r||s for ES*). Exported for the tests.
 */
export const SHELL_HELPERS = String.raw`# base64url without padding (RFC 7515 §2), from standard input.
b64url() {
  openssl base64 -A | tr '+/' '-_' | tr -d '='
}

# A random base64url token of $1 bytes of entropy.
random_token() {
  openssl rand "$1" | b64url
}

# A string as a JSON string literal (quotes and backslashes escaped).
json_quote() {
  local s=${'$'}{1//\\/\\\\}
  s=${'$'}{s//\"/\\\"}
  printf '"%s"' "$s"
}

${BASH_JSON_URL_HELPERS}

# An ECDSA signature from openssl (DER) as JWS wants it: r || s, each $1 bytes (RFC 7518 §3.4).
der_to_raw() {
  local size=$1 parsed line hex out=''
  parsed=$(openssl asn1parse -inform DER) || return 1
  while IFS= read -r line; do
    [[ $line == *INTEGER* ]] || continue
    hex=${'$'}{line##*:}
    hex=${'$'}{hex//[[:space:]]/}
    while (( ${'$'}{#hex} < size * 2 )); do hex=0$hex; done
    out+=${'$'}{hex: -$(( size * 2 ))}
  done <<<"$parsed"
  if (( ${'$'}{#out} != size * 4 )); then
    echo "Unexpected ECDSA signature from openssl." >&2
    return 1
  fi
  printf '%b' "$(printf '%s' "$out" | sed 's/../\\x&/g')"
}

# Signs a JWT: sign_jwt ALG KEY_FILE HEADER_JSON PAYLOAD_JSON. KEY_PASSPHRASE decrypts an encrypted PEM.
sign_jwt() {
  local alg=$1 key=$2 header=$3 payload=$4 digest size=0 input
  local -a options=()
  if [[ ! -r $key ]]; then
    echo "Cannot read $key: save the private key there as a PEM file (Parley: Keys, Export, Private key)." >&2
    return 1
  fi
  case $alg in
    RS256 | PS256 | ES256) digest=sha256 ;;
    RS384 | PS384 | ES384) digest=sha384 ;;
    RS512 | PS512 | ES512) digest=sha512 ;;
    *) echo "This script cannot sign with $alg." >&2; return 1 ;;
  esac
  case $alg in
    PS*) options=(-sigopt rsa_padding_mode:pss -sigopt "rsa_pss_saltlen:$(( ${'$'}{digest#sha} / 8 ))" -sigopt "rsa_mgf1_md:$digest") ;;
    ES256) size=32 ;;
    ES384) size=48 ;;
    ES512) size=66 ;;
  esac
  if [[ -n ${'$'}{KEY_PASSPHRASE:-} ]]; then options+=(-passin env:KEY_PASSPHRASE); fi
  input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  if (( size > 0 )); then
    printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst "-$digest" -sign "$key" ${'$'}{options[@]+"${'$'}{options[@]}"} -binary | der_to_raw "$size" | b64url)"
  else
    printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst "-$digest" -sign "$key" ${'$'}{options[@]+"${'$'}{options[@]}"} -binary | b64url)"
  fi
}`;

/** A JSON value as pieces: literal JSON text, and shell expansions (already double-quoted) in between. */
function shellPieces(value: Value): ({ text: string } | { expansion: string })[] {
  if ('literal' in value) return [{ text: JSON.stringify(value.literal) ?? 'null' }];
  if ('constant' in value) return [{ expansion: `"$(json_quote "$${value.constant}")"` }];
  if ('issuer' in value) return [{ expansion: '"$issuer_json"' }];
  // Fresh values are base64url: safe inside a JSON string as they are.
  if ('fresh' in value) return [{ text: '"' }, { expansion: value.fresh === 'jti' ? '"$(random_token 16)"' : `"$${value.fresh}"` }, { text: '"' }];
  return [{ expansion: value.time === 'iat' ? '"$iat"' : `"$(( iat + ${value.time === 'exp_request' ? CODE_REQUEST_OBJECT_LIFETIME_S : CODE_ASSERTION_LIFETIME_S} ))"` }];
}

/** Lines building a JSON object in `$variable`, one member a line. */
function shellJson(variable: string, entries: [string, Value][], indent: string): string[] {
  const line = (name: string, value: Value, first: boolean): string => {
    const pieces = [{ text: `${first ? '' : ','}${JSON.stringify(name)}:` }, ...shellPieces(value)];
    let word = '';
    let text = '';
    for (const piece of pieces) {
      if ('text' in piece) {
        text += piece.text;
      } else {
        if (text) word += shellQuote(text);
        text = '';
        word += piece.expansion;
      }
    }
    if (text) word += shellQuote(text);
    return `${indent}${variable}+=${word}`;
  };
  return [`${indent}${variable}='{'`, ...entries.map(([name, value], i) => line(name, value, i === 0)), `${indent}${variable}+='}'`];
}

/** A form field as curl words: the name as given, the value percent-encoded by curl. */
function shellFormField(name: string, value: Value): string {
  if ('literal' in value) return `--data-urlencode ${shellQuote(`${name}=${typeof value.literal === 'string' ? value.literal : JSON.stringify(value.literal)}`)}`;
  if ('constant' in value) return `--data-urlencode "${name}=$${value.constant}"`;
  if ('fresh' in value) return `--data-urlencode "${name}=$${value.fresh}"`;
  return `--data-urlencode "${name}=$issuer"`;
}

function shellHeader(key: KeyPlan, typ: string): string {
  return shellQuote(JSON.stringify({ alg: key.alg, typ, ...(key.kid ? { kid: key.kid } : {}) }));
}

function shellProgram(plan: Plan, fileName: string): string {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  push('#!/usr/bin/env bash');
  for (const line of headerLines(plan, 'shell', fileName)) push(line === '' ? '#' : `# ${line}`);
  push(
    '',
    'set -euo pipefail',
    '',
    'for tool in curl openssl; do',
    '  command -v "$tool" >/dev/null 2>&1 || { echo "This script needs $tool." >&2; exit 2; }',
    'done',
    '',
    `default_issuer=${shellQuote(plan.issuer)}`,
    'ISSUER=${ISSUER:-$default_issuer}',
    `CLIENT_ID=${shellQuote(plan.clientId)}`,
  );
  if (plan.usesBrowser) push(`REDIRECT_URI=${shellQuote(plan.redirectUri)}`);
  if (plan.audience !== undefined) push(`AUDIENCE=${shellQuote(plan.audience)}`);
  if (plan.jarKey) push(`JAR_KEY_FILE=\${JAR_KEY_FILE:-${shellQuote(plan.jarKey.defaultFile)}}`);
  if (plan.authKey) {
    const same = plan.jarKey?.kid !== undefined && plan.jarKey.kid === plan.authKey.kid;
    push(`CLIENT_AUTH_KEY_FILE=\${CLIENT_AUTH_KEY_FILE:-${same ? '$JAR_KEY_FILE' : shellQuote(plan.authKey.defaultFile)}}`);
  }
  if (plan.authMethod === 'client_secret_basic' || plan.authMethod === 'client_secret_post') {
    push(
      'if [[ -z "${CLIENT_SECRET:-}" ]]; then',
      `  echo "Set CLIENT_SECRET to the client secret before running this script, e.g.: CLIENT_SECRET=... ${codeRunCommand({ kind: plan.kind }, 'shell')}" >&2`,
      '  exit 2',
      'fi',
    );
  }
  push('', SHELL_HELPERS);
  push(
    '',
    '# POSTs a form (curl arguments follow the URL); prints the body, then the HTTP status on the last line.',
    'post_form() {',
    "  curl -sS -w '\\n%{http_code}' -H 'accept: application/json' \"$@\"",
    '}',
    '',
    '# Sets auth_args: the curl arguments of the client authentication (RFC 6749 §2.3, RFC 7523 §2.2).',
    'client_auth() {',
  );
  switch (plan.authMethod) {
    case 'none':
      push('  auth_args=(--data-urlencode "client_id=$CLIENT_ID")');
      break;
    case 'client_secret_post':
      push('  auth_args=(--data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET")');
      break;
    case 'client_secret_basic':
      push(
        '  # Each part is form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).',
        '  local id secret',
        '  id=$(urlencode "$CLIENT_ID"); id=${id//%20/+}',
        '  secret=$(urlencode "$CLIENT_SECRET"); secret=${secret//%20/+}',
        '  auth_args=(-H "authorization: Basic $(printf \'%s:%s\' "$id" "$secret" | openssl base64 -A)")',
      );
      break;
    case 'private_key_jwt': {
      const key = plan.authKey!;
      push('  local iat payload assertion', '  iat=$(date +%s)', ...shellJson('payload', ASSERTION_CLAIMS, '  '));
      push(
        `  assertion=$(sign_jwt ${shellQuote(key.alg)} "$CLIENT_AUTH_KEY_FILE" ${shellHeader(key, 'JWT')} "$payload")`,
        '  echo "Client assertion: $assertion"',
        `  auth_args=(--data-urlencode "client_id=$CLIENT_ID" -d ${shellQuote(`client_assertion_type=${JWT_BEARER}`)} --data-urlencode "client_assertion=$assertion")`,
      );
      break;
    }
  }
  push(
    '}',
    '',
    '# The HTTP status (last line) and the body (the rest) of what post_form printed.',
    'status_of() { printf \'%s\' "${1##*$\'\\n\'}"; }',
    'body_of() { printf \'%s\' "${1%$\'\\n\'*}"; }',
    '',
    '# Discovery: the endpoints, as real client code finds them.',
    'discovery_url="${ISSUER%/}/.well-known/openid-configuration"',
    "discovery=$(curl -sS -f -H 'accept: application/json' \"$discovery_url\") || { echo \"Cannot read $discovery_url.\" >&2; exit 1; }",
    'issuer=$(json_string issuer "$discovery")',
    'if [[ "${issuer%/}" != "${ISSUER%/}" ]]; then',
    '  echo "The discovery document names the issuer ${issuer:-(none)}, not $ISSUER." >&2',
    '  exit 1',
    'fi',
    'issuer_json=$(json_quote "$issuer")',
    'endpoint() {',
    '  local value',
    '  value=$(json_string "$1" "$discovery")',
    '  if [[ -z $value ]]; then echo "The discovery document has no $1." >&2; exit 1; fi',
    '  printf \'%s\' "$value"',
    '}',
    'token_endpoint=$(endpoint token_endpoint)',
  );
  if (!plan.usesBrowser) {
    push(
      '',
      '# Client credentials: one token request.',
      'client_auth',
      `response=$(post_form "$token_endpoint" -d 'grant_type=client_credentials'${plan.audience !== undefined ? ' --data-urlencode "audience=$AUDIENCE"' : ''} "\${auth_args[@]}")`,
      'status=$(status_of "$response"); body=$(body_of "$response")',
      'access_token=$(json_string access_token "$body")',
      'if [[ $status != 200 || -z $access_token ]]; then',
      '  echo "The token endpoint rejected the request (HTTP $status): $body" >&2',
      '  exit 1',
      'fi',
      'echo "access_token: $access_token"',
      'printf \'%s\\n\' "$body"',
      '',
    );
    return L.join('\n');
  }
  push(
    'authorization_endpoint=$(endpoint authorization_endpoint)',
    '',
    `# The authorization request: fresh state and nonce${plan.pkce ? ', and a PKCE pair (RFC 7636, S256).' : '.'}`,
    'state=$(random_token 16)',
    'nonce=$(random_token 16)',
  );
  if (plan.pkce) push('code_verifier=$(random_token 32)', 'code_challenge=$(printf \'%s\' "$code_verifier" | openssl dgst -sha256 -binary | b64url)');
  if (plan.usesJar) {
    const key = plan.jarKey!;
    push(
      '',
      '# The request object (RFC 9101): the parameters as claims, iss = client_id, aud = issuer, a short life.',
      'iat=$(date +%s)',
      ...shellJson('claims', requestObjectClaims(plan), ''),
      `request_object=$(sign_jwt ${shellQuote(key.alg)} "$JAR_KEY_FILE" ${shellHeader(key, 'oauth-authz-req+jwt')} "$claims")`,
      'echo "Request object: $request_object"',
    );
  }
  if (plan.usesPar) {
    push(
      '',
      '# PAR (RFC 9126): push the request, get a request_uri.',
      'par_endpoint=$(endpoint pushed_authorization_request_endpoint)',
      'client_auth',
      'response=$(post_form "$par_endpoint" \\',
      ...(plan.usesJar ? ['  --data-urlencode "request=$request_object" \\'] : plan.params.filter(([n]) => n !== 'client_id' || plan.authMethod === 'client_secret_basic').map(([n, v]) => `  ${shellFormField(n, v)} \\`)),
      '  "${auth_args[@]}")',
      'status=$(status_of "$response"); body=$(body_of "$response")',
      'request_uri=$(json_string request_uri "$body")',
      'if [[ $status != 201 || -z $request_uri ]]; then',
      '  echo "The PAR endpoint rejected the request (HTTP $status): $body" >&2',
      '  exit 1',
      'fi',
      'echo "request_uri: $request_uri"',
      'query="client_id=$(urlencode "$CLIENT_ID")&request_uri=$(urlencode "$request_uri")"',
    );
  } else if (plan.usesJar) {
    push('query="client_id=$(urlencode "$CLIENT_ID")&request=$(urlencode "$request_object")"');
  } else {
    push(
      'query=' +
        plan.params
          .map(([n, v], i) => {
            const word = 'literal' in v ? shellQuote(typeof v.literal === 'string' ? v.literal : JSON.stringify(v.literal)) : 'constant' in v ? `"$${v.constant}"` : 'fresh' in v ? `"$${v.fresh}"` : '"$issuer"';
            return `"${i === 0 ? '' : '&'}${encodeURIComponent(n)}=$(urlencode ${word})"`;
          })
          .join(''),
    );
  }
  push(
    'if [[ $authorization_endpoint == *\\?* ]]; then authorize_url="$authorization_endpoint&$query"; else authorize_url="$authorization_endpoint?$query"; fi',
    '',
    'echo',
    'echo "Open this URL in a browser and sign in:"',
    'printf \'  %s\\n\' "$authorize_url"',
    '',
    '# The browser ends at the redirect URI with ?code=...: paste that URL (Enter alone stops here).',
    'echo',
    'echo "Then paste the URL the browser was sent back to (or press Enter to stop here):"',
    "callback_url=''",
    'IFS= read -r callback_url || true',
    'callback_url=${callback_url//[[:space:]]/}',
    'if [[ -z $callback_url ]]; then',
    '  echo "No callback URL: stopping before the token exchange."',
    '  exit 0',
    'fi',
    'callback_error=$(query_param error "$callback_url")',
    'if [[ -n $callback_error ]]; then',
    '  echo "The authorization server answered error=$callback_error: $(query_param error_description "$callback_url")" >&2',
    '  exit 1',
    'fi',
    'if [[ "$(query_param state "$callback_url")" != "$state" ]]; then',
    '  echo "The state in that URL is not the one this script sent (is it from another request?)." >&2',
    '  exit 1',
    'fi',
    'returned_issuer=$(query_param iss "$callback_url")',
    'if [[ -n $returned_issuer && $returned_issuer != "$issuer" ]]; then',
    '  echo "The callback names the issuer $returned_issuer, not $issuer (RFC 9207)." >&2',
    '  exit 1',
    'fi',
    'code=$(query_param code "$callback_url")',
    'if [[ -z $code ]]; then',
    '  echo "That URL has no code parameter." >&2',
    '  exit 1',
    'fi',
    '',
    '# The code exchange, with a new client authentication.',
    'client_auth',
    'response=$(post_form "$token_endpoint" -d \'grant_type=authorization_code\' --data-urlencode "code=$code" --data-urlencode "redirect_uri=$REDIRECT_URI" \\',
    ...(plan.pkce ? ['  --data-urlencode "code_verifier=$code_verifier" \\'] : []),
    '  "${auth_args[@]}")',
    'status=$(status_of "$response"); body=$(body_of "$response")',
    'if [[ $status != 200 || -z "$(json_string access_token "$body")" ]]; then',
    '  echo "The token endpoint rejected the request (HTTP $status): $body" >&2',
    '  exit 1',
    'fi',
    'echo "Tokens:"',
    'printf \'%s\\n\' "$body"',
    '',
  );
  return L.join('\n');
}
