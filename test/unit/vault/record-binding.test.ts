/**
 * Issue #13 item 8: a record's seal binds its metadata (name, public key, thumbprint, usages, certificate),
 * so an edited vault.json is named when the key is used; legitimate changes re-seal; vaults written with the
 * key id alone as associated data still open and are re-sealed on unlock.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../../electron/core/vault/at-rest';
import { unwrapWithPassphrase } from '../../../electron/core/vault/data-key';
import { recordAad } from '../../../electron/core/vault/sealed-key';
import type { KeyRecord, PassphraseProtection, Sealed } from '../../../electron/core/vault/vault-document';
import { PASSPHRASE, expectError, openVault, unlockedVault, vaultFile } from './helpers';

interface StoredRecord {
  id: string;
  name: string;
  usages: string[];
  publicJwk: Record<string, string>;
  privateKey: Sealed | null;
  integrity?: Sealed;
}
interface StoredVault {
  protection: PassphraseProtection;
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

async function vaultWithKeys() {
  const { vault, dir } = await unlockedVault();
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

describe('Vault records › migration from the key-id-only associated data', () => {
  it('opens a vault sealed with the key id alone and re-seals its records with their metadata on unlock', async () => {
    const { dir, signer, peer } = await vaultWithKeys();
    // Rewrite the file as the previous version wrote it: private keys sealed with the id as AAD, no integrity tags.
    const doc = readVault(dir);
    const dataKey = await unwrapWithPassphrase(doc.protection, PASSPHRASE);
    for (const r of doc.keys) {
      delete r.integrity;
      if (r.privateKey === null) continue;
      const der = open(dataKey, r.privateKey, recordAad(r as unknown as KeyRecord));
      if (der === null) throw new Error(`record ${r.id} did not open with its current associated data`);
      r.privateKey = seal(dataKey, der, r.id);
    }
    writeFileSync(vaultFile(dir), JSON.stringify(doc));

    const { vault } = openVault(dir);
    await vault.unlock(PASSPHRASE);
    await expect(vault.sign(signer.id, { alg: 'ES256' }, 'x')).resolves.toHaveProperty('jws');
    expect(vault.get(peer.id)).toMatchObject({ name: 'Peer' });

    const migrated = readVault(dir);
    const sealed = record(migrated, signer.id).privateKey;
    if (sealed === null) throw new Error('lost the private key');
    expect(open(dataKey, sealed, signer.id)).toBeNull(); // no longer sealed with the id alone
    expect(record(migrated, peer.id).integrity).toBeDefined();

    // From now on, a change to the metadata is caught.
    vault.lock();
    tamper(dir, (d) => (record(d, signer.id).name = 'Planted name'));
    const again = openVault(dir).vault;
    await again.unlock(PASSPHRASE);
    await expectError(() => again.sign(signer.id, { alg: 'ES256' }, 'x'), 'DECRYPT_FAILED', /"Planted name"/);
  });
});
