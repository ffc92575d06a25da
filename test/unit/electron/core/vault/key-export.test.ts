import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../../../electron/core/clock';
import { PASSPHRASE, expectError, unlockedVault } from './helpers';

describe('Key export › public material', () => {
  it('exports the public key as SPKI PEM, JWK (kid = thumbprint, alg, use) and a one-key JWKS', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Client Auth Key #1', spec: { kty: 'EC', crv: 'P-256' }, usages: ['client-auth'] });

    const pemFile = await vault.exportPublic(key.id, 'pem');
    expect(pemFile).toMatchObject({ filename: 'client-auth-key-1.public.pem', mimeType: 'application/x-pem-file' });
    expect(pemFile.content).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);

    const jwkFile = await vault.exportPublic(key.id, 'jwk');
    expect(jwkFile).toMatchObject({ filename: 'client-auth-key-1.jwk.json', mimeType: 'application/jwk+json' });
    const jwk = JSON.parse(jwkFile.content) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.thumbprint, alg: 'ES256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    expect(createPublicKey({ key: jwk, format: 'jwk' }).equals(createPublicKey(pemFile.content))).toBe(true);

    const jwksFile = await vault.exportPublic(key.id, 'jwks');
    expect(jwksFile).toMatchObject({ filename: 'client-auth-key-1.jwks.json', mimeType: 'application/jwk-set+json' });
    expect(JSON.parse(jwksFile.content)).toEqual({ keys: [jwk] });
    expect(vault.get(key.id).publicJwk).toEqual(jwk);
  });

  it('advertises RS256 as the alg of an RSA key', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'RSA', spec: { kty: 'RSA', modulusLength: 2048 }, usages: [] });
    expect(JSON.parse((await vault.exportPublic(key.id, 'jwk')).content)).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'RS256', kid: key.thumbprint });
  });
});

describe('Key export › certificates', () => {
  it('issues a self-signed certificate (CN, validity, serial) and pairs it with the key', async () => {
    const { vault, events } = await unlockedVault();
    const key = await vault.generate({ name: 'Signer', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
    const file = await vault.exportCertificate(key.id, 90, 'client.example.com');
    expect(file).toMatchObject({ filename: 'signer.cert.pem', mimeType: 'application/x-pem-file' });

    const cert = new X509Certificate(file.content);
    expect(cert.subject).toBe('CN=client.example.com');
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.equals(createPublicKey((await vault.exportPublic(key.id, 'pem')).content))).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    expect(cert.serialNumber).toMatch(/^[0-9A-F]{32}$/i);
    expect(cert.ca).toBe(false);

    const detail = vault.get(key.id);
    expect(detail.certificatePem).toBe(file.content);
    expect(detail.certificate).toMatchObject({ subject: 'CN=client.example.com', selfSigned: true });
    expect(detail.expiresAt).toBe(detail.certificate?.notAfter);
    expect(Date.parse(detail.expiresAt ?? '')).toBeGreaterThan(nowMs() + 89 * 86_400_000);
    expect(events.filter((e) => e.name === 'keys.changed').at(-1)?.payload).toEqual({ reason: 'updated', id: key.id });
  });

  it('signs EC certificates with the curve’s ECDSA hash and defaults the CN to the key name', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'EC 384', spec: { kty: 'EC', crv: 'P-384' }, usages: [] });
    const cert = new X509Certificate((await vault.exportCertificate(key.id, 1)).content);
    expect(cert.subject).toBe('CN=EC 384');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.toLegacyObject().asn1Curve).toBe('secp384r1');
  });

  it('an exported certificate imported into another vault is recognized as the same key', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Shared', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const certificate = (await vault.exportCertificate(key.id, 30)).content;
    await expectError(() => vault.importKey({ text: certificate }), 'DUPLICATE_KEY', /already in the vault as "Shared"/);

    const other = (await unlockedVault()).vault;
    const imported = await other.importKey({ text: certificate });
    expect(imported.key).toMatchObject({ thumbprint: key.thumbprint, hasPrivateKey: false, name: 'Shared' });
  });
});

describe('Key export › private key', () => {
  it('exports the private key only as encrypted PKCS#8 that round-trips with its passphrase', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Exported', spec: { kty: 'RSA', modulusLength: 2048 }, usages: [] });
    const file = await vault.exportPrivate(key.id, 'export passphrase', { vaultPassphrase: PASSPHRASE });
    expect(file).toMatchObject({ filename: 'exported.private.pem', mimeType: 'application/x-pem-file' });
    expect(file.content).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);

    expect(() => createPrivateKey({ key: file.content, passphrase: 'wrong passphrase' })).toThrow();
    const privateKey = createPrivateKey({ key: file.content, passphrase: 'export passphrase' });
    expect(createPublicKey(privateKey).equals(createPublicKey((await vault.exportPublic(key.id, 'pem')).content))).toBe(true);
  });

  it('public-only keys cannot be exported privately, certified, or used to sign (KEY_HAS_NO_PRIVATE_PART)', async () => {
    const { vault } = await unlockedVault();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { key } = await vault.importKey({ name: 'Peer', text: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    await expectError(() => vault.exportPrivate(key.id, 'export passphrase'), 'KEY_HAS_NO_PRIVATE_PART', /"Peer" is public only/);
    await expectError(() => vault.exportCertificate(key.id, 30), 'KEY_HAS_NO_PRIVATE_PART', /"Peer" is public only/);
    await expectError(() => vault.sign(key.id, { alg: 'ES256' }, 'x'), 'KEY_HAS_NO_PRIVATE_PART', /"Peer" is public only/);
    await expect(vault.exportPublic(key.id, 'jwks')).resolves.toHaveProperty('content');
  });

  it('refuses an unknown key id with KEY_NOT_FOUND', async () => {
    const { vault } = await unlockedVault();
    await expectError(() => vault.exportPublic('AAAAAAAAAAAAAAAAAAAAAA', 'pem'), 'KEY_NOT_FOUND', /No key with id "AAAAAAAAAAAAAAAAAAAAAA"/);
  });
});
