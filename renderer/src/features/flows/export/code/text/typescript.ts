/**
 * The fixed part of the TypeScript programs (typescript.ts): helper functions that are the same in every
 * export. Kept as text, whole, so that they read as the code they are; the emitter places them.
 */
import { CODE_ENV } from '../plan';

/** The key a program signs with (file, alg, kid, and what it signs, for error messages). */
export const TS_KEY_REF = `/** A private key file and how to sign with it. */
interface KeyRef {
  file: string;
  alg: string;
  kid: string | undefined;
  what: string;
}`;

/** The JSON object type, and `fail`: print the message and exit 1. */
export const TS_FAIL = `type Json = Record<string, unknown>;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}`;

/** randomToken: fresh base64url values (state, nonce, PKCE verifier, jti). */
export const TS_RANDOM_TOKEN = `/** A random base64url token of \`bytes\` bytes of entropy. */
function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}`;

/** privateKey and sign: PEM files read once (encrypted ones with KEY_PASSPHRASE), JWTs signed with jose. */
export const TS_SIGNING = `const loaded = new Map<string, Promise<CryptoKey>>();

/** Reads a PEM private key (decrypting it with KEY_PASSPHRASE when it is encrypted) for jose. */
function privateKey(key: KeyRef): Promise<CryptoKey> {
  let found = loaded.get(key.file);
  if (!found) {
    let pem: string;
    try {
      pem = readFileSync(key.file, 'utf8');
    } catch {
      fail(\`Cannot read \${key.file}: save \${key.what} there as a PEM file (Parley: Keys, Export, Private key).\`);
    }
    const passphrase = process.env.${CODE_ENV.keyPassphrase} || undefined;
    let pkcs8: string;
    try {
      pkcs8 = createPrivateKey({ key: pem, format: 'pem', ...(passphrase ? { passphrase } : {}) }).export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch (e) {
      fail(\`\${key.file} is not a private key this program can read\${passphrase ? '' : ' (is it encrypted? set KEY_PASSPHRASE)'}: \${e instanceof Error ? e.message : String(e)}\`);
    }
    found = importPKCS8(pkcs8, key.alg);
    loaded.set(key.file, found);
  }
  return found;
}

/** Signs a JWT with a key file: the header says alg, typ and the vault key's kid. */
async function sign(key: KeyRef, typ: string, payload: Json): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ, ...(key.kid ? { kid: key.kid } : {}) })
    .sign(await privateKey(key));
}`;

/** postForm and describe: a form POST whose answer must be a JSON object, and its OAuth error in words. */
export const TS_POST_FORM = `/** POSTs a form and reads the JSON answer. */
async function postForm(url: string, form: URLSearchParams, headers: Record<string, string>): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form });
  const text = await res.text();
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return { status: res.status, body: body as Json };
  } catch {
    // Not JSON: said below.
  }
  return fail(\`\${url} answered HTTP \${res.status} with something other than a JSON object: \${text.slice(0, 300)}\`);
}

function describe(body: Json): string {
  return [body['error'], body['error_description']].filter((x) => typeof x === 'string').join(': ') || JSON.stringify(body);
}`;

/** readLine: the callback URL the user pastes. */
export const TS_READ_LINE = `/** The first line of standard input (undefined at its end). */
async function readLine(): Promise<string | undefined> {
  const lines = createInterface({ input: process.stdin });
  try {
    for await (const line of lines) return line.trim();
    return undefined;
  } finally {
    lines.close();
  }
}`;

/** The DPoP key's RFC 7638 thumbprint, when the authorization request binds the code to it (dpop_jkt). */
export const TS_DPOP_JKT = `/** The DPoP key's RFC 7638 thumbprint: dpop_jkt (the code is bound to it), and the cnf.jkt of the tokens. */
const dpopJkt = await calculateJwkThumbprint(dpopJwk);`;

/**
 * DPoP (RFC 9449): the program's own ES256 key pair, a proof per request (with the server's latest nonce,
 * and `ath` when an access token goes with it), and the form POST that retries once on use_dpop_nonce.
 * Replaces TS_POST_FORM in DPoP programs: postForm there also returns the answer's headers.
 */
export const TS_DPOP = `const dpopKey = await generateKeyPair('ES256', { extractable: true });
const dpopJwk = await exportJWK(dpopKey.publicKey);
/** The server's latest DPoP-Nonce (RFC 9449 §8): sent in every later proof. */
let dpopNonce: string | undefined;

/** A DPoP proof for one request: htm, htu (no query or fragment), a fresh jti, and ath with an access token. */
async function dpopProof(htm: string, url: string, accessToken?: string): Promise<string> {
  const htu = new URL(url);
  htu.search = '';
  htu.hash = '';
  return new SignJWT({
    htm,
    htu: htu.href,
    jti: randomToken(16),
    iat: Math.floor(Date.now() / 1000),
    ...(dpopNonce !== undefined ? { nonce: dpopNonce } : {}),
    ...(accessToken !== undefined ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: dpopJwk })
    .sign(dpopKey.privateKey);
}

/** POSTs a form and reads the JSON answer. */
async function postOnce(url: string, form: URLSearchParams, headers: Record<string, string>): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form });
  const text = await res.text();
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return { status: res.status, body: body as Json, headers: res.headers };
  } catch {
    // Not JSON: said below.
  }
  return fail(\`\${url} answered HTTP \${res.status} with something other than a JSON object: \${text.slice(0, 300)}\`);
}

/**
 * POSTs a form with a DPoP proof; on 400 use_dpop_nonce it sends it once more with the server's nonce (a
 * new proof, and a new client authentication: an assertion's jti is used once).
 */
async function postForm(url: string, form: URLSearchParams, authenticate: () => Promise<Record<string, string>>): Promise<{ status: number; body: Json }> {
  for (let attempt = 1; ; attempt++) {
    const answer = await postOnce(url, form, { ...(await authenticate()), dpop: await dpopProof('POST', url) });
    const nonce = answer.headers.get('dpop-nonce');
    if (nonce !== null) dpopNonce = nonce;
    if (attempt === 1 && answer.status === 400 && answer.body['error'] === 'use_dpop_nonce' && nonce !== null) {
      console.log(\`\${url}: use_dpop_nonce, sending again with the server's nonce.\`);
      continue;
    }
    return answer;
  }
}

function describe(body: Json): string {
  return [body['error'], body['error_description']].filter((x) => typeof x === 'string').join(': ') || JSON.stringify(body);
}`;
