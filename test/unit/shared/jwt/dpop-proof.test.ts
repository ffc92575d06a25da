/**
 * The DPoP proof rules (../shared/spec/dpop-rules.md §3 DPP, §5 DPN, the proof-side DPB checks) with real
 * keys and real signatures, grouped by rule id, and the X-D rows the pure layer decides. Each test asserts
 * the first failing rule (the server's answer), its wire error in the spec's words, and for /userinfo the
 * 401 challenge.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { calculateJwkThumbprint } from 'jose';
import type { DpopProofContext } from '../../../../shared/jwt/rules/dpop-proof';
import {
  bindingWithoutProof,
  DPOP_BINDING_PHASE_RULES,
  DPOP_JKT_FORMAT_RULE,
  DPOP_POLICIES,
  DPOP_PROOF_PHASE_RULES,
  DPOP_PROOF_RULES,
  dpopChallenge,
  dpopPolicyFor,
  dpopWireResponse,
  evaluateDpopProof,
  lintDpopContext,
} from '../../../../shared/jwt/rules/dpop-proof';
import { accessTokenHash, isJktFormat, jwkThumbprint } from '../../../../shared/jwt/dpop-keys';
import { evaluateRule } from '../../../../shared/jwt/rule';
import type { ProofKey } from './dpop-helpers';
import { context, NOW, proofKey, signProof, signRaw, smallRsaKey, TOKEN_URL, unsignedProof, USERINFO_URL } from './dpop-helpers';

let ec: ProofKey;
let rsa: ProofKey;
let ed: ProofKey;
let other: ProofKey;

beforeAll(async () => {
  [ec, rsa, ed, other] = await Promise.all([proofKey('ES256'), proofKey('RS256'), proofKey('Ed25519'), proofKey('ES256')]);
});

/** The server's answer: the first failing rule and what goes on the wire. */
function answer(ctx: DpopProofContext) {
  const { failed, outcomes } = evaluateDpopProof(ctx);
  if (!failed) return { id: undefined, outcomes };
  return { id: failed.id, outcomes, wire: dpopWireResponse(failed, ctx), message: outcomes[outcomes.length - 1]!.message };
}

describe('a valid proof', () => {
  it('passes every applicable rule with EC P-256, RSA and Ed25519 keys', async () => {
    for (const [key, policy] of [
      [ec, DPOP_POLICIES.auth0],
      [rsa, DPOP_POLICIES.auth0],
      [ed, DPOP_POLICIES.standards],
    ] as const) {
      const ctx = await context(await signProof(key), { policy });
      const result = answer(ctx);
      expect(result.id, key.alg).toBeUndefined();
      expect(result.outcomes.map((o) => o.id)).toEqual(['DPP-1', 'DPP-2', 'DPP-3', 'DPP-4', 'DPP-5', 'DPP-6', 'DPP-7', 'DPP-8', 'DPP-9', 'DPP-10']);
      expect(ctx.thumbprint).toBe(await calculateJwkThumbprint(key.jwk, 'sha256'));
    }
  });
});

describe('DPP-1 one proof only (X-D12)', () => {
  it('refuses two DPoP header fields', async () => {
    const proof = await signProof(ec);
    const r = answer(await context([proof, proof]));
    expect(r.id).toBe('DPP-1');
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description: 'multiple DPoP proofs are not allowed' });
  });
  it('refuses two proofs joined by a comma, as a proxy joins repeated headers', async () => {
    const r = answer(await context(`${await signProof(ec)}, ${await signProof(ec)}`));
    expect(r.id).toBe('DPP-1');
    expect(r.message).toContain('joined by a comma');
  });
});

