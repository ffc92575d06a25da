/**
 * The `parley` command line (issue #19), as built JavaScript: vite.cli.config.ts bundles electron/cli/parley.ts
 * into one file, built here into a scratch folder and spawned with plain node the way a script would, with
 * real keys generated now, real signatures, and a real HTTP server for a JWKS URL. Exit codes: 0 passed,
 * 1 a rule failed, 2 bad input or usage, 3 not evaluated only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, decodeProtectedHeader, exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'parley-cli-'));
const outDir = join(root, 'out');
const entry = join(outDir, 'parley.js');
const ISSUER = 'https://tenant.example.com/';
const CLIENT_ID = 'client-a';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const file = (name: string, text: string | Buffer) => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};
let pubPem: string;
let privPkcs8: string;
let privPkcs1: string;

beforeAll(() => {
  const vite = join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--outDir', outDir], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the CLI build failed: ${built.stderr}${built.stdout}`);
  pubPem = file('pub.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  privPkcs8 = file('priv.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  privPkcs1 = file('priv-pkcs1.pem', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }));
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built bin from a folder outside the repository, stdout and stderr piped (not a terminal). */
function parley(args: string[], options: { stdin?: string | Buffer; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.['NO_COLOR'] === undefined) delete env['NO_COLOR'];
  if (options.env?.['FORCE_COLOR'] === undefined) delete env['FORCE_COLOR'];
  const child = spawn(process.execPath, [entry, ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function json(run: Run): {
  exitCode: number;
  verdict: { ok: boolean; first: { id: string } | null; notEvaluated: number };
  items: {
    id: string;
    status: string;
    reason?: string;
    summary: string;
    fix: string;
    sources: { text: string; href?: string }[];
    expected: string | null;
    actual: string | null;
  }[];
} {
  return JSON.parse(run.stdout) as ReturnType<typeof json>;
}

const now = () => Math.floor(Date.now() / 1000);

function jarClaims(patch: Record<string, unknown> = {}, at = now()): Record<string, unknown> {
  return {
    iss: CLIENT_ID,
    aud: ISSUER,
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: 'https://app.example.com/callback',
    scope: 'openid',
    state: 's',
    nonce: 'n',
    iat: at,
    nbf: at,
    exp: at + 300,
    jti: randomBytes(8).toString('hex'),
    ...patch,
  };
}

function signJar(claims: Record<string, unknown>, key: KeyObject = rsa.privateKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt' }).sign(key);
}

describe('parley › the built command line', () => {
  it('is the package bin beside parley-server, one file with a node shebang', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin?: Record<string, string> };
    expect(pkg.bin?.['parley']).toBe('out/cli/parley.js');
    expect(pkg.bin?.['parley-server']).toBe('out/server/parley-server.js');
    expect(readFileSync(entry, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('documents its exit codes in --help', async () => {
    const run = await parley(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Exit codes:\n {2}0 {2}every rule passed[\s\S]*\n {2}1 {2}at least one rule failed[\s\S]*\n {2}2 {2}bad input or usage[\s\S]*\n {2}3 {2}no rule failed, but some were not evaluated/,
    );
  });
});

describe('parley explain', () => {
  it('passes a good request object with its signature (exit 0), in text and in JSON', async () => {
    const token = file('good.jwt', await signJar(jarClaims()));
    const text = await parley(['explain', token, '--issuer', ISSUER, '--key', pubPem]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^All \d+ rules passed\./);
    expect(text.stdout).toContain('✓ JAR-8 ');
    const doc = await parley(['explain', token, '--issuer', ISSUER, '--key', pubPem, '--json']);
    expect(doc.code).toBe(0);
    const parsed = json(doc);
    expect(parsed).toMatchObject({ exitCode: 0, verdict: { ok: true, first: null } });
    expect(parsed.items.every((i) => i.status === 'passed')).toBe(true);
    expect(parsed.items.map((i) => i.id)).toEqual(expect.arrayContaining(['JAR-8', 'JAR-11', 'JAR-13']));
  });

  it('fails a bad request object (exit 1) with the first failing rule on top, its words, expected, actual, source links and fix', async () => {
    const token = file('bad.jwt', await signJar(jarClaims({ aud: 'https://tenant.example.com' })));
    const text = await parley(['explain', token, '--issuer', ISSUER]);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')[0]).toMatch(/^JAR-11 failed: /);
    expect(text.stdout).toMatch(/✗ JAR-11 .*\n.*rule +The request object's aud is the tenant's issuer/);
    const doc = await parley(['explain', token, '--issuer', ISSUER, '--json']);
    expect(doc.code).toBe(1);
    const parsed = json(doc);
    expect(parsed.verdict.first?.id).toBe('JAR-11');
    expect(parsed.items[0]).toMatchObject({ id: 'JAR-11', status: 'failed', expected: expect.stringContaining(ISSUER), actual: 'https://tenant.example.com' });
    // The rule's own summary and fix (shared/jwt), the words the UI shows.
    expect(parsed.items[0]!.summary).toBe("The request object's aud is the tenant's issuer, with scheme and trailing slash.");
    expect(parsed.items[0]!.fix).toMatch(/trailing slash/);
    expect(parsed.items[0]!.sources.some((s) => s.href === 'https://www.rfc-editor.org/rfc/rfc9101#section-4')).toBe(true);
  });

  it('--markdown prints the explanation as the app’s Copy as Markdown makes it (same words, same layout)', async () => {
    const token = file('bad-md.jwt', await signJar(jarClaims({ aud: 'https://tenant.example.com' })));
    const md = await parley(['explain', token, '--issuer', ISSUER, '--markdown']);
    expect(md.code).toBe(1);
    const lines = md.stdout.split('\n');
    expect(lines[0]).toMatch(/^### parley explain: jwt \(.*bad-md\.jwt\), profile auth0, issuer https:\/\/tenant\.example\.com\/$/);
    expect(lines[2]).toMatch(/^\*\*JAR-11 failed: /);
    expect(lines[4]).toBe(
      '1. **`JAR-11`**: The request object\'s aud "https://tenant.example.com" lacks the issuer\'s trailing slash: use "https://tenant.example.com/".',
    );
    expect(md.stdout).toContain('   - Actual: `https://tenant.example.com`');
    expect(md.stdout).toContain('[RFC 9101 §4](https://www.rfc-editor.org/rfc/rfc9101#section-4)');
    expect(md.stdout).toMatch(/\nRules passed: \d+ \(`JWT-/);
    expect((await parley(['explain', token, '--markdown', '--json'])).code).toBe(2);
  });

  it('fails a request object signed by another key (JAR-8), naming the key file', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await signJar(jarClaims(), other.privateKey);
    const parsed = json(await parley(['explain', token, '--issuer', ISSUER, '--key', pubPem, '--json']));
    expect(parsed.exitCode).toBe(1);
    expect(parsed.items[0]).toMatchObject({ id: 'JAR-8', status: 'failed', actual: 'the signature does not verify' });
  });

  it('never takes the issuer from the token: without --issuer the aud rule is not evaluated (exit 3)', async () => {
    const token = await signJar(jarClaims({ aud: 'https://wrong.example.com/' }));
    const run = await parley(['explain', token, '--json']);
    expect(run.code).toBe(3);
    const parsed = json(run);
    expect(parsed.verdict).toMatchObject({ ok: false, first: null, notEvaluated: 1 });
    expect(parsed.items.find((i) => i.id === 'JAR-11')).toMatchObject({ status: 'not-evaluated', reason: 'issuer-missing' });
    const text = await parley(['explain', token]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/\? JAR-11 [\s\S]*not evaluated: give the expected issuer with --issuer/);
    // Given, the wrong aud fails.
    expect((await parley(['explain', token, '--issuer', ISSUER])).code).toBe(1);
  });

  it('--at iat judges a token copied from a log at the time it was sent: JAR-13 passes', async () => {
    const sent = now() - 2 * 3600;
    const token = await signJar(jarClaims({}, sent));
    const atNow = json(await parley(['explain', token, '--issuer', ISSUER, '--json']));
    expect(atNow.items[0]).toMatchObject({ id: 'JAR-13', status: 'failed' });
    const atIat = await parley(['explain', token, '--issuer', ISSUER, '--at', 'iat', '--json']);
    expect(atIat.code).toBe(0);
    const parsed = json(atIat) as ReturnType<typeof json> & { evaluatedAt: string };
    expect(parsed.items.find((i) => i.id === 'JAR-13')?.status).toBe('passed');
    expect(parsed.evaluatedAt).toBe(new Date(sent * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    // A typed time works the same way; an unreadable one is refused by name.
    expect((await parley(['explain', token, '--issuer', ISSUER, '--at', new Date((sent + 10) * 1000).toISOString()])).code).toBe(0);
    const bad = await parley(['explain', token, '--at', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--at "yesterday" is not a time');
  });

  it('explains a PAR body: the request-level rules, the client assertion, then the request object', async () => {
    const assertion = await new SignJWT({ iss: CLIENT_ID, sub: CLIENT_ID, aud: ISSUER, jti: randomBytes(8).toString('hex'), iat: now(), exp: now() + 60 })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(rsa.privateKey);
    const body = `client_id=${CLIENT_ID}&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=${assertion}&request=${await signJar(jarClaims())}`;
    const run = await parley(['explain', '-', '--issuer', ISSUER, '--key', pubPem, '--json'], { stdin: body });
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as { input: { kind: string; jwts: string[] }; items: { id: string; subject: string }[] };
    expect(parsed.input).toMatchObject({ kind: 'par-body', jwts: ['clientAssertion', 'requestObject'] });
    expect(parsed.items.filter((i) => i.subject === 'request').map((i) => i.id)).toEqual(expect.arrayContaining(['AZR-9', 'PAR-4', 'PKJ-1']));
    expect(parsed.items.find((i) => i.id === 'PKJ-13')).toBeDefined();
  });

  it('verifies with a JWKS fetched from a URL (the core request policy: http to this machine is allowed)', async () => {
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', use: 'sig' };
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      const token = await new SignJWT(jarClaims()).setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'k1' }).sign(rsa.privateKey);
      const parsed = json(await parley(['explain', token, '--issuer', ISSUER, '--key', url, '--json']));
      expect(parsed.exitCode).toBe(0);
      expect(parsed.items.find((i) => i.id === 'JAR-8')).toMatchObject({ status: 'passed', actual: 'verified by kid k1' });
    } finally {
      server.close();
    }
  });

  it('accepts a private key file where the public key suffices, and never prints it', async () => {
    const token = await signJar(jarClaims());
    for (const key of [privPkcs1, privPkcs8]) {
      const run = await parley(['explain', token, '--issuer', ISSUER, '--key', key, '--json']);
      expect(run.code).toBe(0);
      expect(json(run).items.find((i) => i.id === 'JAR-8')?.status).toBe('passed');
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/PRIVATE|BEGIN/);
    }
  });
});

describe('parley decode, sign and lint', () => {
  it('decodes a JWT without verifying it', async () => {
    const claims = jarClaims();
    const run = await parley(['decode', await signJar(claims), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ header: { alg: 'RS256', typ: 'oauth-authz-req+jwt' }, payload: claims });
    const text = await parley(['decode', await signJar(claims)]);
    expect(text.stdout).toContain('"response_type": "code"');
    expect(text.stdout).toContain('not verified');
  });

  it('signs claims with an RSA PEM, and the result lints clean and verifies with the public key file (round trip)', async () => {
    const claims = file('claims.json', JSON.stringify(jarClaims()));
    const signed = await parley(['sign', '--key', privPkcs8, '--claims', claims, '--typ', 'oauth-authz-req+jwt', '--kid', 'k-rsa']);
    expect(signed.code).toBe(0);
    const token = signed.stdout.trim();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'k-rsa' });
    const { payload } = await compactVerify(token, rsa.publicKey);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(JSON.parse(readFileSync(claims, 'utf8')));
    const linted = await parley(['lint', '-', '--as', 'request-object', '--issuer', ISSUER, '--key', pubPem, '--json'], { stdin: signed.stdout });
    expect(linted.code).toBe(0);
    expect(json(linted).items.find((i) => i.id === 'JAR-8')?.status).toBe('passed');
  });

  it('signs a client assertion with an EC private JWK (ES256, kid from the JWK) that lints as one under the profile that accepts ES256', async () => {
    const jwk = { ...(await exportJWK(ec.privateKey)), kid: 'ec-1' };
    const key = file('ec.jwk', JSON.stringify(jwk));
    const claims = JSON.stringify({ iss: CLIENT_ID, sub: CLIENT_ID, aud: ISSUER, jti: 'a1', iat: now(), exp: now() + 60 });
    const signed = await parley(['sign', '--key', key, '--claims', claims]);
    expect(signed.code).toBe(0);
    expect(decodeProtectedHeader(signed.stdout.trim())).toEqual({ alg: 'ES256', kid: 'ec-1' });
    await compactVerify(signed.stdout.trim(), ec.publicKey);
    const pubJwk = file('ec-pub.jwk', JSON.stringify({ ...(await exportJWK(ec.publicKey)), kid: 'ec-1' }));
    const linted = await parley(['lint', signed.stdout.trim(), '--as', 'client-assertion', '--issuer', ISSUER, '--key', pubJwk, '--profile', 'strict']);
    expect(linted.code).toBe(0);
    expect(linted.stdout).toContain('✓ PKJ-13');
    // Auth0 accepts RS256, RS384 and PS256 only: the profile decides, in the rule's words.
    const auth0 = await parley(['lint', signed.stdout.trim(), '--as', 'client-assertion', '--issuer', ISSUER, '--key', pubJwk]);
    expect(auth0.code).toBe(1);
    expect(auth0.stdout.split('\n')[0]).toBe(
      "PKJ-6 failed: The client assertion's alg ES256 is not accepted; use RS256, RS384 or PS256. (1 of 16 rules failed).",
    );
    expect(`${signed.stdout}${linted.stdout}`).not.toContain(jwk.d);
  });

  it('refuses to sign with a public key, and names bad claims', async () => {
    const noPrivate = await parley(['sign', '--key', pubPem, '--claims', '{"a":1}']);
    expect(noPrivate.code).toBe(2);
    expect(noPrivate.stderr).toContain('not a private key');
    const notObject = await parley(['sign', '--key', privPkcs8, '--claims', '[1]']);
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toMatch(/--claims (must be a JSON object|.*could not be read)/);
  });
});

describe('parley › bad input', () => {
  it('prints plain text when piped; colour only when forced, and never with NO_COLOR', async () => {
    const token = await signJar(jarClaims({ aud: 'x' }));
    const piped = await parley(['explain', token, '--issuer', ISSUER]);
    expect(piped.stdout).not.toContain('\u001b[');
    expect((await parley(['explain', token, '--issuer', ISSUER], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[31m');
    expect((await parley(['explain', token, '--issuer', ISSUER], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('answers a JWT with a 1 MB payload with a bounded result: JWT-8 fails (exit 1); decode still reads it; 3 MB on stdin is refused', async () => {
    const token = await signJar(jarClaims({ blob: 'x'.repeat(1_000_000) }));
    const explained = await parley(['explain', '-', '--issuer', ISSUER, '--json'], { stdin: token });
    expect(explained.code).toBe(1);
    expect(json(explained).items[0]).toMatchObject({ id: 'JWT-8', status: 'failed' });
    const decoded = await parley(['decode', '-', '--json'], { stdin: token });
    expect(decoded.code).toBe(0);
    expect((JSON.parse(decoded.stdout) as { payload: { blob: string } }).payload.blob).toHaveLength(1_000_000);
    const huge = await parley(['explain', '-'], { stdin: 'a'.repeat(3 * 1024 * 1024) });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('standard input is larger than 2.0 MB');
  });

  it('names the problem with garbage, a non-JWT, a HAR, a missing key file or a bad option (exit 2)', async () => {
    const goodToken = await signJar(jarClaims());
    const cases: [string[], string | Buffer | undefined, RegExp][] = [
      [['explain', file('garbage.bin', randomBytes(4096))], undefined, /is not UTF-8 text/],
      [['explain', 'hello world'], undefined, /not a URL, not a form body .* and not a JWT/],
      [['explain', 'aaa.bbb.ccc'], undefined, /not a readable JWT: the header is not/],
      [['decode', 'aaa.bbb'], undefined, /not a readable JWT: the token has 2 parts/],
      [['explain', 'capture.har'], undefined, /HAR file capture\.har could not be read \(no such file\)/],
      [['explain', '-'], '{"log":{"version":"1.2","entries":[]}}', /standard input holds no OAuth exchange: none of its 0 entries/],
      [['explain', 'missing.jwt'], undefined, /file missing\.jwt could not be read \(no such file\)/],
      [['explain', goodToken, '--key', 'missing.pem'], undefined, /--key missing\.pem could not be read \(no such file\)/],
      [['lint', 'a.b.c'], undefined, /--as request-object or --as client-assertion/],
      [['explain', 'a.b.c', '--profile', 'google'], undefined, /--profile must be one of auth0, strict, fapi1, fapi2, okta/],
      [['explain', 'a.b.c', '--frobnicate'], undefined, /Unknown option '--frobnicate'/],
      [['frob'], undefined, /unknown command "frob"/],
    ];
    for (const [args, stdin, message] of cases) {
      const run = await parley(args, stdin === undefined ? {} : { stdin });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    // With --json, a script still gets one JSON document.
    const doc = await parley(['explain', 'hello world', '--json']);
    expect(doc.code).toBe(2);
    expect(JSON.parse(doc.stdout)).toMatchObject({ exitCode: 2, error: expect.stringContaining('not a URL') });
  });
});

describe('parley lint --as dpop-proof (DPoP, issue #17)', () => {
  const TOKEN_URL = `${ISSUER}oauth/token`;
  const USERINFO = `${ISSUER}userinfo`;
  const proofFor = async (payload: Record<string, unknown>) =>
    new SignJWT(payload).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(ec.publicKey) }).sign(ec.privateKey);
  const now = () => Math.floor(Date.now() / 1000);

  it('passes a proof for the request it names (exit 0), and names the failing rules for another request (exit 1)', async () => {
    const proof = await proofFor({ jti: 'cli-1', htm: 'POST', htu: TOKEN_URL, iat: now() });
    const ok = await parley(['lint', proof, '--as', 'dpop-proof', '--htm', 'POST', '--htu', TOKEN_URL]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✓ DPP-9');
    const wrong = await parley(['lint', '-', '--as', 'dpop-proof', '--htm', 'GET', '--htu', `${TOKEN_URL}/`, '--json'], { stdin: proof });
    expect(wrong.code).toBe(1);
    const doc = JSON.parse(wrong.stdout) as { items: { id: string; status: string; message: string }[] };
    expect(doc.items.filter((i) => i.status === 'failed').map((i) => i.id)).toEqual(['DPP-8', 'DPP-9']);
    expect(doc.items.find((i) => i.id === 'DPP-9')?.message).toContain('trailing slash');
  });

  it('checks ath against --ath-token without printing the token, and the nonce against --nonce', async () => {
    const token = 'secret-access-token-value';
    const ath = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))).toString('base64url');
    const proof = await proofFor({ jti: 'cli-2', htm: 'GET', htu: USERINFO, iat: now(), ath });
    const good = await parley(['lint', proof, '--as=dpop-proof', '--htm', 'GET', '--htu', USERINFO, '--ath-token', token, '--json']);
    expect(good.code).toBe(0);
    expect(good.stdout).not.toContain(token);
    const other = await parley(['lint', proof, '--as', 'dpop-proof', '--htm', 'GET', '--htu', USERINFO, '--ath-token', 'another-token']);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('✗ DPP-13');
    const nonce = await parley(['lint', proof, '--as', 'dpop-proof', '--htm', 'GET', '--htu', USERINFO, '--nonce', 'server-nonce-1']);
    expect(nonce.code).toBe(1);
    expect(nonce.stdout).toContain('✗ DPN-1');
  });

  it('names the problem when the request is missing or not a request line, or a time is not a time (exit 2)', async () => {
    for (const [args, message] of [
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--htu', TOKEN_URL], /give the request the proof was sent with: --request "POST https:/],
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--htm', 'POST', '--htu', '/oauth/token'], /--url must be the absolute URL/],
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--request', 'https://tenant.example.com/oauth/token'], /a method and an absolute URL/],
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--request', `POST ${TOKEN_URL}`, '--url', TOKEN_URL], /give the request once/],
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--request', `POST ${TOKEN_URL}`, '--server-time', 'soon'], /--server-time "soon" is not a time/],
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--request', `POST ${TOKEN_URL}`, '--response-date', 'yesterday'], /--response-date "yesterday" is not a time/],
      [['lint', 'a.b.c', '--as', 'dpop-proof', '--request', `POST ${TOKEN_URL}`, '--json', '--markdown'], /--json or --markdown, not both/],
    ] as const) {
      const run = await parley([...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  describe('the htu lens and the clock line (Explain’s DPoP views, issue #17)', () => {
    type LensDoc = {
      exitCode: number;
      request: { method: string; url: string };
      lens: { equal: boolean; serverUrl: string; proofHtu: string; differs: string | null; cause: string | null; causeText: string | null };
      clock: { iat: number; delta: number; position: string; window: { pastSeconds: number; futureSeconds: number }; measuredSkew: number | null };
      items: { id: string; status: string }[];
    };
    const SERVER_TIME = 1_796_650_000;

    it('text: a trailing slash is named as the differing part with its usual cause, beside both URLs; the clock line from --server-time and --response-date', async () => {
      const proof = await proofFor({ jti: 'lens-1', htm: 'POST', htu: `${TOKEN_URL}/`, iat: SERVER_TIME - 400 });
      const run = await parley([
        'lint',
        proof,
        '--as',
        'dpop-proof',
        '--request',
        `POST ${TOKEN_URL}`,
        '--server-time',
        String(SERVER_TIME),
        '--response-date',
        new Date((SERVER_TIME + 3) * 1000).toUTCString(),
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'htu lens: The trailing slash differs. Usual cause: the same path with and without a final “/”; trailing slashes are significant.',
      );
      expect(run.stdout).toContain(`  URL the server computed: ${TOKEN_URL}\n  Proof’s htu: ${TOKEN_URL}/`);
      expect(run.stdout).toContain('  path — Differs: trailing slash (URL the server computed: /oauth/token · Proof’s htu: /oauth/token/)');
      expect(run.stdout).toContain('Clock: The proof is too old for the server’s window.');
      expect(run.stdout).toContain(`  Proof iat: 2026-12-07T13:20:00Z (${SERVER_TIME - 400})`);
      expect(run.stdout).toContain('  iat − server time: −400 s');
      expect(run.stdout).toContain('  Allowed window: 300 s before to 30 s after the server time');
      expect(run.stdout).toContain('  Measured skew: −403 s against the response Date (2026-12-07T13:26:43Z)');
      // The views come before the rules, which still say which failed.
      expect(run.stdout.indexOf('htu lens')).toBeLessThan(run.stdout.indexOf('✗ DPP-9'));
      expect(run.stdout).toContain('✗ DPP-10');
    });

    it('--json: a default port written for the wrong scheme, named with its cause; --method and --url are the request line too', async () => {
      const proof = await proofFor({ jti: 'lens-2', htm: 'POST', htu: 'https://tenant.example.com:80/oauth/token', iat: SERVER_TIME });
      const run = await parley([
        'lint',
        proof,
        '--as',
        'dpop-proof',
        '--method',
        'POST',
        '--url',
        TOKEN_URL,
        '--server-time',
        new Date(SERVER_TIME * 1000).toISOString(),
        '--json',
      ]);
      expect(run.code).toBe(1);
      const doc = JSON.parse(run.stdout) as LensDoc;
      expect(doc.exitCode).toBe(1);
      expect(doc.request).toMatchObject({ method: 'POST', url: TOKEN_URL });
      expect(doc.lens).toMatchObject({ equal: false, serverUrl: TOKEN_URL, proofHtu: 'https://tenant.example.com:80/oauth/token', differs: 'port' });
      expect(doc.lens.cause).toBe('default-port');
      expect(doc.lens.causeText).toBe('Usual cause: a default port (80/443) written for the wrong scheme, or a port the public URL does not have.');
      expect(doc.clock).toMatchObject({ iat: SERVER_TIME, delta: 0, position: 'inside', window: { pastSeconds: 300, futureSeconds: 30 }, measuredSkew: null });
      expect(doc.items.filter((i) => i.status === 'failed').map((i) => i.id)).toEqual(['DPP-9']);
    });

    it('--markdown: as Copy as Markdown makes it, the lens and clock line above the rules; exit 0 when every rule passes', async () => {
      const proof = await proofFor({ jti: 'lens-3', htm: 'POST', htu: `http://tenant.example.com/oauth/token`, iat: SERVER_TIME + 5 });
      const bad = await parley(['lint', proof, '--as', 'dpop-proof', '--request', `POST ${TOKEN_URL}`, '--at', String(SERVER_TIME), '--markdown']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^### parley lint: DPoP proof \(the argument\) for POST https:\/\/tenant\.example\.com\/oauth\/token, profile auth0$/m);
      expect(bad.stdout).toContain('**htu lens**: The scheme differs. Usual cause: a proxy or load balancer in front of the server');
      expect(bad.stdout).toContain('- scheme — Differs (URL the server computed: `https` · Proof’s htu: `http`)');
      expect(bad.stdout).toContain('**Clock**: The proof’s iat is inside the server’s window.');
      expect(bad.stdout).toContain('- iat − server time: +5 s');
      expect(bad.stdout.indexOf('**htu lens**')).toBeLessThan(bad.stdout.indexOf('**`DPP-9`**'));
      const good = await proofFor({ jti: 'lens-4', htm: 'POST', htu: TOKEN_URL, iat: SERVER_TIME });
      const ok = await parley(['lint', good, '--as', 'dpop-proof', '--request', `POST ${TOKEN_URL}`, '--at', String(SERVER_TIME), '--markdown']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('**htu lens**: The proof’s htu matches the URL the server computed.');
    });

    it('never prints the access token given with --access-token, in text, --json or --markdown', async () => {
      const token = 'planted-cli-access-token-d41c';
      const proof = await proofFor({ jti: 'lens-5', htm: 'GET', htu: USERINFO, iat: now() });
      for (const format of [[], ['--json'], ['--markdown']]) {
        const run = await parley(['lint', proof, '--as', 'dpop-proof', '--request', `GET ${USERINFO}`, '--access-token', token, ...format]);
        // The proof has no ath: DPP-13 fails, and says so without the token.
        expect(run.code, format.join(' ')).toBe(1);
        expect(run.stdout).toContain('DPP-13');
        expect(run.stdout).not.toContain(token);
      }
    });
  });
});

describe('parley explain file.har: bad input (exit 2, the message names the problem)', () => {
  const harOf = (entries: unknown[]) => JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }, null, 2);
  const parEntry = (body: string) => ({
    startedDateTime: new Date().toISOString(),
    time: 1,
    request: {
      method: 'POST',
      url: `${ISSUER}oauth/par`,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }],
      queryString: [],
      postData: { mimeType: 'application/x-www-form-urlencoded', text: body },
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: 201,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'application/json' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  });

  it('refuses a 200 MB HAR by its size, before reading it', async () => {
    const path = file('huge.har', '{"log":{"version":"1.2","entries":[');
    // Sparse: 200 MB on paper, nothing to read; read whole, it would be named a truncated file instead.
    truncateSync(path, 200 * 1024 * 1024);
    const run = await parley(['explain', path, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HAR file .*huge\.har is 200 MB; the limit is 100 MB\. Record only the sign-in/);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 2, error: expect.stringContaining('200 MB') });
  });

  it('names a truncated HAR, a non-HAR JSON, a HAR without entries, a broken entry, and a HAR given to lint or decode', async () => {
    const whole = harOf([parEntry(`client_id=${CLIENT_ID}&client_secret=s3cret`)]);
    const cases: [string[], RegExp][] = [
      [['explain', file('cut.har', whole.slice(0, 200))], /cut\.har cannot be read: the file ends in the middle of its JSON .* cut short/],
      [['explain', file('keys.har', '{"keys":[]}')], /keys\.har cannot be read: the file is JSON but not a HAR: it has no "log"/],
      [['explain', file('noentries.har', '{"log":{"version":"1.2","creator":{"name":"x","version":"1"}}}')], /has no log\.entries/],
      [['explain', file('broken.har', harOf([{ request: { method: 'GET' } }]))], /log\.entries\[0\]\.request\.url/],
      [
        [
          'explain',
          file('pages.har', harOf([{ ...parEntry(''), request: { ...parEntry('').request, method: 'GET', url: 'https://cdn.example.com/app.js' } }])),
        ],
        /holds no OAuth exchange: none of its 1 entry is/,
      ],
      [['lint', file('lint.har', whole), '--as', 'request-object'], /lint takes one JWT; HAR file .* use parley explain/],
      [['decode', file('decode.har', whole)], /decode takes a JWT, a URL or a PAR body; HAR file .*decode\.har is a HAR file/],
      [['explain', file('at.har', whole), '--at', 'iat'], /--at is not used with a HAR file/],
      [['explain', 'a.b.c', '--auth0-domain', 'x.example.com'], /--auth0-domain is for a HAR file/],
    ];
    for (const [args, message] of cases) {
      const run = await parley(args);
      expect({ args: args.slice(0, 1), code: run.code }).toEqual({ args: args.slice(0, 1), code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('s3cret');
    }
  });

  it('answers a HAR whose request object has a 1 MB payload with a bounded result: JWT-8 fails (exit 1)', async () => {
    const token = await signJar(jarClaims({ blob: 'x'.repeat(1_000_000) }));
    const path = file('big-jwt.har', harOf([parEntry(new URLSearchParams({ client_id: CLIENT_ID, client_secret: 's3cret', request: token }).toString())]));
    const run = await parley(['explain', path, '--issuer', ISSUER, '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as { exchanges: { verdict: { first: { id: string } | null } }[]; removed: { kind: string }[] };
    expect(doc.exchanges[0]!.verdict.first?.id).toBe('JWT-8');
    expect(doc.removed.map((r) => r.kind)).toEqual(['client_secret']);
    expect(run.stdout).not.toContain('s3cret');
  });
});
