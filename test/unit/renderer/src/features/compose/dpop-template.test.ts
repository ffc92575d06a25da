/**
 * Compose's DPoP proof template (renderer/src/features/compose/dpop-template.ts): a real key's public JWK
 * in the header (no private or extra members), htm/htu/iat/jti, ath and nonce when given; signed with the
 * key it passes the server's DPoP rules for its request (lintDpopProof).
 */
import { describe, expect, it } from 'vitest';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { lintDpopProof } from '../../../../../../shared/jwt/lint';
import { accessTokenHash } from '../../../../../../shared/jwt/dpop-keys';
import type { PublicJwk, SigningAlg } from '../../../../../../shared/schemas/keys';
import { buildDpopTemplate, htuOf, proofAlgFor } from '../../../../../../renderer/src/features/compose/dpop-template';

const NOW = 1_767_225_600;
const URL_WITH_QUERY = 'https://tenant.example.com/oauth/token?audience=x#frag';

describe('DPoP proof template', () => {
  it('prefers ES256, then PS256/RS256; none for a key without a proof alg', () => {
    expect(proofAlgFor({ algs: ['ES256'] })).toBe('ES256');
    expect(proofAlgFor({ algs: ['RS256', 'PS256', 'RS384'] })).toBe('PS256');
    expect(proofAlgFor({ algs: ['EdDSA', 'Ed25519'] })).toBe('EdDSA');
    expect(proofAlgFor({ algs: ['RS384'] as SigningAlg[] })).toBeUndefined();
  });

  it('htu is the URL without query or fragment', () => {
    expect(htuOf(URL_WITH_QUERY)).toBe('https://tenant.example.com/oauth/token');
    expect(htuOf('not a url')).toBe('not a url');
  });

  it('fills the header with the public jwk only and the claims for the request; signed, it passes the server rules', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'vault-kid', use: 'sig' } as PublicJwk;
    const draft = await buildDpopTemplate({
      key: { algs: ['ES256'], publicJwk },
      method: 'GET',
      url: 'https://tenant.example.com/userinfo',
      now: NOW + 0.7,
      accessToken: ' at-1 ',
      nonce: 'n-1',
    });
    expect(draft.header).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y } });
    expect(await calculateJwkThumbprint(draft.header.jwk as never, 'sha256')).toBe(await calculateJwkThumbprint(publicJwk as never, 'sha256'));
    expect(draft.payload).toMatchObject({ htm: 'GET', htu: 'https://tenant.example.com/userinfo', iat: NOW, ath: await accessTokenHash('at-1'), nonce: 'n-1' });
    expect(draft.payload.jti).toMatch(/^[\w-]{22}$/);
    const proof = await new CompactSign(new TextEncoder().encode(JSON.stringify(draft.payload))).setProtectedHeader(draft.header).sign(privateKey);
    const outcomes = await lintDpopProof(proof, { method: 'GET', url: 'https://tenant.example.com/userinfo', now: NOW, accessToken: 'at-1', nonce: 'n-1' });
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
  });

  it('leaves out ath and nonce when not given, and a fresh jti each time', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const publicJwk = (await exportJWK(publicKey)) as PublicJwk;
    const a = await buildDpopTemplate({ key: { algs: ['RS256'], publicJwk }, method: 'POST', url: URL_WITH_QUERY, now: NOW, accessToken: '  ' });
    const b = await buildDpopTemplate({ key: { algs: ['RS256'], publicJwk }, method: 'POST', url: URL_WITH_QUERY, now: NOW });
    expect(a.header).toEqual({ typ: 'dpop+jwt', alg: 'RS256', jwk: { kty: 'RSA', n: publicJwk.n, e: publicJwk.e } });
    expect(Object.keys(a.payload).sort()).toEqual(['htm', 'htu', 'iat', 'jti']);
    expect(a.payload.htu).toBe('https://tenant.example.com/oauth/token');
    expect(a.payload.jti).not.toBe(b.payload.jti);
  });
});