describe('DPP-2 a compact JWS (X-D13)', () => {
  it.each([
    ['JWS JSON serialization', '{"payload":"e30","signatures":[]}', 'json-serialization'],
    ['a five-part JWE', 'a.b.c.d.e', 'jwe'],
    ['two parts', 'a.b', 'wrong-part-count'],
  ])('refuses %s before decoding', async (_, proof, code) => {
    const r = answer(await context(proof));
    expect(r.id).toBe('DPP-2');
    expect(r.outcomes.at(-1)?.actual).toBe(code);
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description: 'DPoP proof is not a well-formed JWT' });
  });
  it('refuses an empty signature', async () => {
    const r = answer(await context(unsignedProof({ typ: 'dpop+jwt', alg: 'ES256', jwk: ec.jwk }, { jti: 'a', htm: 'POST', htu: TOKEN_URL, iat: NOW })));
    expect(r.id).toBe('DPP-2');
    expect(r.message).toContain('empty signature');
  });
  it('refuses a 100 KB header before decoding it', async () => {
    const r = answer(await context(`${'a'.repeat(100 * 1024)}.e30.c2ln`));
    expect(r.id).toBe('DPP-2');
    expect(r.outcomes.at(-1)?.actual).toBe('too-large');
  });
});

describe('DPP-3 typ dpop+jwt (X-D3)', () => {
  it.each([['JWT'], ['at+jwt'], ['oauth-authz-req+jwt'], [undefined]])('refuses typ %s (another JWT in the DPoP header)', async (typ) => {
    const r = answer(await context(await signProof(ec, { header: { typ } })));
    expect(r.id).toBe('DPP-3');
    expect(r.wire?.description).toBe('invalid DPoP proof typ');
  });
  it('accepts DPOP+JWT and application/dpop+jwt (RFC 7515), with a lint note', async () => {
    for (const typ of ['DPOP+JWT', 'application/dpop+jwt']) {
      const ctx = await context(await signProof(ec, { header: { typ } }));
      expect(answer(ctx).id).toBeUndefined();
      expect(lintDpopContext(ctx).find((o) => o.id === 'DPP-3')?.note).toContain('exactly as "dpop+jwt"');
    }
  });
});

