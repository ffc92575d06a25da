import { describe, expect, it } from 'vitest';
import { PASSPHRASE, expectError, openVault, unlockedVault } from './helpers';

describe('Key management › rename, usages, delete', () => {
  it('renames a key and keeps the new name across sessions', async () => {
    const { vault, dir, events } = await unlockedVault();
    const key = await vault.generate({ name: 'Old', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    expect(vault.rename(key.id, '  New name  ')).toMatchObject({ id: key.id, name: 'New name' });
    expect(events.at(-1)).toEqual({ name: 'keys.changed', payload: { reason: 'updated', id: key.id } });
    await expectError(() => vault.rename(key.id, '   '), 'INVALID_INPUT', /name is required/);

    const reopened = openVault(dir).vault;
    await reopened.unlock(PASSPHRASE);
    expect(reopened.get(key.id).name).toBe('New name');
  });

  it('warns when one key is used for both JAR and client authentication', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Both', spec: { kty: 'EC', crv: 'P-256' }, usages: ['jar'] });
    expect(key.warnings).toEqual([]);
    const updated = vault.setUsages(key.id, ['client-auth', 'jar', 'jar']);
    expect(updated.usages).toEqual(['jar', 'client-auth']);
    expect(updated.warnings).toEqual(['reused-for-jar-and-client-auth']);
    expect(vault.setUsages(key.id, ['other']).warnings).toEqual([]);
  });

  it('deletes a key: it is gone from the list, and its id is KEY_NOT_FOUND', async () => {
    const { vault, events } = await unlockedVault();
    const keep = await vault.generate({ name: 'Keep', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const gone = await vault.generate({ name: 'Gone', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    expect(vault.delete(gone.id)).toEqual({ deleted: gone.id });
    expect(events.at(-1)).toEqual({ name: 'keys.changed', payload: { reason: 'deleted', id: gone.id } });
    expect(vault.list().map((k) => k.id)).toEqual([keep.id]);
    await expectError(() => vault.sign(gone.id, { alg: 'ES256' }, 'x'), 'KEY_NOT_FOUND', /No key with id/);
    await expectError(() => vault.delete(gone.id), 'KEY_NOT_FOUND', /No key with id/);
  });

  it('never returns private members in summaries or details', async () => {
    const { vault } = await unlockedVault();
    const rsa = await vault.generate({ name: 'RSA', spec: { kty: 'RSA', modulusLength: 2048 }, usages: [] });
    const text = JSON.stringify([vault.list(), vault.get(rsa.id)]);
    for (const member of ['"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', 'PRIVATE KEY']) expect(text).not.toContain(member);
  });
});
