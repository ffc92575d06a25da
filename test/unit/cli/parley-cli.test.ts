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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function json(run: Run): { exitCode: number; verdict: { ok: boolean; first: { id: string } | null; notEvaluated: number }; items: { id: string; status: string; reason?: string; summary: string; fix: string; sources: { text: string; href?: string }[]; expected: string | null; actual: string | null }[] } {
  return JSON.parse(run.stdout) as ReturnType<typeof json>;
}

const now = () => Math.floor(Date.now() / 1000);

function jarClaims(patch: Record<string, unknown> = {}, at = now()): Record<string, unknown> {
  return { iss: CLIENT_ID, aud: ISSUER, client_id: CLIENT_ID, response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'openid', state: 's', nonce: 'n', iat: at, nbf: at, exp: at + 300, jti: randomBytes(8).toString('hex'), ...patch };
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
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 {2}every rule passed[\s\S]*\n {2}1 {2}at least one rule failed[\s\S]*\n {2}2 {2}bad input or usage[\s\S]*\n {2}3 {2}no rule failed, but some were not evaluated/);
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
    const assertion = await new SignJWT({ iss: CLIENT_ID, sub: CLIENT_ID, aud: ISSUER, jti: randomBytes(8).toString('hex'), iat: now(), exp: now() + 60 }).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
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
    expect(auth0.stdout.split('\n')[0]).toBe("PKJ-6 failed: The client assertion's alg ES256 is not accepted; use RS256, RS384 or PS256. (1 of 16 rules failed).");
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
      [['explain', 'capture.har'], undefined, /HAR import is not available yet/],
      [['explain', '-'], '{"log":{"version":"1.2","entries":[]}}', /HAR import is not available yet/],
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