describe('DPP-4 alg on the allow-list and fitting the key (X-D1, X-D5)', () => {
  it('refuses alg none', async () => {
    const r = answer(await context(unsignedProof({ typ: 'dpop+jwt', alg: 'none', jwk: ec.jwk }, { jti: 'a', htm: 'POST', htu: TOKEN_URL, iat: NOW }, 'c2ln')));
    expect(r.id).toBe('DPP-4');
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description: 'unsupported DPoP proof alg' });
  });
  it('refuses HS256 with a kty oct jwk, computing no MAC', async () => {
    const secret = new Uint8Array(32).fill(7);
    const proof = await signProof(
      { ...ec, alg: 'HS256' },
      { header: { alg: 'HS256', jwk: { kty: 'oct', k: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc' } }, signWith: secret },
    );
    const ctx = await context(proof);
    expect(answer(ctx).id).toBe('DPP-4');
    expect(ctx.signature).toBeUndefined();
  });
  it('refuses an alg outside the Auth0 allow-list (ES384) but the standards policy takes it', async () => {
    const p384 = await proofKey('ES384');
    const proof = await signProof(p384);
    expect(answer(await context(proof)).id).toBe('DPP-4');
    expect(answer(await context(proof, { policy: DPOP_POLICIES.standards })).id).toBeUndefined();
  });
  it('refuses ES256 claimed over an EC P-384 key and over an RSA key', async () => {
    const p384 = await proofKey('ES384');
    const r1 = answer(
      await context(unsignedProof({ typ: 'dpop+jwt', alg: 'ES256', jwk: p384.jwk }, { jti: 'a', htm: 'POST', htu: TOKEN_URL, iat: NOW }, 'c2ln')),
    );
    expect(r1.id).toBe('DPP-4');
    expect(r1.message).toContain('EC P-256');
    const r2 = answer(
      await context(unsignedProof({ typ: 'dpop+jwt', alg: 'ES256', jwk: rsa.jwk }, { jti: 'a', htm: 'POST', htu: TOKEN_URL, iat: NOW }, 'c2ln')),
    );
    expect(r2.id).toBe('DPP-4');
  });
  it('refuses an RSA-1024 key', async () => {
    const small = smallRsaKey(1024);
    const r = answer(await context(signRaw(small, { typ: 'dpop+jwt', alg: 'RS256', jwk: small.jwk }, { jti: 'r1', htm: 'POST', htu: TOKEN_URL, iat: NOW })));
    expect(r.id).toBe('DPP-4');
    expect(r.message).toContain("at least 2048 bits; the proof's jwk has 1024");
  });
  it('FAPI policy: PS256, ES256, EdDSA only (strict profile)', () => {
    expect(dpopPolicyFor('strict').algs).toEqual(['PS256', 'ES256', 'EdDSA']);
    expect(dpopPolicyFor('auth0').algs).toEqual(['ES256', 'RS256']);
  });
});

describe('DPP-5 a public jwk only (X-D2, X-D4)', () => {
  it('refuses a jwk holding the private key d, and says so', async () => {
    const r = answer(await context(await signProof(ec, { header: { jwk: ec.privateJwk } })));
    expect(r.id).toBe('DPP-5');
    expect(r.wire?.description).toBe('DPoP proof jwk must be a public key');
    expect(r.message).toContain('(d)');
  });
  it('refuses an RSA jwk with its private members', async () => {
    const r = answer(await context(await signProof(rsa, { header: { jwk: rsa.privateJwk } })));
    expect(r.id).toBe('DPP-5');
    expect(r.message).toContain('d, p, q, dp, dq, qi');
  });
  it('refuses a missing jwk and ignores kid/jku/x5c (they never select a key)', async () => {
    expect(answer(await context(await signProof(ec, { header: { jwk: undefined, kid: 'registered-key' } }))).id).toBe('DPP-5');
    const ctx = await context(await signProof(ec, { header: { kid: 'k1', jku: 'https://attacker.example/jwks' } }));
    expect(answer(ctx).id).toBeUndefined();
    expect(lintDpopContext(ctx).find((o) => o.id === 'DPP-5')?.note).toContain('kid, jku are ignored');
  });
});

describe('DPP-6 signature by the embedded jwk (X-D4, X-D14)', () => {
  it('refuses a proof signed by another key than its jwk', async () => {
    const r = answer(await context(await signProof(ec, { signWith: other.privateKey })));
    expect(r.id).toBe('DPP-6');
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description: 'invalid DPoP proof signature' });
  });
  it('refuses an unknown crit header and b64: false, although the signature itself is right', async () => {
    const payload = { jti: 'c1', htm: 'POST', htu: TOKEN_URL, iat: NOW };
    for (const extra of [
      { crit: ['exp-ext'], 'exp-ext': 1 },
      { crit: ['b64'], b64: false },
    ]) {
      const r = answer(await context(signRaw(ec, { typ: 'dpop+jwt', alg: 'ES256', jwk: ec.jwk, ...extra }, payload)));
      expect(r.id).toBe('DPP-6');
      expect(r.wire?.description).toBe('invalid DPoP proof signature');
    }
    // The same signing path without crit verifies (the refusal is the crit, not the signer).
    expect(answer(await context(signRaw(ec, { typ: 'dpop+jwt', alg: 'ES256', jwk: ec.jwk }, payload))).id).toBeUndefined();
  });
});

describe('DPP-7 claim types (X-D9, X-D26)', () => {
  it.each([
    ['jti absent', { jti: undefined }, 'DPoP proof must have a jti string claim'],
    ['htm absent', { htm: undefined }, 'DPoP proof must have an htm string claim'],
    ['htu a number', { htu: 5 }, 'DPoP proof must have an htu string claim'],
    ['iat a string', { iat: String(NOW) }, 'DPoP proof must have an iat number claim'],
    ['nonce a number', { nonce: 5 }, 'DPoP proof nonce must be a string'],
  ])('refuses %s, naming the claim', async (_, payload, description) => {
    const r = answer(await context(await signProof(ec, { payload })));
    expect(r.id).toBe('DPP-7');
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description });
  });
  it('refuses a jti of 10,000 characters: invalid_dpop_proof, by the 8 KB size cap before decoding (DPP-2)', async () => {
    const r = answer(await context(await signProof(ec, { payload: { jti: 'x'.repeat(10_000) } })));
    expect(r.id).toBe('DPP-2');
    expect(r.wire?.error).toBe('invalid_dpop_proof');
  });
  it('refuses a jti over 256 characters in a proof under the size cap', async () => {
    const r = answer(await context(await signProof(ec, { payload: { jti: 'x'.repeat(1000) } })));
    expect(r.id).toBe('DPP-7');
    expect(r.outcomes.at(-1)?.actual).toBe('jti is 1000 characters');
    expect(r.wire?.description).toBe('DPoP proof jti is too long');
  });
  it("accepts a fractional iat (Auth0's sample uses Date.now() / 1000)", async () => {
    const ctx = await context(await signProof(ec, { payload: { iat: NOW + 0.375 } }));
    expect(answer(ctx).id).toBeUndefined();
  });
});

