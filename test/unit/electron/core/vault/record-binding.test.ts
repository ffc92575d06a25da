/**
 * Issue #13 item 8: a record's seal binds its metadata (name, public key, thumbprint, usages, certificate),
 * so an edited vault.json is named when the key is used; legitimate changes re-seal; vaults written with the
 * key id alone as associated data (format 1) still open and are upgraded once on unlock. Whether a vault is
 * format 1 is authenticated by its wrapped data key, so an upgraded vault cannot be edited back into one.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../../../../electron/core/vault/at-rest';
import type { SafeStorageProtector } from '../../../../../electron/core/vault/data-key';
import { protectWithPassphrase, protectWithSafeStorage, unwrapWithPassphrase, unwrapWithSafeStorage } from '../../../../../electron/core/vault/data-key';
import { recordAad } from '../../../../../electron/core/vault/sealed-key';
import type { KeyRecord, Protection, Sealed } from '../../../../../electron/core/vault/vault-document';
import { FAST_SCRYPT, PASSPHRASE, expectError, fakeProtector, openVault, unlockedVault, vaultFile } from './helpers';

interface StoredRecord {
  id: string;
  name: string;
  usages: string[];
  publicJwk: Record<string, string>;
  privateKey: Sealed | null;
  integrity?: Sealed;
}
interface StoredVault {
  protection: Protection;
  keys: StoredRecord[];
}

function readVault(dir: string): StoredVault {
  return JSON.parse(readFileSync(vaultFile(dir), 'utf8')) as StoredVault;
}

/** Edits vault.json the way a local attacker would: no data key, just the file. */
function tamper(dir: string, edit: (doc: StoredVault) => void): void {
  const doc = readVault(dir);
  edit(doc);
  writeFileSync(vaultFile(dir), JSON.stringify(doc));
}

function record(doc: StoredVault, id: string): StoredRecord {
  const found = doc.keys.find((k) => k.id === id);
  if (!found) throw new Error(`no record ${id}`);
  return found;
}

