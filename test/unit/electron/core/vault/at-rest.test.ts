import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { PASSPHRASE, expectError, filesUnder, openVault, unlockedVault, vaultFile } from './helpers';

interface StoredKey {
  id: string;
  privateKey: { iv: string; ciphertext: string; tag: string } | null;
}

describe('ARCHITECTURE §5 › encryption at rest', () => {
  it('round-trips: keys generated in one session sign after a new instance unlocks the same directory', async () => {
    const { vault, dir } = await unlockedVault();
    const key = await vault.generate({ name: 'Round trip', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
    const jwk = JSON.parse((await vault.exportPublic(key.id, 'jwk')).content) as Record<string, string>;
    vault.lock();

    const reopened = openVault(dir).vault;
    expect(reopened.status().state).toBe('locked');
    await reopened.unlock(PASSPHRASE);
    expect(reopened.list()).toEqual([key]);
    const { jws } = await reopened.sign(key.id, { alg: 'PS256', kid: key.thumbprint }, { iss: 'client' });

    const verified = await compactVerify(jws, await importJWK(jwk, 'PS256'));
    expect(verified.protectedHeader).toEqual({ alg: 'PS256', kid: key.thumbprint });
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({ iss: 'client' });
  });

  it('a flipped byte in a sealed private key is detected as DECRYPT_FAILED naming the key', async () => {
    const { vault, dir } = await unlockedVault();
    const damaged = await vault.generate({ name: 'Damaged key', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const intact = await vault.generate({ name: 'Intact key', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    vault.lock();

    const stored = JSON.parse(readFileSync(vaultFile(dir), 'utf8')) as { keys: StoredKey[] };
    const sealed = stored.keys.find((k) => k.id === damaged.id)?.privateKey;
    if (!sealed) throw new Error('sealed key not found');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[10] = (bytes[10] ?? 0) ^ 0x01;
    sealed.ciphertext = bytes.toString('base64');
    writeFileSync(vaultFile(dir), JSON.stringify(stored));

    const reopened = openVault(dir).vault;
    await reopened.unlock(PASSPHRASE);
    expect(reopened.status().notices).toEqual([]);
    await expectError(() => reopened.sign(damaged.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"Damaged key" .*does not match what the vault sealed/);
    await expectError(() => reopened.exportPrivate(damaged.id, 'export passphrase', { vaultPassphrase: PASSPHRASE }), 'DECRYPT_FAILED', /"Damaged key"/);
    await expect(reopened.sign(intact.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
  });

  it('a sealed key moved to another record fails: the key id (and its metadata) are the associated data', async () => {
    const { vault, dir } = await unlockedVault();
    const a = await vault.generate({ name: 'A', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const b = await vault.generate({ name: 'B', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const stored = JSON.parse(readFileSync(vaultFile(dir), 'utf8')) as { keys: StoredKey[] };
    const [first, second] = stored.keys;
    if (!first || !second) throw new Error('keys not found');
    [first.privateKey, second.privateKey] = [second.privateKey, first.privateKey];
    writeFileSync(vaultFile(dir), JSON.stringify(stored));

    const reopened = openVault(dir).vault;
    await reopened.unlock(PASSPHRASE);
    await expectError(() => reopened.sign(a.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"A"/);
    await expectError(() => reopened.sign(b.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"B"/);
  });

  it('no file in the data directory holds private material in any plain encoding', async () => {
    const { vault, dir } = await unlockedVault();
    const rsa = await vault.generate({ name: 'RSA', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
    const ec = await vault.generate({ name: 'EC', spec: { kty: 'EC', crv: 'P-384' }, usages: ['client-auth'] });
    await vault.exportCertificate(rsa.id, 30);

    const needles: { what: string; bytes: Buffer }[] = [
      { what: 'PEM private key label', bytes: Buffer.from('PRIVATE KEY') },
      { what: 'JWK "d" member', bytes: Buffer.from('"d"') },
    ];
    for (const key of [rsa, ec]) {
      const pem = (await vault.exportPrivate(key.id, 'export passphrase', { vaultPassphrase: PASSPHRASE })).content;
      const privateKey = createPrivateKey({ key: pem, passphrase: 'export passphrase' });
      const der = privateKey.export({ type: 'pkcs8', format: 'der' });
      const d = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
      expect(d.length).toBeGreaterThan(0);
      for (const [label, secret] of [
        ['PKCS#8 DER', der],
        ['JWK d', d],
      ] as const) {
        for (const encoding of ['base64', 'base64url', 'hex'] as const) {
          const text = secret.toString(encoding);
          needles.push({ what: `${key.name} ${label} as ${encoding}`, bytes: Buffer.from(text) });
          // A window from the middle catches a partial or differently-wrapped copy.
          const mid = Math.floor(text.length / 2);
          needles.push({ what: `${key.name} ${label} as ${encoding} (slice)`, bytes: Buffer.from(text.slice(mid - 16, mid + 16)) });
        }
        const middle = Math.floor(secret.length / 2);
        needles.push({ what: `${key.name} ${label} raw`, bytes: secret.subarray(middle - 12, middle + 12) });
      }
    }

    // The detector itself must catch a planted plain copy, or passing proves nothing.
    const planted = Buffer.from(
      JSON.stringify({
        leaked: createPrivateKey({
          key: (await vault.exportPrivate(ec.id, 'export passphrase', { vaultPassphrase: PASSPHRASE })).content,
          passphrase: 'export passphrase',
        })
          .export({ type: 'pkcs8', format: 'der' })
          .toString('hex'),
      }),
    );
    expect(needles.some((n) => planted.includes(n.bytes))).toBe(true);

    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const needle of needles) {
        expect(file.bytes.includes(needle.bytes), `${file.path} contains ${needle.what}`).toBe(false);
      }
    }
  });
});