describe('DPP-8 htm is the method exactly (X-D6)', () => {
  it('refuses GET on a POST and a lowercase post', async () => {
    for (const htm of ['GET', 'post']) {
      const r = answer(await context(await signProof(ec, { payload: { htm } })));
      expect(r.id, htm).toBe('DPP-8');
      expect(r.wire?.description).toBe('DPoP proof htm mismatch');
    }
  });
});

describe('DPP-9 htu (X-D7)', () => {
  it.each([
    ['a /userinfo proof at /oauth/token', USERINFO_URL, 'path', 'another-endpoint'],
    ['another host', 'https://other.example.com/oauth/token', 'host', 'another-host'],
    ['http: instead of https:', 'http://tenant.example.com/oauth/token', 'scheme', 'proxy'],
    ['an extra path segment', 'https://tenant.example.com/auth/oauth/token', 'path', 'path-prefix'],
    ['a trailing slash', 'https://tenant.example.com/oauth/token/', 'trailing-slash', 'trailing-slash'],
  ])('refuses %s', async (_, htu) => {
    const r = answer(await context(await signProof(ec, { payload: { htu } })));
    expect(r.id).toBe('DPP-9');
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description: 'DPoP proof htu mismatch' });
    expect(r.outcomes.at(-1)).toMatchObject({ expected: TOKEN_URL });
  });
  it('ignores query and fragment, and a default port, with a lint note', async () => {
    const ctx = await context(await signProof(ec, { payload: { htu: 'HTTPS://Tenant.Example.com:443/oauth/token?x=1#f' } }));
    expect(answer(ctx).id).toBeUndefined();
    expect(lintDpopContext(ctx).find((o) => o.id === 'DPP-9')?.note).toMatch(/query .*stripped.*fragment|default port/);
  });
});

describe('DPP-10 iat window (X-D9)', () => {
  it('refuses a proof 10 minutes old and one 2 minutes in the future (Auth0: −300 s / +30 s)', async () => {
    for (const iat of [NOW - 600, NOW + 120]) {
      const r = answer(await context(await signProof(ec, { payload: { iat } })));
      expect(r.id, String(iat)).toBe('DPP-10');
      expect(r.wire?.description).toBe('DPoP proof iat is outside the acceptable window');
    }
  });
  it('accepts the edges of the window and the FAPI policy is narrower', async () => {
    expect(answer(await context(await signProof(ec, { payload: { iat: NOW - 300 } }))).id).toBeUndefined();
    expect(answer(await context(await signProof(ec, { payload: { iat: NOW + 30 } }))).id).toBeUndefined();
    const fapi = await context(await signProof(ec, { payload: { iat: NOW - 120 } }), { policy: DPOP_POLICIES.fapi });
    expect(answer(fapi).id).toBe('DPP-10');
  });
  it('DPN-10: a valid nonce does not excuse a stale iat (invalid_dpop_proof, not another nonce challenge)', async () => {
    const r = answer(
      await context(await signProof(ec, { payload: { iat: NOW - 600, nonce: 'n-current' } }), { nonce: { required: true, accepted: ['n-current'] } }),
    );
    expect(r.id).toBe('DPP-10');
    expect(r.wire?.error).toBe('invalid_dpop_proof');
  });
});

