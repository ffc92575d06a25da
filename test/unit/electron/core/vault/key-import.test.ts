import type { KeyExportOptions, KeyObject } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../electron/core/clock';
import { createSelfSignedCertificate } from '../../../../../electron/core/vault/certificate';
import { expectError, unlockedVault } from './helpers';

interface Pair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

let rsa: Pair;
let ec256: Pair;
let ec384: Pair;
let rsaCertificate: string;
let otherCertificate: string;

const pem = (key: KeyObject, options: KeyExportOptions<'pem'>): string => key.export(options).toString();
const json = (value: unknown): string => JSON.stringify(value);

/** Keeps the armour but truncates the DER inside, so the base64 stays valid and the contents do not. */
function truncateDer(text: string): string {
  const [, label = '', body = ''] = /-----BEGIN ([A-Z ]+)-----\n([\s\S]+?)-----END/.exec(text) ?? [];
  const der = Buffer.from(body.replace(/\s/g, ''), 'base64');
  const b64 = der.subarray(0, Math.floor(der.length / 2)).toString('base64');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

beforeAll(async () => {
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  rsaCertificate = (await createSelfSignedCertificate({ ...rsa, shape: { kty: 'RSA', size: 2048 }, commonName: 'rsa.example', days: 30 })).pem;
  otherCertificate = (await createSelfSignedCertificate({ ...ec256, shape: { kty: 'EC', crv: 'P-256' }, commonName: 'other.example', days: 30 })).pem;
});

describe('Key import › formats', () => {
  it('imports a PKCS#8 "PRIVATE KEY" PEM', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ name: 'PKCS8', text: pem(rsa.privateKey, { type: 'pkcs8', format: 'pem' }), usages: ['jar'] });
    expect(result.action).toBe('created');
    expect(result.key).toMatchObject({ name: 'PKCS8', kty: 'RSA', size: 2048, hasPrivateKey: true, usages: ['jar'], warnings: [] });
    expect(result.key.algs).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
  });

  it('rejects a "PRIVATE KEY" PEM whose base64 is invalid', async () => {
    const { vault } = await unlockedVault();
    const broken = pem(rsa.privateKey, { type: 'pkcs8', format: 'pem' }).replace(/\n(.)/, '\n!$1');
    await expectError(() => vault.importKey({ text: broken }), 'MALFORMED_KEY', /PEM block's base64 is invalid \(in the "PRIVATE KEY" block\)/);
  });

  it('rejects a "PRIVATE KEY" PEM whose DER is truncated', async () => {
    const { vault } = await unlockedVault();
    const broken = truncateDer(pem(rsa.privateKey, { type: 'pkcs8', format: 'pem' }));
    await expectError(() => vault.importKey({ text: broken }), 'MALFORMED_KEY', /not a valid PKCS#8 private key/);
  });

  it('imports a PKCS#1 "RSA PRIVATE KEY" PEM', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: pem(rsa.privateKey, { type: 'pkcs1', format: 'pem' }) });
    expect(result.key).toMatchObject({ name: 'Imported RSA 2048 key', kty: 'RSA', hasPrivateKey: true });
  });

  it('rejects a truncated PKCS#1 private key', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: truncateDer(pem(rsa.privateKey, { type: 'pkcs1', format: 'pem' })) }),
      'MALFORMED_KEY',
      /not a valid PKCS#1 private key/,
    );
  });

  it('imports a SEC1 "EC PRIVATE KEY" PEM, also after an "EC PARAMETERS" block', async () => {
    const { vault } = await unlockedVault();
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const result = await vault.importKey({ text: params + pem(ec256.privateKey, { type: 'sec1', format: 'pem' }) });
    expect(result.key).toMatchObject({ kty: 'EC', crv: 'P-256', algs: ['ES256'], hasPrivateKey: true });
  });

  it('rejects a truncated SEC1 private key', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: truncateDer(pem(ec256.privateKey, { type: 'sec1', format: 'pem' })) }),
      'MALFORMED_KEY',
      /not a valid SEC1 private key/,
    );
  });

  it('imports an "ENCRYPTED PRIVATE KEY" with its passphrase', async () => {
    const { vault } = await unlockedVault();
    const text = pem(ec384.privateKey, { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'file passphrase' });
    const result = await vault.importKey({ text, passphrase: 'file passphrase' });
    expect(result.key).toMatchObject({ kty: 'EC', crv: 'P-384', algs: ['ES384'], hasPrivateKey: true });
  });

  it('asks for the passphrase of an encrypted private key, and rejects a wrong one', async () => {
    const { vault } = await unlockedVault();
    const text = pem(ec384.privateKey, { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'file passphrase' });
    await expectError(() => vault.importKey({ text }), 'PASSPHRASE_REQUIRED', /encrypted: enter its passphrase/);
    await expectError(() => vault.importKey({ text, passphrase: 'wrong passphrase' }), 'WRONG_PASSPHRASE', /does not decrypt this private key/);
    expect(vault.list()).toEqual([]);
  });

  it('imports a legacy OpenSSL-encrypted "RSA PRIVATE KEY" (Proc-Type headers) with its passphrase', async () => {
    const { vault } = await unlockedVault();
    const text = pem(rsa.privateKey, { type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'file passphrase' });
    expect(text).toMatch(/Proc-Type: 4,ENCRYPTED/);
    await expectError(() => vault.importKey({ text }), 'PASSPHRASE_REQUIRED', /encrypted: enter its passphrase/);
    const result = await vault.importKey({ text, passphrase: 'file passphrase' });
    expect(result.key).toMatchObject({ kty: 'RSA', hasPrivateKey: true });
  });

  it('tolerates CRLF line endings, indentation and surrounding text around a PEM block', async () => {
    const { vault } = await unlockedVault();
    const indented = pem(ec256.publicKey, { type: 'spki', format: 'pem' })
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\r\n');
    const result = await vault.importKey({ text: `key from the tenant:\r\n${indented}\r\nend of message` });
    expect(result.key).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it('imports a private JWK, naming it after its kid', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: json({ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'tenant-key-1' }) });
    expect(result.key).toMatchObject({ name: 'tenant-key-1', kty: 'RSA', hasPrivateKey: true });
  });

  it('rejects a private RSA JWK missing a CRT member, naming it', async () => {
    const { vault } = await unlockedVault();
    const { p: _p, ...jwk } = rsa.privateKey.export({ format: 'jwk' });
    await expectError(() => vault.importKey({ text: json(jwk) }), 'MALFORMED_KEY', /JWK is missing p/);
  });

  it('imports a SPKI "PUBLIC KEY" PEM as a public-only key', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: pem(ec256.publicKey, { type: 'spki', format: 'pem' }) });
    expect(result.key).toMatchObject({ kty: 'EC', crv: 'P-256', hasPrivateKey: false, warnings: ['public-only'] });
  });

  it('rejects a truncated SPKI public key', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: truncateDer(pem(ec256.publicKey, { type: 'spki', format: 'pem' })) }),
      'MALFORMED_KEY',
      /not a valid SPKI public key/,
    );
  });

  it('imports a PKCS#1 "RSA PUBLIC KEY" PEM', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: pem(rsa.publicKey, { type: 'pkcs1', format: 'pem' }) });
    expect(result.key).toMatchObject({ kty: 'RSA', size: 2048, hasPrivateKey: false });
  });

  it('rejects a truncated PKCS#1 public key', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: truncateDer(pem(rsa.publicKey, { type: 'pkcs1', format: 'pem' })) }),
      'MALFORMED_KEY',
      /not a valid PKCS#1 public key/,
    );
  });

  it('imports a public JWK', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: json(ec384.publicKey.export({ format: 'jwk' })) });
    expect(result.key).toMatchObject({ kty: 'EC', crv: 'P-384', hasPrivateKey: false });
  });

  it('rejects a public JWK missing n', async () => {
    const { vault } = await unlockedVault();
    const { n: _n, ...jwk } = rsa.publicKey.export({ format: 'jwk' });
    await expectError(() => vault.importKey({ text: json(jwk) }), 'MALFORMED_KEY', /JWK is missing n/);
  });

  it('rejects a JWK whose coordinates are not on the curve', async () => {
    const { vault } = await unlockedVault();
    const jwk = { ...ec256.publicKey.export({ format: 'jwk' }), y: ec384.publicKey.export({ format: 'jwk' }).x };
    await expectError(() => vault.importKey({ text: json(jwk) }), 'MALFORMED_KEY', /not a valid EC public key/);
  });

  it('imports a JWKS holding exactly one key', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: json({ keys: [rsa.publicKey.export({ format: 'jwk' })] }) });
    expect(result.key).toMatchObject({ kty: 'RSA', hasPrivateKey: false });
  });

  it('rejects a JWKS holding more than one key, naming the count', async () => {
    const { vault } = await unlockedVault();
    const text = json({ keys: [rsa.publicKey.export({ format: 'jwk' }), ec256.publicKey.export({ format: 'jwk' })] });
    await expectError(() => vault.importKey({ text }), 'MALFORMED_KEY', /JWKS holds 2 keys; import exactly one/);
  });

  it('imports an X.509 certificate as a public-only key named after its CN', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: rsaCertificate });
    expect(result.key).toMatchObject({ name: 'rsa.example', kty: 'RSA', hasPrivateKey: false });
    expect(result.key.certificate).toMatchObject({ subject: 'CN=rsa.example', issuer: 'CN=rsa.example', selfSigned: true });
    expect(result.key.expiresAt).toBe(result.key.certificate?.notAfter);
  });

  it('rejects a certificate whose DER is truncated', async () => {
    const { vault } = await unlockedVault();
    await expectError(() => vault.importKey({ text: truncateDer(rsaCertificate) }), 'MALFORMED_KEY', /certificate could not be parsed/);
  });

  it('rejects text with no PEM block or JSON', async () => {
    const { vault } = await unlockedVault();
    await expectError(() => vault.importKey({ text: 'ssh-rsa AAAAB3NzaC1yc2E user@host' }), 'MALFORMED_KEY', /No PEM block or JSON found/);
  });

  it('rejects a PEM block without its END line', async () => {
    const { vault } = await unlockedVault();
    const cut = pem(ec256.publicKey, { type: 'spki', format: 'pem' }).replace(/-----END PUBLIC KEY-----\n/, '');
    await expectError(() => vault.importKey({ text: cut }), 'MALFORMED_KEY', /has no matching "-----END PUBLIC KEY-----" line/);
  });

  it('rejects JSON that does not parse', async () => {
    const { vault } = await unlockedVault();
    await expectError(() => vault.importKey({ text: '{"kty": "RSA",' }), 'MALFORMED_KEY', /JSON could not be parsed/);
  });
});