async function vaultWithKeys(protector?: SafeStorageProtector) {
  const { vault, dir } = protector ? openVault(undefined, { protector }) : await unlockedVault();
  if (protector) await vault.setup();
  const signer = await vault.generate({ name: 'Signer', spec: { kty: 'EC', crv: 'P-256' }, usages: ['jar'] });
  const other = await vault.generate({ name: 'Other', spec: { kty: 'EC', crv: 'P-256' }, usages: ['client-auth'] });
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { key: peer } = await vault.importKey({ name: 'Peer', text: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  vault.lock();
  return { dir, signer, other, peer };
}

describe('Vault records › metadata bound to the seal', () => {
  it('names a record whose usages were changed in vault.json', async () => {
    const { dir, signer, other } = await vaultWithKeys();
    tamper(dir, (doc) => (record(doc, signer.id).usages = ['client-auth']));
    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    await expectError(() => vault.sign(signer.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"Signer" \(id .*\) does not match what the vault sealed/);
    await expectError(() => vault.get(signer.id), 'DECRYPT_FAILED', /"Signer"/);
    // The other keys are untouched.
    await expect(vault.sign(other.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
  });

  it("names a record whose public key was swapped for another key's, so the wrong key is never published", async () => {
    const { dir, signer, other } = await vaultWithKeys();
    tamper(dir, (doc) => {
      const victim = record(doc, signer.id);
      const donor = record(doc, other.id);
      victim.publicJwk = donor.publicJwk;
    });
    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    await expectError(() => vault.exportPublic(signer.id, 'jwks'), 'DECRYPT_FAILED', /"Signer"/);
  });

  it('names a public-only record whose public key was swapped (its integrity tag no longer verifies)', async () => {
    const { dir, peer, other } = await vaultWithKeys();
    expect(record(readVault(dir), peer.id).integrity).toBeDefined();
    tamper(dir, (doc) => (record(doc, peer.id).publicJwk = record(doc, other.id).publicJwk));
    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    await expectError(() => vault.exportPublic(peer.id, 'pem'), 'DECRYPT_FAILED', /"Peer"/);
  });

  it('re-seals on a legitimate rename, usage change and certificate, and the key still opens after a restart', async () => {
    const { dir, signer, peer } = await vaultWithKeys();
    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    vault.rename(signer.id, 'Renamed signer');
    vault.setUsages(signer.id, ['jar', 'other']);
    await vault.exportCertificate(signer.id, 30);
    vault.rename(peer.id, 'Renamed peer');
    vault.lock();

    const reopened = openVault(dir).vault;
    await reopened.unlock(PASSPHRASE);
    await expect(reopened.sign(signer.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
    expect(reopened.get(signer.id)).toMatchObject({ name: 'Renamed signer', usages: ['jar', 'other'] });
    expect(reopened.get(peer.id)).toMatchObject({ name: 'Renamed peer' });
  });
});

/** The data key and the record format vault.json's wrap vouches for. */
async function unwrap(dir: string, protector?: SafeStorageProtector) {
  const { protection } = readVault(dir);
  return protection.kind === 'passphrase' ? unwrapWithPassphrase(protection, PASSPHRASE) : unwrapWithSafeStorage(protection, protector);
}

/**
 * Rewrites vault.json as the versions before issue #13 wrote it (format 1): the data key wrapped without the
 * format, private keys sealed with the key id alone as associated data, no integrity tags. Returns the data key.
 */
async function rewriteAsFormat1(dir: string, protector?: SafeStorageProtector): Promise<Buffer> {
  const doc = readVault(dir);
  const { dataKey, format } = await unwrap(dir, protector);
  expect(format).toBe(2);
  doc.protection = protector ? await protectWithSafeStorage(dataKey, protector, 1) : await protectWithPassphrase(dataKey, PASSPHRASE, FAST_SCRYPT, 1);
  for (const r of doc.keys) {
    delete r.integrity;
    if (r.privateKey === null) continue;
    const der = open(dataKey, r.privateKey, recordAad(r as unknown as KeyRecord));
    if (der === null) throw new Error(`record ${r.id} did not open with its current associated data`);
    r.privateKey = seal(dataKey, der, r.id);
  }
  writeFileSync(vaultFile(dir), JSON.stringify(doc));
  return dataKey;
}

/** A public JWK of a key the vault never saw (what an attacker would plant). */
function plantedJwk(): Record<string, string> {
  const { kty, crv, x, y } = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return { kty: kty ?? '', crv: crv ?? '', x: x ?? '', y: y ?? '' };
}

describe('Vault records › upgrade from format 1 (key id alone as associated data)', () => {
  it('opens a format-1 vault once, re-seals its records with their metadata under a new data key, and keeps its secrets', async () => {
    const { dir, signer, peer } = await vaultWithKeys();
    const setUp = openVault(dir).vault;
    await setUp.unlock(PASSPHRASE);
    setUp.putSecret('target:1', 'client secret');
    setUp.lock();
    const oldKey = await rewriteAsFormat1(dir);

    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    await expect(vault.sign(signer.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
    expect(vault.get(peer.id)).toMatchObject({ name: 'Peer' });
    expect(vault.getSecret('target:1')).toBe('client secret');

    const upgraded = readVault(dir);
    const { dataKey, format } = await unwrap(dir);
    expect(format).toBe(2);
    expect(dataKey.equals(oldKey)).toBe(false);
    const sealed = record(upgraded, signer.id).privateKey;
    if (sealed === null) throw new Error('lost the private key');
    expect(open(oldKey, sealed, signer.id)).toBeNull(); // no longer under the old key, nor with the id alone
    expect(open(dataKey, sealed, recordAad(record(upgraded, signer.id) as unknown as KeyRecord))).not.toBeNull();
    expect(record(upgraded, peer.id).integrity).toBeDefined();

    // A second unlock writes nothing.
    vault.lock();
    const before = readFileSync(vaultFile(dir), 'utf8');
    await openVault(dir).vault.unlock(PASSPHRASE);
    expect(readFileSync(vaultFile(dir), 'utf8')).toBe(before);

    // From now on, a change to the metadata is caught.
    tamper(dir, (d) => (record(d, signer.id).name = 'Planted name'));
    const again = openVault(dir).vault;
    await again.unlock(PASSPHRASE);
    await expectError(() => again.sign(signer.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"Planted name"/);
  });

  it('upgrades a format-1 vault whose passphrase was changed before its first unlock', async () => {
    const { dir, signer, peer } = await vaultWithKeys();
    await rewriteAsFormat1(dir);
    await openVault(dir).vault.changePassphrase(PASSPHRASE, 'a new passphrase');
    const { vault } = openVault(dir);
    await vault.unlock('a new passphrase');
    await expect(vault.sign(signer.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
    expect(vault.get(peer.id)).toMatchObject({ name: 'Peer' });
  });

  it('refuses, by name, a public-only record stripped of its integrity tag and given another public key after the upgrade; the other keys work and the record stays in the file', async () => {
    const { dir, signer, other, peer } = await vaultWithKeys();
    await rewriteAsFormat1(dir);
    await openVault(dir).vault.unlock(PASSPHRASE); // the one-time upgrade
    const planted = plantedJwk();
    tamper(dir, (doc) => {
      const victim = record(doc, peer.id);
      delete victim.integrity;
      victim.publicJwk = planted;
    });

    for (let i = 0; i < 2; i++) {
      // Neither the first unlock after the edit nor a later one takes the record in.
      const { vault } = openVault(dir);
      await vault.unlock(PASSPHRASE);
      await expectError(() => vault.exportPublic(peer.id, 'jwk'), 'DECRYPT_FAILED', /"Peer" \(id .*\) has no integrity tag/);
      await expectError(() => vault.get(peer.id), 'DECRYPT_FAILED', /"Peer"/);
      await expect(vault.sign(signer.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
      await expect(vault.sign(other.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
      vault.lock();
      const kept = record(readVault(dir), peer.id);
      expect(kept.publicJwk).toEqual(planted);
      expect(kept.integrity).toBeUndefined();
    }
  });

  it('refuses a stripped public-only record in an upgraded keychain (safeStorage) vault too, after upgrading it once', async () => {
    const protector = fakeProtector();
    const { dir, signer, peer } = await vaultWithKeys(protector);
    await rewriteAsFormat1(dir, protector);
    const wrapsBefore = protector.wraps;
    await openVault(dir, { protector }).vault.unlock('');
    expect(protector.wraps).toBe(wrapsBefore + 1); // upgraded: the new data key wrapped once
    expect((await unwrap(dir, protector)).format).toBe(2);
    await openVault(dir, { protector }).vault.unlock('');
    expect(protector.wraps).toBe(wrapsBefore + 1); // and only once

    tamper(dir, (doc) => {
      const victim = record(doc, peer.id);
      delete victim.integrity;
      victim.publicJwk = plantedJwk();
    });
    const { vault } = openVault(dir, { protector });
    await vault.unlock('');
    await expectError(() => vault.exportPublic(peer.id, 'pem'), 'DECRYPT_FAILED', /"Peer" \(id .*\) has no integrity tag/);
    await expect(vault.sign(signer.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
  });

  it('names the upgraded records when the format-1 wrap is put back from a copy of the old file, rather than reopening them unbound', async () => {
    const { dir, signer, other } = await vaultWithKeys();
    await rewriteAsFormat1(dir);
    const oldProtection = readVault(dir).protection;
    await openVault(dir).vault.unlock(PASSPHRASE); // the one-time upgrade
    tamper(dir, (doc) => (doc.protection = oldProtection));

    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    await expectError(() => vault.sign(signer.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"Signer" \(id .*\) does not match what the vault sealed/);
    await expectError(() => vault.sign(other.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"Other"/);
    expect(readVault(dir).keys.map((k) => k.id)).toContain(signer.id); // nothing removed
  });
});