describe('DPP-11 one-time jti (X-D8)', () => {
  it('refuses a (key, jti) pair the store has seen, and only when every other rule passed', async () => {
    const proof = await signProof(ec, { payload: { jti: 'once' } });
    const seen = new Set<string>();
    const ctx = await context(proof, { seen: (jkt, jti) => seen.has(`${jkt} ${jti}`) });
    expect(answer(ctx).id).toBeUndefined();
    seen.add(`${ctx.thumbprint} once`);
    const again = answer(await context(proof, { seen: (jkt, jti) => seen.has(`${jkt} ${jti}`) }));
    expect(again.id).toBe('DPP-11');
    expect(again.wire).toMatchObject({ status: 400, error: 'invalid_dpop_proof', description: 'DPoP proof replay detected' });
    // The same jti from another key is another proof.
    expect(answer(await context(await signProof(other, { payload: { jti: 'once' } }), { seen: (jkt, jti) => seen.has(`${jkt} ${jti}`) })).id).toBeUndefined();
  });
  it('is 401 with a DPoP challenge at /userinfo (ED-2)', async () => {
    const token = 'at-123';
    const proof = await signProof(ec, { payload: { htm: 'GET', htu: USERINFO_URL, ath: await accessTokenHash(token) } });
    const r = answer(await context(proof, { endpoint: 'userinfo', method: 'GET', url: USERINFO_URL, accessToken: token, seen: () => true }));
    expect(r.id).toBe('DPP-11');
    expect(r.wire).toMatchObject({
      status: 401,
      wwwAuthenticate: 'DPoP error="invalid_dpop_proof", error_description="DPoP proof replay detected", algs="ES256 RS256"',
    });
  });
});

describe('DPN-1 / DPN-4 nonces (X-D10, X-D11)', () => {
  it('DPN-1: a proof without nonce from a client under the policy gets use_dpop_nonce and a new nonce, never invalid_dpop_proof', async () => {
    const r = answer(await context(await signProof(ec), { nonce: { required: true, accepted: ['n1'] } }));
    expect(r.id).toBe('DPN-1');
    expect(r.wire).toMatchObject({ status: 400, error: 'use_dpop_nonce', description: 'Authorization server requires nonce in DPoP proof', sendNonce: true });
  });
  it('DPN-2: a client not under the policy needs none', async () => {
    expect(answer(await context(await signProof(ec), { nonce: { required: false, accepted: ['n1'] } })).id).toBeUndefined();
  });
  it('DPN-4: a forged, expired or foreign nonce gets use_dpop_nonce with a new nonce', async () => {
    for (const [nonce, actual] of [
      ['forged', 'unknown (forged)'],
      ['old', 'expired'],
    ] as const) {
      const r = answer(await context(await signProof(ec, { payload: { nonce } }), { nonce: { required: true, accepted: ['n1'], expired: ['old'] } }));
      expect(r.id).toBe('DPN-4');
      expect(r.outcomes.at(-1)?.actual).toBe(actual);
      expect(r.wire).toMatchObject({ status: 400, error: 'use_dpop_nonce', description: 'invalid or expired nonce in DPoP proof', sendNonce: true });
    }
  });
  it('DPN-9: at /userinfo the challenge is a 401 DPoP use_dpop_nonce', async () => {
    const token = 'at-1';
    const proof = await signProof(ec, { payload: { htm: 'GET', htu: USERINFO_URL, ath: await accessTokenHash(token), nonce: 'x' } });
    const r = answer(
      await context(proof, { endpoint: 'userinfo', method: 'GET', url: USERINFO_URL, accessToken: token, nonce: { required: false, accepted: ['n1'] } }),
    );
    expect(r.id).toBe('DPN-4');
    expect(r.wire?.status).toBe(401);
    expect(r.wire?.wwwAuthenticate).toMatch(/^DPoP error="use_dpop_nonce"/);
  });
});

