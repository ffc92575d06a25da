import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { SigningAlg } from '../../../../../shared/schemas/keys';
import { expectError, unlockedVault } from './helpers';

describe('RFC 7515 JWS › signing with vault keys', () => {
  it('signs with every algorithm of every key type, and each signature verifies', async () => {
    const { vault } = await unlockedVault();
    const keys = [
      await vault.generate({ name: 'RSA', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] }),
      await vault.generate({ name: 'P-256', spec: { kty: 'EC', crv: 'P-256' }, usages: ['jar'] }),
      await vault.generate({ name: 'P-384', spec: { kty: 'EC', crv: 'P-384' }, usages: ['jar'] }),
    ];
    const signed: SigningAlg[] = [];
    for (const key of keys) {
      const jwk = JSON.parse((await vault.exportPublic(key.id, 'jwk')).content) as Record<string, string>;
      for (const alg of key.algs) {
        const { jws } = await vault.sign(key.id, { alg, typ: 'oauth-authz-req+jwt', kid: key.thumbprint }, { client_id: 'c', alg });
        const { payload, protectedHeader } = await compactVerify(jws, await importJWK(jwk, alg));
        expect(protectedHeader).toEqual({ alg, typ: 'oauth-authz-req+jwt', kid: key.thumbprint });
        expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ client_id: 'c', alg });
        signed.push(alg);
      }
    }
    expect(signed).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384']);
  });

  it('signs a string payload byte for byte', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'K', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const { jws } = await vault.sign(key.id, { alg: 'ES256' }, '{"exact":  "spacing"}');
    expect(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString()).toBe('{"exact":  "spacing"}');
  });

  it('refuses an alg the key does not support (UNSUPPORTED_ALG), and never none or HMAC', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'EC key', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    await expectError(() => vault.sign(key.id, { alg: 'RS256' }, 'x'), 'UNSUPPORTED_ALG', /"EC key" cannot sign with alg RS256; it supports ES256/);
    await expectError(() => vault.sign(key.id, { alg: 'ES384' }, 'x'), 'UNSUPPORTED_ALG', /cannot sign with alg ES384/);
    await expectError(() => vault.sign(key.id, { alg: 'none' as SigningAlg }, 'x'), 'UNSUPPORTED_ALG', /cannot sign with alg none/);
    await expectError(() => vault.sign(key.id, { alg: 'HS256' as SigningAlg }, 'x'), 'UNSUPPORTED_ALG', /cannot sign with alg HS256/);
  });

  it('reports a header jose rejects as INVALID_INPUT', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'K', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    await expectError(
      () => vault.sign(key.id, { alg: 'ES256', crit: ['unknown-extension'], 'unknown-extension': 1 }, 'x'),
      'INVALID_INPUT',
      /could not be signed/,
    );
  });
});
