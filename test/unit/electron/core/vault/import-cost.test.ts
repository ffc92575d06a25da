/**
 * Issue #13 item 8: an encrypted PKCS#8 file names its own key-derivation cost. Parley reads the parameters
 * first and refuses an extreme cost with a clear error instead of spending it; ordinary files (OpenSSL's
 * defaults, scrypt, other PRFs and ciphers, legacy PBES1) still import. The costly files are made by
 * OpenSSL at a low cost, then their parameters are raised with the same ASN.1 library Parley reads them with.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { describe, expect, it } from 'vitest';
import { Pbes2Params, PbeParams, Pbkdf2Params, ScryptParams } from '../../../../../electron/core/vault/encrypted-pkcs8';
import { expectError, unlockedVault } from './helpers';

const FILE_PASSPHRASE = 'file passphrase';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CLEAR_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** `openssl pkcs8 -topk8 <args>` over the test key. */
function opensslEncrypt(args: string[]): string {
  return execFileSync('openssl', ['pkcs8', '-topk8', ...args, '-passout', `pass:${FILE_PASSPHRASE}`], { input: CLEAR_PEM, encoding: 'utf8' });
}

function der(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function pem(bytes: ArrayBuffer): string {
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${Buffer.from(bytes)
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
}

/** Rewrites the key-derivation parameters of a PBES2 file. */
function withKdf<T extends object>(file: string, target: new () => T, edit: (params: T) => void): string {
  const info = AsnConvert.parse(der(file), EncryptedPrivateKeyInfo);
  const pbes2 = AsnConvert.parse(info.encryptionAlgorithm.parameters!, Pbes2Params);
  const kdf = AsnConvert.parse(pbes2.keyDerivationFunc.parameters!, target);
  edit(kdf);
  pbes2.keyDerivationFunc.parameters = AsnConvert.serialize(kdf);
  info.encryptionAlgorithm.parameters = AsnConvert.serialize(pbes2);
  return pem(AsnConvert.serialize(info));
}

describe('Key import › cost of encrypted PKCS#8', () => {
  it('refuses a PBKDF2 iteration count of 50,000,000 with an error naming it, before deriving anything', async () => {
    const { vault } = await unlockedVault();
    const costly = withKdf(opensslEncrypt(['-v2', 'aes-256-cbc', '-iter', '1000']), Pbkdf2Params, (p) => (p.iterationCount = 50_000_000n));
    await expectError(
      () => vault.importKey({ text: costly, passphrase: FILE_PASSPHRASE }),
      'UNSUPPORTED_KEY',
      /50000000 PBKDF2 iterations \(at most 10,000,000/,
    );
    expect(vault.list()).toEqual([]);
  });

  it('refuses scrypt parameters that would need a gigabyte of memory', async () => {
    const { vault } = await unlockedVault();
    const costly = withKdf(opensslEncrypt(['-scrypt']), ScryptParams, (p) => (p.costParameter = 2n ** 20n));
    await expectError(() => vault.importKey({ text: costly, passphrase: FILE_PASSPHRASE }), 'UNSUPPORTED_KEY', /scrypt with N=1048576, r=8, p=1 \(1024 MB/);
  });

  it('refuses a legacy PBES1 file with an extreme iteration count', async () => {
    const { vault } = await unlockedVault();
    const file = opensslEncrypt(['-v1', 'PBE-SHA1-3DES', '-iter', '1000']);
    const info = AsnConvert.parse(der(file), EncryptedPrivateKeyInfo);
    const params = AsnConvert.parse(info.encryptionAlgorithm.parameters!, PbeParams);
    params.iterations = 50_000_000n;
    info.encryptionAlgorithm.parameters = AsnConvert.serialize(params);
    await expectError(() => vault.importKey({ text: pem(AsnConvert.serialize(info)), passphrase: FILE_PASSPHRASE }), 'UNSUPPORTED_KEY', /50000000 iterations/);
  });

  it.each([
    ['PBKDF2-SHA256 + AES-256-CBC (OpenSSL default)', [] as string[]],
    ['PBKDF2-SHA512 + 3DES', ['-v2', 'des3', '-v2prf', 'hmacWithSHA512']],
    ['PBKDF2-SHA1 + AES-128-CBC', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1', '-iter', '100000']],
    ['scrypt + AES-256-CBC', ['-scrypt']],
    ['PBES1 SHA1 + 3DES', ['-v1', 'PBE-SHA1-3DES']],
  ])('still imports %s, and names a wrong passphrase', async (_label, args) => {
    const { vault } = await unlockedVault();
    const file = opensslEncrypt(args);
    await expectError(() => vault.importKey({ text: file, passphrase: 'not the file passphrase' }), 'WRONG_PASSPHRASE', /does not decrypt/);
    const { key } = await vault.importKey({ text: file, passphrase: FILE_PASSPHRASE });
    expect(key.hasPrivateKey).toBe(true);
  });
});