describe('DPP-13 ath at /userinfo (X-D20)', () => {
  const token = 'eyJ.the-access-token.sig';
  it("accepts the SHA-256 of the token sent, refuses none, another token's, padded or hex", async () => {
    const good = await accessTokenHash(token);
    expect(good).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const at = (ath: unknown) => signProof(ec, { payload: { htm: 'GET', htu: USERINFO_URL, ath } });
    const ctxFor = async (ath: unknown) => context(await at(ath), { endpoint: 'userinfo', method: 'GET', url: USERINFO_URL, accessToken: token });
    expect(answer(await ctxFor(good)).id).toBeUndefined();
    for (const ath of [undefined, await accessTokenHash('another-token'), `${good}=`, 'ab'.repeat(32)]) {
      const r = answer(await ctxFor(ath));
      expect(r.id, String(ath)).toBe('DPP-13');
      expect(r.wire).toMatchObject({ status: 401, error: 'invalid_dpop_proof', description: 'DPoP proof ath mismatch' });
      expect(r.wire?.wwwAuthenticate).toBe('DPoP error="invalid_dpop_proof", error_description="DPoP proof ath mismatch", algs="ES256 RS256"');
    }
  });
  it('ignores ath at the token endpoint (the lint notes it)', async () => {
    const ctx = await context(await signProof(ec, { payload: { ath: 'whatever' } }));
    expect(answer(ctx).id).toBeUndefined();
    expect(lintDpopContext(ctx).find((o) => o.id === 'DPP-13')?.note).toContain('ignored at the token endpoint');
  });
  it('never keeps the access token in the context (only its hash)', async () => {
    const ctx = await context(await signProof(ec, { payload: { htm: 'GET', htu: USERINFO_URL } }), {
      endpoint: 'userinfo',
      method: 'GET',
      url: USERINFO_URL,
      accessToken: token,
    });
    expect(JSON.stringify(ctx)).not.toContain(token);
  });
});

describe('DPB binding checks (X-D15, X-D16, X-D18)', () => {
  it('DPB-7: a code bound with dpop_jkt refuses a proof of another key: 403 invalid_grant', async () => {
    const jkt = await jwkThumbprint(ec.jwk);
    expect(answer(await context(await signProof(ec), { binding: { kind: 'code', jkt } })).id).toBeUndefined();
    const r = answer(await context(await signProof(other), { binding: { kind: 'code', jkt } }));
    expect(r.id).toBe('DPB-7');
    expect(r.wire).toMatchObject({ status: 403, error: 'invalid_grant', description: 'DPoP proof key thumbprint does not match dpop_jkt' });
  });
  it('DPB-6: PAR with dpop_jkt other than the proof key: 400 invalid_request', async () => {
    const r = answer(
      await context(await signProof(other, { payload: { htu: 'https://tenant.example.com/oauth/par' } }), {
        endpoint: 'par',
        url: 'https://tenant.example.com/oauth/par',
        binding: { kind: 'par', jkt: await jwkThumbprint(ec.jwk) },
      }),
    );
    expect(r.id).toBe('DPB-6');
    expect(r.wire).toMatchObject({ status: 400, error: 'invalid_request', description: 'DPoP proof key thumbprint does not match dpop_jkt' });
  });
  it('DPB-9: a bound refresh token with another key: 403 invalid_grant', async () => {
    const r = answer(await context(await signProof(other), { binding: { kind: 'refresh', jkt: await jwkThumbprint(ec.jwk) } }));
    expect(r.id).toBe('DPB-9');
    expect(r.wire).toMatchObject({ status: 403, error: 'invalid_grant', description: 'DPoP proof key does not match the refresh token binding' });
  });
  it('DPB-12: at /userinfo a proof of another key than cnf.jkt is 401 invalid_token with a DPoP challenge', async () => {
    const token = 'at-9';
    const proof = await signProof(other, { payload: { htm: 'GET', htu: USERINFO_URL, ath: await accessTokenHash(token) } });
    const r = answer(
      await context(proof, {
        endpoint: 'userinfo',
        method: 'GET',
        url: USERINFO_URL,
        accessToken: token,
        binding: { kind: 'access-token', jkt: await jwkThumbprint(ec.jwk) },
      }),
    );
    expect(r.id).toBe('DPB-12');
    expect(r.wire).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(r.wire?.wwwAuthenticate).toMatch(/^DPoP error="invalid_token"/);
  });
  it('binding is checked before the replay record (DPP-14 order)', () => {
    const ids = DPOP_PROOF_RULES.map((r) => r.id);
    expect(ids).toEqual([
      'DPP-1',
      'DPP-2',
      'DPP-3',
      'DPP-4',
      'DPP-5',
      'DPP-6',
      'DPP-7',
      'DPP-8',
      'DPP-9',
      'DPP-10',
      'DPN-1',
      'DPN-4',
      'DPP-13',
      'DPB-6',
      'DPB-7',
      'DPB-9',
      'DPB-12',
      'DPP-11',
    ]);
  });
});