describe('Key import › unsupported keys', () => {
  it('rejects RSA keys under 2048 bits as KEY_TOO_SMALL', async () => {
    const { vault } = await unlockedVault();
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await expectError(() => vault.importKey({ text: pem(small.privateKey, { type: 'pkcs8', format: 'pem' }) }), 'KEY_TOO_SMALL', /1024 bits; at least 2048/);
  });

  it('rejects P-521 keys', async () => {
    const { vault } = await unlockedVault();
    const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    await expectError(
      () => vault.importKey({ text: pem(p521.privateKey, { type: 'pkcs8', format: 'pem' }) }),
      'UNSUPPORTED_KEY',
      /curve P-521 are not supported/,
    );
    await expectError(() => vault.importKey({ text: json(p521.publicKey.export({ format: 'jwk' })) }), 'UNSUPPORTED_KEY', /curve P-521 are not supported/);
  });

  it('rejects secp256k1 keys', async () => {
    const { vault } = await unlockedVault();
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    await expectError(
      () => vault.importKey({ text: pem(k1.publicKey, { type: 'spki', format: 'pem' }) }),
      'UNSUPPORTED_KEY',
      /curve secp256k1 are not supported/,
    );
  });

  it('rejects Ed448 and X25519 keys (of the OKP curves only Ed25519 is supported)', async () => {
    const { vault } = await unlockedVault();
    const ed448 = generateKeyPairSync('ed448');
    await expectError(
      () => vault.importKey({ text: pem(ed448.privateKey, { type: 'pkcs8', format: 'pem' }) }),
      'UNSUPPORTED_KEY',
      /ED448 keys are not supported/,
    );
    await expectError(
      () => vault.importKey({ text: json(generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' })) }),
      'UNSUPPORTED_KEY',
      /OKP keys on the curve X25519 are not supported/,
    );
  });

  it('rejects symmetric oct JWKs', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: json({ kty: 'oct', k: 'c2VjcmV0' }) }),
      'UNSUPPORTED_KEY',
      /Symmetric \(kty "oct"\) keys are not supported/,
    );
  });

  it('rejects PEM blocks of other kinds, naming the label', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' }),
      'UNSUPPORTED_KEY',
      /"CERTIFICATE REQUEST" are not supported/,
    );
  });
});

