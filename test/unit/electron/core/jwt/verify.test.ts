/**
 * `jwt.verify` through the contract, with keys generated at test time, a real vault and the embedded
 * server on a free port: which key matched, or why none did.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, SignJWT, base64url } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../../../shared/ipc/result';
import type { VerifyKeySource, VerifyResult } from '../../../../../shared/schemas/jwt';
import type { ExportedFile, ImportResult, KeySummary } from '../../../../../shared/schemas/keys';
import type { ServerClient } from '../../../../../shared/schemas/server';
import type { Core } from '../../../../../electron/core/host/core';
import { createCore } from '../../../../../electron/core/host/core';
import { verifyJwt } from '../../../../../electron/core/jwt/verify';
import type { VerifyDeps } from '../../../../../electron/core/jwt/verify';
import type { Fetcher } from '../../../../../electron/core/jwt/fetch-json';

let dir: string;
let core: Core;
let issuer: string;
let rsa: KeySummary;
let ec: KeySummary;

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function call<T>(name: string, input: unknown): Promise<T> {
  return value<T>(await core.dispatch(name, input));
}

async function verify(token: string, source: VerifyKeySource): Promise<VerifyResult> {
  return call<VerifyResult>('jwt.verify', { token, source });
}

async function sign(id: string, header: Record<string, unknown>, payload: Record<string, unknown> = { sub: 'alice', iat: 1_767_225_600 }): Promise<string> {
  return (await call<{ jws: string }>('keys.sign', { id, header, payload })).jws;
}

function publicJwkOf(key: KeyObject, extra: Record<string, unknown> = {}): JWK {
  return { ...(key.export({ format: 'jwk' }) as JWK), ...extra };
}

/** A loopback port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const part = (v: unknown): string => base64url.encode(JSON.stringify(v));
  return `${part(header)}.${part(payload)}.${signature}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-verify-'));
  core = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: { N: 1024, r: 8, p: 1 }, server: { port: 0 } });
  await call('vault.setup', { passphrase: 'correct horse battery staple' });
  rsa = await call<KeySummary>('keys.generate', { name: 'signer rsa', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
  ec = await call<KeySummary>('keys.generate', { name: 'signer ec', spec: { kty: 'EC', crv: 'P-256' }, usages: ['client-auth'] });
  issuer = core.server.running!.urls.issuer;
}, 60_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('jwt.verify › a vault key', () => {
  it('verifies a token the key signed and names the key as the match', async () => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), { kind: 'vault', keyId: rsa.id });
    expect(result).toMatchObject({ valid: true, alg: 'RS256', kid: null, failure: null, sourceDescription: 'vault key signer rsa' });
    expect(result.matched).toEqual({ label: 'signer rsa', kid: rsa.thumbprint, thumbprint: rsa.thumbprint, alg: null, outcome: 'matched' });
    expect(result.message).toBe('The signature is valid: it verifies with signer rsa (RS256).');
  });

  it('verifies PS256 and ES256 with the keys that can sign them', async () => {
    expect((await verify(await sign(rsa.id, { alg: 'PS256', kid: rsa.thumbprint }), { kind: 'vault', keyId: rsa.id })).valid).toBe(true);
    expect((await verify(await sign(ec.id, { alg: 'ES256' }), { kind: 'vault', keyId: ec.id })).valid).toBe(true);
  });

  it('reports bad-signature when one character of the payload is changed', async () => {
    const token = await sign(rsa.id, { alg: 'RS256' });
    const [h, p, s] = token.split('.') as [string, string, string];
    // One character of the claims (alice → alicf), re-encoded so the token still decodes.
    const claims = new TextDecoder().decode(base64url.decode(p)).replace('alice', 'alicf');
    const tampered = `${h}.${base64url.encode(claims)}.${s}`;
    const result = await verify(tampered, { kind: 'vault', keyId: rsa.id });
    expect(result).toMatchObject({ valid: false, failure: 'bad-signature', matched: null });
    expect(result.message).toBe('The signature does not verify with signer rsa: the token was altered after signing or was signed by a different key.');
    expect(result.candidates.map((c) => c.outcome)).toEqual(['bad-signature']);
  });

  it('reports kid-mismatch, naming the kid the key has, when the token names another kid', async () => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256', kid: 'someone-elses-key' }), { kind: 'vault', keyId: rsa.id });
    expect(result).toMatchObject({ valid: false, failure: 'kid-mismatch', kid: 'someone-elses-key' });
    expect(result.message).toBe(`No key has kid someone-elses-key; vault key signer rsa has kid ${rsa.thumbprint}.`);
  });

  it('reports alg-mismatch for an ES256 token checked against an RSA key', async () => {
    const result = await verify(await sign(ec.id, { alg: 'ES256' }), { kind: 'vault', keyId: rsa.id });
    expect(result).toMatchObject({ valid: false, failure: 'alg-mismatch' });
    expect(result.message).toContain("The token's alg ES256 fits none of the keys: signer rsa is an RSA key (RS256");
  });

  it('answers VAULT_LOCKED as an error, not a verdict, while the vault is locked', async () => {
    const token = await sign(rsa.id, { alg: 'RS256' });
    await call('vault.lock', {});
    try {
      const result = await core.dispatch('jwt.verify', { token, source: { kind: 'vault', keyId: rsa.id } });
      expect(result.ok ? null : result.error.code).toBe('VAULT_LOCKED');
    } finally {
      await call('vault.unlock', { passphrase: 'correct horse battery staple' });
    }
  });
});

describe('jwt.verify › refused before any key is tried', () => {
  // An unreachable source proves no key was loaded: loading would have answered fetch-failed.
  const unreachable: VerifyKeySource = { kind: 'jwksUrl', url: 'http://127.0.0.1:1/jwks.json' };

  it('refuses alg none', async () => {
    const result = await verify(unsigned({ alg: 'none' }, { sub: 'alice' }), unreachable);
    expect(result).toMatchObject({ valid: false, failure: 'alg-none', alg: 'none', candidates: [] });
    expect(result.message).toBe('The token is unsigned (alg none), so there is no signature to verify.');
  });

  it('refuses an empty signature whatever the alg says', async () => {
    expect((await verify(unsigned({ alg: 'RS256' }, { sub: 'alice' }), unreachable)).failure).toBe('alg-none');
  });

  it('refuses HS256 without verifying it with a public key', async () => {
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('a shared secret of 32 bytes!!!!!'));
    const result = await verify(token, unreachable);
    expect(result).toMatchObject({ valid: false, failure: 'symmetric-alg', alg: 'HS256', candidates: [] });
    expect(result.message).toContain('RFC 8725');
  });

  it('reports malformed for text that is not a compact JWS, with the decoder reason', async () => {
    const result = await verify('not.a-token', { kind: 'vault', keyId: rsa.id });
    expect(result).toMatchObject({ valid: false, failure: 'malformed', alg: null });
    expect(result.message).toBe('The token is malformed: the token has 2 parts; a compact JWS has 3.');
  });
});

describe('jwt.verify › pasted keys', () => {
  it('verifies with a pasted PEM public key', async () => {
    const pem = (await call<ExportedFile>('keys.exportPublic', { id: rsa.id, format: 'pem' })).content;
    const result = await verify(await sign(rsa.id, { alg: 'RS384', kid: 'any-kid' }), { kind: 'text', text: pem });
    // A PEM has no kid, so the token's kid does not exclude the key the user chose.
    expect(result).toMatchObject({ valid: true, sourceDescription: 'pasted text' });
    expect(result.matched).toMatchObject({ label: 'pasted public key', kid: null, thumbprint: rsa.thumbprint });
  });

  it('verifies with a pasted RSA PUBLIC KEY (PKCS#1)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new CompactSign(new TextEncoder().encode('{"sub":"a"}')).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect((await verify(token, { kind: 'text', text: pkcs1 })).valid).toBe(true);
  });

  it('verifies with a pasted X.509 certificate of the key', async () => {
    const cert = (await call<ExportedFile>('keys.exportCertificate', { id: ec.id, days: 30, commonName: 'verify test' })).content;
    const result = await verify(await sign(ec.id, { alg: 'ES256' }), { kind: 'text', text: cert });
    expect(result.valid).toBe(true);
    expect(result.matched).toMatchObject({ label: 'certificate verify test', thumbprint: ec.thumbprint });
  });

  it('verifies with a pasted JWK (the vault export, bound to RS256)', async () => {
    const jwk = (await call<ExportedFile>('keys.exportPublic', { id: rsa.id, format: 'jwk' })).content;
    const result = await verify(await sign(rsa.id, { alg: 'RS256', kid: rsa.thumbprint }), { kind: 'text', text: jwk });
    expect(result.matched).toMatchObject({ label: `kid ${rsa.thumbprint}`, kid: rsa.thumbprint, alg: 'RS256', outcome: 'matched' });
    // The JWK's own alg binds the key: the same key signing PS256 does not fit it.
    const ps = await verify(await sign(rsa.id, { alg: 'PS256', kid: rsa.thumbprint }), { kind: 'text', text: jwk });
    expect(ps).toMatchObject({ valid: false, failure: 'alg-mismatch' });
    expect(ps.message).toContain(`kid ${rsa.thumbprint} is bound to alg RS256`);
  });

  it('uses only the public part of a pasted private JWK', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    const result = await verify(token, { kind: 'text', text: JSON.stringify(privateKey.export({ format: 'jwk' })) });
    expect(result).toMatchObject({ valid: true, matched: { label: 'pasted JWK' } });
  });

  it('picks the key by kid among several in a pasted JWKS and lists every key considered', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const ecDetail = await call<{ publicJwk: JWK }>('keys.get', { id: ec.id });
    const rsaDetail = await call<{ publicJwk: JWK }>('keys.get', { id: rsa.id });
    const jwks = { keys: [publicJwkOf(other, { kid: 'other-rsa', use: 'sig' }), ecDetail.publicJwk, { ...rsaDetail.publicJwk, alg: undefined }] };
    const result = await verify(await sign(rsa.id, { alg: 'PS512', kid: rsa.thumbprint }), { kind: 'text', text: JSON.stringify(jwks) });
    expect(result).toMatchObject({ valid: true, sourceDescription: 'pasted JWKS', matched: { label: `kid ${rsa.thumbprint}` } });
    expect(result.candidates.map((c) => [c.kid, c.outcome])).toEqual([
      ['other-rsa', 'kid-mismatch'],
      [ec.thumbprint, 'kid-mismatch'],
      [rsa.thumbprint, 'matched'],
    ]);
    expect(result.candidates[1]!.thumbprint).toBe(ec.thumbprint);
  });

  it('reports kid-mismatch naming the kids the JWKS has', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const jwks = { keys: [publicJwkOf(other, { kid: 'kid-one' }), publicJwkOf(other, { kid: 'kid-two' })] };
    const result = await verify(await sign(rsa.id, { alg: 'RS256', kid: 'kid-three' }), { kind: 'text', text: JSON.stringify(jwks) });
    expect(result).toMatchObject({ failure: 'kid-mismatch' });
    expect(result.message).toBe('No key has kid kid-three; pasted JWKS has kids kid-one, kid-two.');
  });

  it('lists a symmetric key in a JWKS as unsupported and reports no-keys when nothing else is there', async () => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), {
      kind: 'text',
      text: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }] }),
    });
    expect(result).toMatchObject({ failure: 'no-keys', candidates: [{ kid: 'hmac', outcome: 'unsupported-key' }] });
    expect(result.message).toContain('symmetric (oct) key');
  });

  it.each([
    ['text that is neither PEM nor JSON', 'hello', 'The pasted text is neither PEM (-----BEGIN …) nor JSON (a JWK or a JWKS).'],
    ['invalid JSON', '{ "kty": ', 'The pasted text is not valid JSON'],
    ['JSON without kty or keys', '{"a":1}', 'The pasted JSON is neither a JWK (no "kty") nor a JWKS (no "keys" array).'],
    [
      'a private key PEM',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'The pasted PEM is a PRIVATE KEY; paste the public key or certificate instead.',
    ],
    ['a broken PUBLIC KEY', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'The pasted PUBLIC KEY could not be read'],
    ['a broken certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'The pasted certificate could not be read'],
  ])('reports source-invalid for %s', async (_what, text, message) => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), { kind: 'text', text });
    expect(result).toMatchObject({ valid: false, failure: 'source-invalid' });
    expect(result.message).toContain(message);
  });
});

describe('jwt.verify › the embedded server', () => {
  it("verifies a client_credentials access token with the server's JWKS", async () => {
    const { management } = core.server.directory.bootstrapInfo();
    const res = await fetch(`${issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...management, audience: core.server.running!.urls.managementAudience }).toString(),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const tenantKid = core.server.running!.ctx.keys.kid;
    const result = await verify(access_token, { kind: 'server' });
    expect(result).toMatchObject({ valid: true, kid: tenantKid, matched: { label: `kid ${tenantKid}`, thumbprint: tenantKid } });
    expect(result.sourceDescription).toBe(`the embedded server's JWKS (${issuer}.well-known/jwks.json)`);

    const byUrl = await verify(access_token, { kind: 'jwksUrl', url: `${issuer}.well-known/jwks.json` });
    expect(byUrl).toMatchObject({ valid: true, sourceDescription: `${issuer}.well-known/jwks.json` });
    for (const given of [issuer, issuer.replace(/\/$/, '')]) {
      const byIssuer = await verify(access_token, { kind: 'issuer', issuer: given });
      expect(byIssuer).toMatchObject({ valid: true, matched: { kid: tenantKid } });
      expect(byIssuer.sourceDescription).toBe(`${issuer}.well-known/jwks.json (jwks_uri of ${given})`);
    }
  });

  it("verifies with a client's credentials, naming the credential and its slot", async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const imported = await call<ImportResult>('keys.import', { name: 'jar client key', text: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const client = await call<ServerClient>('server.createClient', {
      body: { name: 'verify client', signed_request_object: { credentials: [{ name: 'jar-key', credential_type: 'public_key', pem, alg: 'RS256' }] } },
    });
    const source: VerifyKeySource = { kind: 'serverCredentials', clientId: client.client_id };
    const kid = imported.key.thumbprint;
    const result = await verify(await sign(imported.key.id, { alg: 'RS256', kid }), source);
    expect(result).toMatchObject({ valid: true, matched: { label: 'credential jar-key (JAR)', kid, alg: 'RS256', thumbprint: kid } });
    // Auth0 binds a credential to one alg: PS256 from the same key is refused.
    expect((await verify(await sign(imported.key.id, { alg: 'PS256', kid }), source)).failure).toBe('alg-mismatch');
  });

  it('reports source-invalid for an unknown client', async () => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), { kind: 'serverCredentials', clientId: 'no-such-client' });
    expect(result).toMatchObject({ failure: 'source-invalid', message: 'The embedded server has no client with client_id no-such-client.' });
  });
});

describe('jwt.verify › remote keys', () => {
  it('reports fetch-failed for an unreachable URL', async () => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), { kind: 'jwksUrl', url: 'http://127.0.0.1:1/' });
    expect(result).toMatchObject({ valid: false, failure: 'fetch-failed' });
    expect(result.message).toBe('The JWKS could not be fetched: 127.0.0.1:1 is unreachable: fetch refuses port 1, a port the Fetch standard blocks.');
  });

  it('reports fetch-failed naming a refused connection', async () => {
    const port = await closedPort();
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), { kind: 'jwksUrl', url: `http://127.0.0.1:${port}/jwks.json` });
    expect(result.message).toBe(`The JWKS could not be fetched: 127.0.0.1:${port} is unreachable: the connection was refused.`);
  });

  it('refuses plain http to a host other than this machine, without fetching', async () => {
    const result = await verify(await sign(rsa.id, { alg: 'RS256' }), { kind: 'issuer', issuer: 'http://example.com' });
    expect(result).toMatchObject({ failure: 'fetch-failed' });
    expect(result.message).toContain(
      'Refused: http://example.com/.well-known/openid-configuration uses plain http to example.com, which is not this machine; only https (or http to a loopback address: 127.0.0.0/8, ::1, localhost) is allowed.',
    );
  });

  describe('with a stand-in fetcher', () => {
    let token: string;
    beforeAll(async () => {
      token = await sign(rsa.id, { alg: 'RS256' });
    });
    function deps(fetcher: Fetcher, extra: Partial<VerifyDeps> = {}): VerifyDeps {
      return { vault: core.vault, server: core.server, fetch: fetcher, ...extra };
    }
    const url = 'https://idp.example.com/jwks.json';

    it.each([
      [
        'an HTTP error status',
        () => new Response('nope', { status: 404, statusText: 'Not Found' }),
        'https://idp.example.com/jwks.json answered HTTP 404 Not Found.',
      ],
      ['a body that is not JSON', () => new Response('<html>', { headers: { 'content-type': 'text/html' } }), 'did not return JSON (content-type text/html).'],
      ['a body over the size cap', () => new Response('x'.repeat(2_000)), 'returned more than 1000 bytes'],
      [
        'a redirect to plain http',
        () => new Response(null, { status: 302, headers: { location: 'http://evil.example/jwks' } }),
        'http://evil.example/jwks uses plain http',
      ],
    ])('reports fetch-failed for %s', async (_what, respond, message) => {
      const result = await verifyJwt(
        token,
        { kind: 'jwksUrl', url },
        deps(() => Promise.resolve(respond()), { maxBytes: 1_000 }),
      );
      expect(result).toMatchObject({ failure: 'fetch-failed' });
      expect(result.message).toContain(message);
    });

    it('reports fetch-failed naming the timeout when the server does not answer in time', async () => {
      const hang: Fetcher = (_url, init) =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
      const result = await verifyJwt(token, { kind: 'jwksUrl', url }, deps(hang, { timeoutMs: 50 }));
      expect(result.message).toBe('The JWKS could not be fetched: https://idp.example.com/jwks.json did not answer within 0.05 s.');
    });

    it('reports fetch-failed for discovery without jwks_uri', async () => {
      const result = await verifyJwt(
        token,
        { kind: 'issuer', issuer: 'https://idp.example.com/' },
        deps(() => Promise.resolve(Response.json({ issuer: 'https://idp.example.com/' }))),
      );
      expect(result).toMatchObject({
        failure: 'fetch-failed',
        message: 'The discovery document at https://idp.example.com/.well-known/openid-configuration has no jwks_uri.',
      });
    });

    it('reports source-invalid when the URL returns JSON that is not a JWKS', async () => {
      const result = await verifyJwt(
        token,
        { kind: 'jwksUrl', url },
        deps(() => Promise.resolve(Response.json({ hello: 'world' }))),
      );
      expect(result).toMatchObject({
        failure: 'source-invalid',
        message: 'The document at https://idp.example.com/jwks.json is not a JWKS: it has no "keys" array.',
      });
    });

    it('reports no-keys for an empty JWKS', async () => {
      const result = await verifyJwt(
        token,
        { kind: 'jwksUrl', url },
        deps(() => Promise.resolve(Response.json({ keys: [] }))),
      );
      expect(result).toMatchObject({ failure: 'no-keys', message: 'There are no keys in https://idp.example.com/jwks.json.' });
    });
  });
});
