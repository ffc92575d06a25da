/**
 * Ed25519 (OKP, RFC 8037) keys in the vault, for DPoP proofs: generated, imported from PKCS#8 / SPKI PEM and
 * JWK, exported, thumbprinted and listed with Node crypto and jose only; refused for JAR and client
 * authentication (Auth0 registers RSA credentials only, CRD-2); and a vault file written before Ed25519
 * existed still opens.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { readJwkText } from '../../../../../electron/core/vault/jwk-input';
import { expectError, openVault, PASSPHRASE, tempDataDir, unlockedVault, vaultFile } from './helpers';

const json = (value: unknown): string => JSON.stringify(value);

describe('Ed25519 keys › generate, list, export, thumbprint', () => {
  it('generates an Ed25519 key that lists as OKP with EdDSA first, its RFC 7638 thumbprint as kid', async () => {
    const { vault, events } = await unlockedVault();
    const key = await vault.generate({ name: 'DPoP Ed25519', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: ['other'] });
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', algs: ['EdDSA', 'Ed25519'], usages: ['other'], hasPrivateKey: true, certificate: null });
    expect(vault.list().map((k) => k.id)).toEqual([key.id]);
    const progress = events.filter((e) => e.name === 'jobs.progress').map((e) => (e.payload as { label: string }).label);
    expect(progress).toEqual(['Ed25519', 'Ed25519']);

    const detail = vault.get(key.id);
    expect(Object.keys(detail.publicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(detail.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: key.thumbprint });
    expect(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: detail.publicJwk.x as string }, 'sha256')).toBe(key.thumbprint);
    expect(detail.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    // The exported PEM and JWK are the same public key.
    const fromPem = createPublicKey(detail.publicPem).export({ format: 'jwk' });
    expect(fromPem).toEqual({ kty: 'OKP', crv: 'Ed25519', x: detail.publicJwk.x });
    const jwks = JSON.parse((await vault.exportPublic(key.id, 'jwks')).content) as { keys: unknown[] };
    expect(jwks.keys).toEqual([detail.publicJwk]);
  });

  it('signs EdDSA and Ed25519 (RFC 9864) JWSs that verify with the exported JWK, and refuses ES256', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Ed', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: [] });
    const jwk = JSON.parse((await vault.exportPublic(key.id, 'jwk')).content) as Record<string, string>;
    for (const alg of ['EdDSA', 'Ed25519'] as const) {
      const { jws } = await vault.sign(key.id, { alg, typ: 'dpop+jwt' }, { htm: 'POST' });
      const { protectedHeader, payload } = await compactVerify(jws, await importJWK(jwk, alg));
      expect(protectedHeader).toEqual({ alg, typ: 'dpop+jwt' });
      expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ htm: 'POST' });
      // An Ed25519 signature by RFC 8032, whichever name the header gives it.
      const [h, p, s] = jws.split('.') as [string, string, string];
      expect(verify(null, Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'))).toBe(true);
    }
    await expectError(() => vault.sign(key.id, { alg: 'ES256' }, {}), 'UNSUPPORTED_ALG', /cannot sign with alg ES256; it supports EdDSA, Ed25519/);
  });

  it('issues a self-signed Ed25519 certificate for the key', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Ed cert', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: [] });
    const file = await vault.exportCertificate(key.id, 30);
    expect(file.content).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(vault.get(key.id).certificate).toMatchObject({ subject: 'CN=Ed cert', selfSigned: true });
  });

  it('keeps the key sealed across lock and a fresh open of the same file', async () => {
    const { vault, dir } = await unlockedVault();
    const key = await vault.generate({ name: 'Kept', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: ['other'] });
    vault.lock();
    const again = openVault(dir).vault;
    await again.unlock(PASSPHRASE);
    expect(again.list()).toEqual([expect.objectContaining({ id: key.id, kty: 'OKP', crv: 'Ed25519', thumbprint: key.thumbprint })]);
    const { jws } = await again.sign(key.id, { alg: 'EdDSA' }, 'x');
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'EdDSA' });
  });
});

describe('Ed25519 keys › import', () => {
  it('imports PKCS#8 PEM, SPKI PEM and private/public JWKs, recognising the same key in each', async () => {
    const ed = generateKeyPairSync('ed25519');
    const { vault } = await unlockedVault();
    const pub = await vault.importKey({ text: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    expect(pub).toMatchObject({ action: 'created', key: { kty: 'OKP', crv: 'Ed25519', hasPrivateKey: false, name: 'Imported Ed25519 key' } });
    const priv = await vault.importKey({ text: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    expect(priv).toMatchObject({ action: 'added-private-key', key: { id: pub.key.id, hasPrivateKey: true } });

    const other = generateKeyPairSync('ed25519');
    const viaJwk = await vault.importKey({ text: json({ ...other.privateKey.export({ format: 'jwk' }), kid: 'from-jwk' }) });
    expect(viaJwk).toMatchObject({ action: 'created', key: { name: 'from-jwk', kty: 'OKP', hasPrivateKey: true } });
    await expectError(() => vault.importKey({ text: json(other.publicKey.export({ format: 'jwk' })) }), 'DUPLICATE_KEY', /already/);
    expect(viaJwk.key.thumbprint).toBe(
      await calculateJwkThumbprint(other.publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: string; x: string }, 'sha256'),
    );
  });

  it('names what is wrong with an OKP JWK: another curve, a missing member, a d of another key', async () => {
    const { vault } = await unlockedVault();
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
    await expectError(() => vault.importKey({ text: json(x25519) }), 'UNSUPPORTED_KEY', /OKP keys on the curve X25519 are not supported; .*Ed25519 only/);
    await expectError(() => vault.importKey({ text: json({ kty: 'OKP', x: 'AAAA' }) }), 'UNSUPPORTED_KEY', /OKP keys without crv are not supported/);
    await expectError(() => vault.importKey({ text: json({ kty: 'OKP', crv: 'Ed25519' }) }), 'MALFORMED_KEY', /JWK is missing x/);
    await expectError(() => vault.importKey({ text: json({ kty: 'OKP', crv: 'Ed25519', x: 'not base64url!' }) }), 'MALFORMED_KEY', /member x is not base64url/);
    const a = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const b = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    await expectError(() => vault.importKey({ text: json({ ...a, x: b.x }) }), 'MALFORMED_KEY', /not a valid OKP private key/);
    const ed448 = generateKeyPairSync('ed448');
    await expectError(
      () => vault.importKey({ text: ed448.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }),
      'UNSUPPORTED_KEY',
      /ED448 keys are not supported; use RSA \(2048 bits or more\), EC P-256 \/ P-384 or Ed25519/,
    );
  });

  it('reads an Ed25519 JWK into a key pair whose public half matches', () => {
    const ed = generateKeyPairSync('ed25519');
    const material = readJwkText(json(ed.privateKey.export({ format: 'jwk' })));
    expect(material.publicKey.equals(ed.publicKey)).toBe(true);
    expect(material.privateKey?.asymmetricKeyType).toBe('ed25519');
  });
});

describe('Ed25519 keys › usages (Auth0 credentials are RSA only, CRD-2)', () => {
  it('refuses JAR and client-authentication usages when generating, importing and editing, naming CRD-2', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.generate({ name: 'JAR', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: ['jar'] }),
      'INVALID_INPUT',
      /Ed25519 key cannot be used for JAR signing: Auth0 accepts only RSA keys as client credentials \(CRD-2\)/,
    );
    const ed = generateKeyPairSync('ed25519');
    await expectError(
      () => vault.importKey({ text: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), usages: ['client-auth', 'other'] }),
      'INVALID_INPUT',
      /cannot be used for client authentication: .*CRD-2/,
    );
    expect(vault.list()).toEqual([]);
    const key = await vault.generate({ name: 'DPoP', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: [] });
    await expectError(() => vault.setUsages(key.id, ['jar', 'client-auth']), 'INVALID_INPUT', /JAR signing or client authentication/);
    expect(vault.setUsages(key.id, ['other']).usages).toEqual(['other']);
    expect(vault.get(key.id).usages).toEqual(['other']);
  });
});

describe('Ed25519 keys › vault files written before Ed25519', () => {
  // A vault.json as Parley wrote it before OKP keys existed (commit 232c8c3): passphrase "correct horse battery
  // staple" at a low scrypt cost, one EC P-256 key for client authentication and one client secret.
  const OLD_VAULT = {
    version: 1,
    protection: {
      kind: 'passphrase',
      kdf: { N: 1024, r: 8, p: 1, name: 'scrypt', salt: 'l583FMF91wKF0TVC5i1sAA==' },
      wrappedDataKey: { iv: 'T1e6Q3Z3OdpqZArv', ciphertext: '43wJ3hubuU4RcejNHYAC/lMIg5sgraPp4IfdRwGIIxo=', tag: 'y9xpKj0zz8oKzRRqLexCiw==' },
    },
    keys: [
      {
        id: '5ExIjq4TH0gqwQW6rOF59g',
        name: 'Old EC key',
        publicJwk: { kty: 'EC', crv: 'P-256', x: 'd0BFRIdhkEUTspDao_GUKiXxB0mAHYis_fHK2RXy9bU', y: 'x874hAtF1JBOOFLU_5GR_wQSexcSMZhhzWn1mENUXLM' },
        thumbprint: 'xOTV_lgDXDCpuplXxtcQXr8lLuVOcXnUa8iuH-xBD4E',
        usages: ['client-auth'],
        createdAt: '2026-12-07T20:39:16.216Z',
        certificate: null,
        privateKey: {
          iv: '95cvN3LYXl6TGnlK',
          ciphertext:
            'lqfCsGQCJTfqzpR5Ux0FqT5Wmhu/We86+Eic+1BgdLEiH80fCslV8EfbRKyhe7klVX1/9ggDxN8qMZDlwsassIoRlaAtHxn3dhjM9ldJgTxTWfsueNcalXW5X5P+ImNW/HubTbLyflmCZYqD2YJjoKwsjDBHuuE59MCyH/iEb/vZRNn2AczH1FTE',
          tag: 'uHovpus4SOrYnFfHO7XxjA==',
        },
      },
    ],
    secrets: [{ id: 'flow-target:old', sealed: { iv: 'OEzQ84Ec1t2r8eMT', ciphertext: 'lkSTr26+ZpukzQABtmiO99k=', tag: 'nLqDTu0JUmqQ35tnB4Z2Sg==' } }],
  };

  it('opens it, signs with its key, reads its secret, and adds an Ed25519 key beside it', async () => {
    const dir = tempDataDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(vaultFile(dir), JSON.stringify(OLD_VAULT));
    const { vault, notices } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    expect(notices).toEqual([]);
    const [old] = vault.list();
    expect(old).toMatchObject({ id: '5ExIjq4TH0gqwQW6rOF59g', kty: 'EC', crv: 'P-256', algs: ['ES256'], hasPrivateKey: true });
    const { jws } = await vault.sign('5ExIjq4TH0gqwQW6rOF59g', { alg: 'ES256' }, { ok: true });
    await compactVerify(jws, await importJWK(OLD_VAULT.keys[0]!.publicJwk, 'ES256'));
    expect(vault.getSecret('flow-target:old')).toBe('old-client-secret');

    const ed = await vault.generate({ name: 'New Ed25519', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: ['other'] });
    const reopened = openVault(dir);
    await reopened.vault.unlock(PASSPHRASE);
    expect(reopened.notices).toEqual([]);
    expect(reopened.vault.list().map((k) => [k.name, k.kty])).toEqual([
      ['Old EC key', 'EC'],
      ['New Ed25519', 'OKP'],
    ]);
    expect(reopened.vault.get(ed.id).thumbprint).toBe(ed.thumbprint);
  });
});