describe('DPB-5 dpop_jkt format (X-D17)', () => {
  it('accepts a thumbprint and refuses hex, padded and 40-character values', async () => {
    const jkt = await jwkThumbprint(ec.jwk);
    expect(isJktFormat(jkt)).toBe(true);
    expect(evaluateRule(DPOP_JKT_FORMAT_RULE, { dpopJkt: jkt })?.passed).toBe(true);
    for (const bad of ['ab'.repeat(32), `${jkt}=`, jkt.slice(0, 40)]) {
      const outcome = evaluateRule(DPOP_JKT_FORMAT_RULE, { dpopJkt: bad });
      expect(outcome?.passed, bad).toBe(false);
      expect(isJktFormat(bad)).toBe(false);
    }
    expect(DPOP_JKT_FORMAT_RULE.wire).toEqual({ status: 400, error: 'invalid_request', description: 'dpop_jkt must be a base64url JWK SHA-256 thumbprint' });
  });
});

describe('thumbprints (DPB-2, RFC 7638)', () => {
  it('is the RFC 7638 example value for the RFC 7638 key', async () => {
    const rfcKey = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await jwkThumbprint(rfcKey)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
  it("a private JWK gives its public key's thumbprint", async () => {
    expect(await jwkThumbprint(ec.privateJwk)).toBe(await jwkThumbprint(ec.jwk));
  });
});

describe('dpopChallenge (ED-2)', () => {
  it('lists the allow-list and quotes safely', () => {
    expect(dpopChallenge(['ES256', 'RS256'])).toBe('DPoP algs="ES256 RS256"');
    expect(dpopChallenge(['ES256'], { error: 'invalid_token', description: 'a "quoted" \\ text' })).toBe(
      'DPoP error="invalid_token", error_description="a \\"quoted\\" \\\\ text", algs="ES256"',
    );
  });
});

describe('DPP-14 two phases for the endpoints', () => {
  it('the proof phase then the binding phase make up the whole order, and a binding failure stops before the replay rule', async () => {
    expect([...DPOP_PROOF_PHASE_RULES, ...DPOP_BINDING_PHASE_RULES].map((r) => r.id)).toEqual(DPOP_PROOF_RULES.map((r) => r.id));
    const ctx = await context(await signProof(other), { binding: { kind: 'code', jkt: await jwkThumbprint(ec.jwk) }, seen: () => true });
    expect(evaluateDpopProof(ctx, DPOP_PROOF_PHASE_RULES).failed).toBeUndefined();
    const phaseB = evaluateDpopProof(ctx, DPOP_BINDING_PHASE_RULES);
    expect(phaseB.failed?.id).toBe('DPB-7');
    expect(phaseB.outcomes.map((o) => o.id)).toEqual(['DPB-7']);
  });
});

describe('DPB-7 / DPB-10 a bound grant without any proof (X-D15, X-D18)', () => {
  it("is the binding rule's failure with its wire error", () => {
    const code = bindingWithoutProof('code', 'j'.repeat(43));
    expect(code.rule.id).toBe('DPB-7');
    expect(code.outcome).toMatchObject({ id: 'DPB-7', passed: false, actual: 'no DPoP proof' });
    expect(code.rule.wire).toMatchObject({ status: 403, error: 'invalid_grant' });
    const refresh = bindingWithoutProof('refresh', 'j'.repeat(43));
    expect(refresh.rule.id).toBe('DPB-9');
    expect(refresh.outcome.message).toContain('refresh token is bound to a DPoP key');
  });
});