describe('Key import › pairing and duplicates', () => {
  it('a private key pasted with its certificate imports the key and pairs the certificate', async () => {
    const { vault } = await unlockedVault();
    const result = await vault.importKey({ text: pem(rsa.privateKey, { type: 'pkcs8', format: 'pem' }) + rsaCertificate });
    expect(result.action).toBe('created');
    expect(result.key).toMatchObject({ name: 'rsa.example', hasPrivateKey: true, certificate: { subject: 'CN=rsa.example' } });
    expect(vault.get(result.key.id).certificatePem).toBe(rsaCertificate);
  });

  it('a private key pasted with a certificate for another key is rejected', async () => {
    const { vault } = await unlockedVault();
    await expectError(
      () => vault.importKey({ text: pem(rsa.privateKey, { type: 'pkcs8', format: 'pem' }) + otherCertificate }),
      'MALFORMED_KEY',
      /certificate does not match the private key/,
    );
    expect(vault.list()).toEqual([]);
  });

  it('a certificate for a key already in the vault is paired with it (paired-certificate)', async () => {
    const { vault } = await unlockedVault();
    const created = await vault.importKey({ name: 'Mine', text: pem(rsa.privateKey, { type: 'pkcs8', format: 'pem' }) });
    const paired = await vault.importKey({ text: rsaCertificate });
    expect(paired.action).toBe('paired-certificate');
    expect(paired.key).toMatchObject({ id: created.key.id, name: 'Mine', hasPrivateKey: true, certificate: { subject: 'CN=rsa.example' } });
    expect(vault.list()).toHaveLength(1);
  });

  it('a private key for a public-only entry is added to it (added-private-key)', async () => {
    const { vault } = await unlockedVault();
    const publicOnly = await vault.importKey({ text: rsaCertificate });
    const added = await vault.importKey({ text: pem(rsa.privateKey, { type: 'pkcs1', format: 'pem' }) });
    expect(added.action).toBe('added-private-key');
    expect(added.key).toMatchObject({ id: publicOnly.key.id, hasPrivateKey: true, warnings: [] });
    await expect(vault.sign(added.key.id, { alg: 'RS256' }, 'now it signs')).resolves.toHaveProperty('jws');
  });

  it('the same key imported again, in any format, is DUPLICATE_KEY naming the existing entry', async () => {
    const { vault } = await unlockedVault();
    await vault.importKey({ name: 'Original', text: pem(ec256.privateKey, { type: 'sec1', format: 'pem' }) });
    await expectError(
      () => vault.importKey({ text: pem(ec256.privateKey, { type: 'pkcs8', format: 'pem' }) }),
      'DUPLICATE_KEY',
      /already in the vault as "Original"/,
    );
    await expectError(() => vault.importKey({ text: json(ec256.publicKey.export({ format: 'jwk' })) }), 'DUPLICATE_KEY', /already in the vault as "Original"/);
    expect(vault.list()).toHaveLength(1);
  });

  it('an expired certificate marks the key certificate-expired and key-expired', async () => {
    const { vault } = await unlockedVault();
    freezeClock(Date.parse('2020-01-01T00:00:00Z'));
    let expired: string;
    try {
      expired = (await createSelfSignedCertificate({ ...ec384, shape: { kty: 'EC', crv: 'P-384' }, commonName: 'old', days: 1 })).pem;
    } finally {
      freezeClock(undefined);
    }
    const result = await vault.importKey({ text: pem(ec384.privateKey, { type: 'pkcs8', format: 'pem' }) + expired });
    expect(result.key.expiresAt).toBe('2020-01-02T00:00:00.000Z');
    expect(result.key.warnings).toEqual(['certificate-expired', 'key-expired']);
  });
});
