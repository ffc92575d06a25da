/**
 * The DPoP proof lint (shared/jwt/lint.ts lintDpopProof): the server's rule modules applied to a pasted
 * proof and the request it is for, every outcome listed, failures first; real keys and signatures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lintDpopProof } from '../../../../shared/jwt/lint';
import { accessTokenHash, jwkThumbprint } from '../../../../shared/jwt/dpop-keys';
import type { ProofKey } from './dpop-helpers';
import { NOW, proofKey, signProof, TOKEN_URL, USERINFO_URL } from './dpop-helpers';

let key: ProofKey;
beforeAll(async () => {
  key = await proofKey('ES256');
});

const request = { method: 'POST', url: TOKEN_URL, now: NOW };

describe('lintDpopProof', () => {
  it('passes a good proof, listing every rule it applied', async () => {
    const outcomes = await lintDpopProof(`${await signProof(key)}\n`, request);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.map((o) => o.id)).toEqual(expect.arrayContaining(['DPP-3', 'DPP-4', 'DPP-6', 'DPP-8', 'DPP-9', 'DPP-10']));
  });

  it('lists every failure at once, first (DPP-8 and DPP-9 and DPP-10 together)', async () => {
    const proof = await signProof(key, { payload: { htm: 'post', htu: 'http://tenant.example.com/oauth/token', iat: NOW - 3600 } });
    const failed = (await lintDpopProof(proof, request)).filter((o) => !o.passed).map((o) => o.id);
    expect(failed).toEqual(['DPP-8', 'DPP-9', 'DPP-10']);
  });

  it('with the server nonce, a proof without it fails DPN-1, and one with another fails DPN-4', async () => {
    expect((await lintDpopProof(await signProof(key), { ...request, nonce: 'n-1' })).find((o) => !o.passed)?.id).toBe('DPN-1');
    expect((await lintDpopProof(await signProof(key, { payload: { nonce: 'n-0' } }), { ...request, nonce: 'n-1' })).find((o) => !o.passed)?.id).toBe('DPN-4');
    expect((await lintDpopProof(await signProof(key, { payload: { nonce: 'n-1' } }), { ...request, nonce: 'n-1' })).filter((o) => !o.passed)).toEqual([]);
  });

  it('with an access token it lints for /userinfo: ath required and checked against the token', async () => {
    const token = 'access-token-1';
    const ok = await signProof(key, { payload: { htm: 'GET', htu: USERINFO_URL, ath: await accessTokenHash(token) } });
    expect((await lintDpopProof(ok, { method: 'GET', url: USERINFO_URL, now: NOW, accessToken: token })).filter((o) => !o.passed)).toEqual([]);
    const other = await signProof(key, { payload: { htm: 'GET', htu: USERINFO_URL, ath: await accessTokenHash('another') } });
    expect((await lintDpopProof(other, { method: 'GET', url: USERINFO_URL, now: NOW, accessToken: token })).find((o) => !o.passed)?.id).toBe('DPP-13');
  });

  it('with an expected jkt, a proof of another key fails the binding rule of the endpoint', async () => {
    const another = await proofKey('ES256');
    const jkt = await jwkThumbprint(key.jwk);
    expect((await lintDpopProof(await signProof(another), { ...request, expectedJkt: jkt })).find((o) => !o.passed)?.id).toBe('DPB-7');
    const par = await signProof(another, { payload: { htu: 'https://tenant.example.com/oauth/par' } });
    expect(
      (await lintDpopProof(par, { method: 'POST', url: 'https://tenant.example.com/oauth/par', now: NOW, expectedJkt: jkt })).find((o) => !o.passed)?.id,
    ).toBe('DPB-6');
  });

  it('never throws: garbage gives a DPP-2 failure', async () => {
    const outcomes = await lintDpopProof('not a jwt', request);
    expect(outcomes[0]).toMatchObject({ id: 'DPP-2', passed: false });
  });
});
