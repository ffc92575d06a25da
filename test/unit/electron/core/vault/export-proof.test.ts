/**
 * Issue #13 items 3 and 4: a private key leaves the vault only with proof per export (the vault passphrase,
 * or the host's OS-level confirmation for a keychain vault), every export is audited, and the file is
 * PBES2 with PBKDF2-HMAC-SHA256 at 600,000 iterations, as OpenSSL itself reads it.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freezeClock, nowMs } from '../../../../../electron/core/clock';
import { createCore } from '../../../../../electron/core/host/core';
import type { ExportAuditEntry, ExportSubject } from '../../../../../electron/core/vault';
import { FAST_SCRYPT, PASSPHRASE, expectError, fakeProtector, openVault, tempDataDir, unlockedVault } from './helpers';

const EXPORT_PASSPHRASE = 'export passphrase';

afterEach(() => freezeClock(undefined));

async function passphraseVault() {
  const audit: ExportAuditEntry[] = [];
  const harness = openVault(undefined, { audit: (e) => audit.push(e) });
  await harness.vault.setup(PASSPHRASE);
  const key = await harness.vault.generate({ name: 'Exportable', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
  return { ...harness, key, audit };
}

describe('Key export › proof per private export (passphrase vault)', () => {
  it('asks for the vault passphrase on every export, refuses a wrong one, and exports with the right one', async () => {
    const { vault, key, audit } = await passphraseVault();
    await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE), 'PASSPHRASE_REQUIRED', /vault passphrase/);
    await expectError(
      () => vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: 'not the vault passphrase' }),
      'WRONG_PASSPHRASE',
      /not exported/,
    );

    const file = await vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE });
    const exported = createPrivateKey({ key: file.content, passphrase: EXPORT_PASSPHRASE });
    expect(createPublicKey(exported).equals(createPublicKey((await vault.exportPublic(key.id, 'pem')).content))).toBe(true);
    // The proof is not remembered: the next export asks again.
    await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE), 'PASSPHRASE_REQUIRED', /vault passphrase/);

    const subject = { id: key.id, name: 'Exportable', thumbprint: key.thumbprint };
    expect(audit).toEqual([
      { at: expect.any(String), event: 'key.exportPrivate', outcome: 'refused', reason: 'wrong-vault-passphrase', key: subject },
      { at: expect.any(String), event: 'key.exportPrivate', outcome: 'exported', key: subject },
    ]);
  });

  it('backs off after repeated wrong passphrases (export and unlock share the count), then lets the right one through', async () => {
    const start = Date.parse('2026-12-01T10:00:00Z');
    freezeClock(start);
    const { vault, key, audit } = await passphraseVault();
    for (let i = 0; i < 3; i++) {
      await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: `guess ${i}` }), 'WRONG_PASSPHRASE', /wrong/);
    }
    // Even the right passphrase waits now, and so does unlock: guessing through vault.unlock is no way around it.
    await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE }), 'TOO_MANY_ATTEMPTS', /wait 5 s/);
    await expectError(() => vault.unlock(PASSPHRASE), 'TOO_MANY_ATTEMPTS', /wait 5 s/);
    expect(audit.at(-1)).toMatchObject({ outcome: 'refused', reason: 'throttled' });

    freezeClock(start + 5_000);
    await expectError(() => vault.unlock('guess 4'), 'WRONG_PASSPHRASE', /wrong/);
    await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE }), 'TOO_MANY_ATTEMPTS', /wait 10 s/);

    freezeClock(nowMs() + 10_000);
    await expect(vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE })).resolves.toHaveProperty('content');
    // A right passphrase resets the count.
    await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: 'guess again' }), 'WRONG_PASSPHRASE', /wrong/);
    await expect(vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE })).resolves.toHaveProperty('content');
  });

  it('runs parallel attempts one after another, so a burst of guesses meets the backoff too', async () => {
    const { vault, key } = await passphraseVault();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: `burst ${i}` })),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'exported'));
    expect(codes).toEqual(['WRONG_PASSPHRASE', 'WRONG_PASSPHRASE', 'WRONG_PASSPHRASE', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
  });
});

describe('Key export › proof per private export (keychain vault)', () => {
  async function keychainVault(confirm?: (key: ExportSubject) => Promise<boolean>) {
    const audit: ExportAuditEntry[] = [];
    const { vault } = openVault(undefined, { protector: fakeProtector(), audit: (e) => audit.push(e), ...(confirm ? { confirmPrivateExport: confirm } : {}) });
    await vault.init();
    const key = await vault.generate({ name: 'Keychain key', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    return { vault, key, audit };
  }

  it('asks the host to confirm each export, naming the key, and exports nothing when it is declined', async () => {
    const asked: ExportSubject[] = [];
    let answer = false;
    const { vault, key, audit } = await keychainVault(async (subject) => {
      asked.push(subject);
      return answer;
    });
    await expectError(() => vault.exportPrivate(key.id, EXPORT_PASSPHRASE), 'CONFIRMATION_REQUIRED', /"Keychain key" was not confirmed/);
    answer = true;
    const file = await vault.exportPrivate(key.id, EXPORT_PASSPHRASE);
    expect(createPrivateKey({ key: file.content, passphrase: EXPORT_PASSPHRASE }).asymmetricKeyType).toBe('ec');
    expect(asked).toEqual([
      { id: key.id, name: 'Keychain key', thumbprint: key.thumbprint },
      { id: key.id, name: 'Keychain key', thumbprint: key.thumbprint },
    ]);
    expect(audit.map((e) => [e.outcome, e.reason])).toEqual([
      ['refused', 'not-confirmed'],
      ['exported', undefined],
    ]);
  });

  it('treats a failed prompt as a refusal, and refuses outright when the host has no way to ask', async () => {
    const failing = await keychainVault(async () => {
      throw new Error('Touch ID cancelled');
    });
    await expectError(() => failing.vault.exportPrivate(failing.key.id, EXPORT_PASSPHRASE), 'CONFIRMATION_REQUIRED', /not confirmed/);
    const unable = await keychainVault();
    await expectError(() => unable.vault.exportPrivate(unable.key.id, EXPORT_PASSPHRASE), 'PROTECTOR_UNAVAILABLE', /cannot ask the operating system/);
    expect(unable.audit).toMatchObject([{ outcome: 'refused', reason: 'no-confirmation-available' }]);
  });
});

describe('Key export › through the contract, with security.log', () => {
  it('needs vaultPassphrase in keys.exportPrivate and appends one line per export to security.log, without secrets', async () => {
    const dataDir = tempDataDir();
    const logged: string[] = [];
    const core = await createCore({ dataDir, mode: 'web', version: 'test', scrypt: FAST_SCRYPT, log: (m) => logged.push(m) });
    try {
      await core.dispatch('vault.setup', { passphrase: PASSPHRASE });
      const generated = await core.dispatch('keys.generate', { name: 'Audited', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
      if (!generated.ok) throw new Error('generate failed');
      const id = (generated.value as { id: string }).id;

      const without = await core.dispatch('keys.exportPrivate', { id, confirm: true, passphrase: EXPORT_PASSPHRASE });
      expect(without).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_REQUIRED' } });
      const wrong = await core.dispatch('keys.exportPrivate', { id, confirm: true, passphrase: EXPORT_PASSPHRASE, vaultPassphrase: 'wrong vault passphrase' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
      const right = await core.dispatch('keys.exportPrivate', { id, confirm: true, passphrase: EXPORT_PASSPHRASE, vaultPassphrase: PASSPHRASE });
      expect(right).toMatchObject({ ok: true, value: { content: expect.stringContaining('ENCRYPTED PRIVATE KEY') } });

      const file = join(dataDir, 'security.log');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
        {
          at: expect.any(String),
          event: 'key.exportPrivate',
          outcome: 'refused',
          reason: 'wrong-vault-passphrase',
          key: { id, name: 'Audited', thumbprint: expect.any(String) },
          host: 'web',
        },
        { at: expect.any(String), event: 'key.exportPrivate', outcome: 'exported', key: { id, name: 'Audited', thumbprint: expect.any(String) }, host: 'web' },
      ]);
      expect(logged.filter((m) => m.includes('audit'))).toHaveLength(2);
      for (const text of [...lines, ...logged]) {
        for (const secret of [PASSPHRASE, EXPORT_PASSPHRASE, 'wrong vault passphrase', 'PRIVATE KEY']) expect(text).not.toContain(secret);
      }
    } finally {
      await core.close();
    }
  });
});

describe('Key export › encryption of the file (issue #13 item 4)', () => {
  it('writes PBES2 with PBKDF2-HMAC-SHA256 at 600,000 iterations and AES-256-CBC, which openssl reads back', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'OpenSSL reads this', spec: { kty: 'RSA', modulusLength: 2048 }, usages: [] });
    const file = await vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE });
    const path = join(tempDataDir(), file.filename);
    writeFileSync(path, file.content, { mode: 0o600 });

    const parsed = execFileSync('openssl', ['asn1parse', '-in', path], { encoding: 'utf8' });
    const objects = [...parsed.matchAll(/OBJECT\s+:(\S+)/g)].map((m) => m[1]);
    expect(objects).toEqual(['PBES2', 'PBKDF2', 'hmacWithSHA256', 'aes-256-cbc']);
    // The iteration count is the INTEGER right after the 16-byte salt: 0x0927C0 = 600,000.
    const iterations = /OCTET STRING\s+\[HEX DUMP\]:[0-9A-F]{32}\n.*INTEGER\s+:([0-9A-F]+)/.exec(parsed)?.[1];
    expect(Number.parseInt(iterations ?? '0', 16)).toBe(600_000);

    const publicFromOpenssl = execFileSync('openssl', ['pkey', '-in', path, '-passin', `pass:${EXPORT_PASSPHRASE}`, '-pubout'], { encoding: 'utf8' });
    expect(createPublicKey(publicFromOpenssl).equals(createPublicKey((await vault.exportPublic(key.id, 'pem')).content))).toBe(true);
    expect(() => execFileSync('openssl', ['pkey', '-in', path, '-passin', 'pass:not the export passphrase', '-noout'], { stdio: 'pipe' })).toThrow();
  });

  it('imports its own export again (another vault, the export passphrase)', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Round trip', spec: { kty: 'EC', crv: 'P-384' }, usages: [] });
    const file = await vault.exportPrivate(key.id, EXPORT_PASSPHRASE, { vaultPassphrase: PASSPHRASE });
    const other = (await unlockedVault()).vault;
    const imported = await other.importKey({ text: file.content, passphrase: EXPORT_PASSPHRASE });
    expect(imported.key).toMatchObject({ thumbprint: key.thumbprint, hasPrivateKey: true });
  });
});
