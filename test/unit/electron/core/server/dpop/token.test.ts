/**
 * DPoP at /oauth/token (../shared/spec/dpop-rules.md §3–§5): the proof checks (DPP), binding (DPB) and
 * nonces (DPN), one describe per rule id and attack row, against the real embedded server on 127.0.0.1:0
 * with real keys and real proofs; each asserts status, error, headers and the failing rule in the trace.
 * Time moves with the clock helpers (freezeClock), never by sleeping.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, nowMs, nowSeconds } from '../../../../../../electron/core/clock';
import { DpopNonces } from '../../../../../../electron/core/server/state/dpop-nonces';
import type { Harness, TestClient } from '../endpoints/helpers';
import { oauthError, rule, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import {
  codeFields,
  codeFor,
  credentialsOf,
  dpopKey,
  expectRule,
  mark,
  nodeEcKey,
  proof,
  publicCode,
  rawPost,
  rawProof,
  token,
  tokenUrl,
  traceOf,
  userinfoUrl,
} from './helpers';

let h: Harness;
let c: TestClient;
let pub: TestClient;
let key: DpopKey;
let other: DpopKey;
const API = 'https://api.example.com/';

beforeAll(async () => {
  h = await startServer({ consent: false });
  c = await h.client();
  // Auth0 returns a client_secret even for a public client; a public client never sends it.
  const { client_secret: _unused, ...publicClient } = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
  pub = publicClient;
  key = await dpopKey();
  other = await dpopKey();
  // An API with no proof_of_possession set (DPoP allowed, DPB-1) and a client grant for it.
  await h.server.ctx.directory.createResourceServer({ identifier: API });
  await h.server.ctx.directory.createClientGrant({ client_id: c.client_id, audience: API, scope: [] });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  freezeClock(undefined);
  h.settings({ profile: 'auth0', dpopEnabled: true });
});

/** A client-credentials request of the confidential client for an API. */
function clientCredentials(dpop?: string, client: TestClient = c, audience = API): Promise<Response> {
  return token(h, { grant_type: 'client_credentials', audience, ...credentialsOf(client) }, dpop);
}

/** A valid proof for /oauth/token. */
const tokenProof = (options: Partial<Parameters<typeof proof>[1]> = {}, k: DpopKey = key) => proof(k, { htu: tokenUrl(h), ...options });

async function expectDpopError(res: Response, status: number, error: string, failed: string, description?: string): Promise<void> {
  expect(res.status).toBe(status);
  const body = await oauthError(res);
  expect(body.error).toBe(error);
  if (description !== undefined) expect(body.error_description).toBe(description);
  expect((await traceOf(h, 'token')).failedRule).toBe(failed);
}

/** The redeemable public-client code exchange: the nonce challenge, then the retry with the nonce. */
async function publicExchange(k: DpopKey = key): Promise<{ body: Record<string, unknown>; nonce: string; res: Response }> {
  const { code, verifier } = await publicCode(h, pub);
  const challenged = await token(h, codeFields(pub, code, verifier), await tokenProof({}, k));
  expect(challenged.status).toBe(400);
  const nonce = challenged.headers.get('dpop-nonce')!;
  const res = await token(h, codeFields(pub, code, verifier), await tokenProof({ nonce }, k));
  expect(res.status).toBe(200);
  return { body: (await res.json()) as Record<string, unknown>, nonce, res };
}

describe('ED-1 at /oauth/token a DPoP failure is a 400 OAuth JSON error without WWW-Authenticate', () => {
  it('answers invalid_dpop_proof as JSON with no challenge header', async () => {
    const res = await clientCredentials('not-a-jwt');
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.headers.get('content-type')).toContain('application/json');
    await expectDpopError(res, 400, 'invalid_dpop_proof', 'DPP-2', 'DPoP proof is not a well-formed JWT');
  });
});

describe('DPP-1 at most one proof (X-D12)', () => {
  it('refuses two DPoP header fields', async () => {
    const [a, b] = [await tokenProof(), await tokenProof()];
    const res = await rawPost(h, '/oauth/token', { grant_type: 'client_credentials', audience: API, ...credentialsOf(c) }, { dpop: [a, b] });
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toBe('invalid_dpop_proof');
    expect((await traceOf(h, 'token')).failedRule).toBe('DPP-1');
  });

  it('refuses two proofs joined by a comma (as a proxy joins repeated headers)', async () => {
    await expectDpopError(
      await clientCredentials(`${await tokenProof()}, ${await tokenProof()}`),
      400,
      'invalid_dpop_proof',
      'DPP-1',
      'multiple DPoP proofs are not allowed',
    );
  });
});

describe('DPP-2 one compact JWS of at most 8 KB, refused before decoding (X-D13)', () => {
  it('refuses JSON serialization, a five-part JWE, an empty signature and a value over 8 KB', async () => {
    const good = await tokenProof();
    const [h64, p64] = good.split('.');
    for (const bad of [
      JSON.stringify({ protected: h64, payload: p64, signature: 'x' }),
      `${h64}.${p64}.a.b.c`,
      `${h64}.${p64}.`,
      `${h64}.${'A'.repeat(9 * 1024)}.sig`,
    ]) {
      await expectDpopError(await clientCredentials(bad), 400, 'invalid_dpop_proof', 'DPP-2');
    }
  });

  it('never reaches the proof check with a 100 KB header: the HTTP parser refuses it (431)', async () => {
    const res = await clientCredentials(`${(await tokenProof()).split('.')[0]}.${'A'.repeat(100 * 1024)}.sig`);
    expect(res.status).toBe(431);
  });
});

describe('DPP-3 typ dpop+jwt (X-D3)', () => {
  it('refuses another JWT in the DPoP header: typ JWT, at+jwt, or none', async () => {
    for (const typ of ['JWT', 'at+jwt', undefined]) {
      const p = await tokenProof({ header: { typ } });
      await expectDpopError(await clientCredentials(p), 400, 'invalid_dpop_proof', 'DPP-3', 'invalid DPoP proof typ');
    }
  });

  it('accepts typ compared case-insensitively with an application/ prefix (RFC 7515 §4.1.9)', async () => {
    expect((await clientCredentials(await tokenProof({ header: { typ: 'application/DPOP+JWT' } }))).status).toBe(200);
  });
});

describe('DPP-4 asymmetric alg on the allow-list, fitting the key (X-D1, X-D5)', () => {
  it('refuses alg none, HS256 with a kty oct jwk, and ES384 outside the Auth0 list', async () => {
    const ec = nodeEcKey();
    // Unsigned, it is not a JWS at all (DPP-2); with any signature part, alg none is DPP-4's.
    await expectDpopError(
      await clientCredentials(rawProof({ alg: 'none', typ: 'dpop+jwt', jwk: ec.jwk }, { htu: tokenUrl(h) })),
      400,
      'invalid_dpop_proof',
      'DPP-2',
    );
    await expectDpopError(
      await clientCredentials(`${rawProof({ alg: 'none', typ: 'dpop+jwt', jwk: ec.jwk }, { htu: tokenUrl(h) })}c2ln`),
      400,
      'invalid_dpop_proof',
      'DPP-4',
      'unsupported DPoP proof alg',
    );
    const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
    const { SignJWT } = await import('jose');
    const hs = await new SignJWT({ jti: 'hs', htm: 'POST', htu: tokenUrl(h), iat: nowSeconds() })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } as unknown as JWK })
      .sign(secret);
    await expectDpopError(await clientCredentials(hs), 400, 'invalid_dpop_proof', 'DPP-4');
    await expectDpopError(await clientCredentials(await proof(await dpopKey('ES384'), { htu: tokenUrl(h) })), 400, 'invalid_dpop_proof', 'DPP-4');
  });

  it('refuses an alg that does not fit the key: a P-384 or RSA key with ES256, RSA-1024', async () => {
    const p384 = await dpopKey('ES384');
    const rsa = await dpopKey('RS256');
    await expectDpopError(await clientCredentials(await tokenProof({ header: { alg: 'ES256', jwk: p384.jwk } })), 400, 'invalid_dpop_proof', 'DPP-4');
    await expectDpopError(await clientCredentials(await tokenProof({ header: { alg: 'ES256', jwk: rsa.jwk } })), 400, 'invalid_dpop_proof', 'DPP-4');
    // jose will not sign with RSA-1024, so Node's crypto does.
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smallJwk = small.publicKey.export({ format: 'jwk' });
    await expectDpopError(
      await clientCredentials(rawProof({ alg: 'RS256', typ: 'dpop+jwt', jwk: smallJwk }, { htu: tokenUrl(h) }, small.privateKey)),
      400,
      'invalid_dpop_proof',
      'DPP-4',
    );
  });

  it('accepts RS256 (the other alg Auth0 names)', async () => {
    const res = await clientCredentials(await proof(await dpopKey('RS256'), { htu: tokenUrl(h) }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token_type: string }).token_type).toBe('DPoP');
  });
});

describe('DPP-5 public jwk only (X-D2)', () => {
  it('refuses a jwk carrying the private key d, and an RSA jwk with private members', async () => {
    const { exportJWK } = await import('jose');
    const priv = await exportJWK(key.privateKey);
    await expectDpopError(
      await clientCredentials(await tokenProof({ header: { jwk: priv } })),
      400,
      'invalid_dpop_proof',
      'DPP-5',
      'DPoP proof jwk must be a public key',
    );
    const rsa = await dpopKey('RS256');
    const rsaPriv = await exportJWK(rsa.privateKey);
    await expectDpopError(
      await clientCredentials(await proof(rsa, { htu: tokenUrl(h), header: { jwk: { ...rsa.jwk, p: rsaPriv.p } } })),
      400,
      'invalid_dpop_proof',
      'DPP-5',
    );
  });
});

describe('DPP-6 signature by the embedded jwk; no crit, no b64 (X-D4, X-D14)', () => {
  it('refuses a proof signed by another key whatever kid, jku or x5c point at (external key hints never used)', async () => {
    const res = await clientCredentials(await tokenProof({ signWith: other, header: { kid: 'registered-key', jku: 'https://attacker.example/jwks' } }));
    await expectDpopError(res, 400, 'invalid_dpop_proof', 'DPP-6', 'invalid DPoP proof signature');
  });

  it('refuses an unknown crit and b64: false', async () => {
    const ec = nodeEcKey();
    await expectDpopError(
      await clientCredentials(rawProof({ alg: 'ES256', typ: 'dpop+jwt', jwk: ec.jwk, crit: ['exp'], exp: 1 }, { htu: tokenUrl(h) }, ec.privateKey)),
      400,
      'invalid_dpop_proof',
      'DPP-6',
    );
    await expectDpopError(
      await clientCredentials(rawProof({ alg: 'ES256', typ: 'dpop+jwt', jwk: ec.jwk, b64: false, crit: ['b64'] }, { htu: tokenUrl(h) }, ec.privateKey)),
      400,
      'invalid_dpop_proof',
      'DPP-6',
    );
  });
});

describe('DPP-7 claim types; iat as a string, a 10,000-character jti (X-D9, X-D26)', () => {
  it('refuses iat as a string, a missing jti and a jti over 256 characters', async () => {
    await expectDpopError(await clientCredentials(await tokenProof({ iat: String(nowSeconds()) })), 400, 'invalid_dpop_proof', 'DPP-7');
    await expectDpopError(await clientCredentials(await tokenProof({ claims: { jti: undefined } })), 400, 'invalid_dpop_proof', 'DPP-7');
    await expectDpopError(
      await clientCredentials(await tokenProof({ jti: 'j'.repeat(300) })),
      400,
      'invalid_dpop_proof',
      'DPP-7',
      'DPoP proof jti is too long',
    );
  });

  it('refuses a 10,000-character jti before decoding (the 8 KB limit, DPP-2), so it never reaches the replay store', async () => {
    await expectDpopError(await clientCredentials(await tokenProof({ jti: 'j'.repeat(10_000) })), 400, 'invalid_dpop_proof', 'DPP-2');
    expect(h.server.ctx.memory.dpopJtis.seen(key.jkt, 'j'.repeat(10_000))).toBe(false);
  });

  it('accepts a fractional iat (Auth0’s own sample uses Date.now() / 1000)', async () => {
    expect((await clientCredentials(await tokenProof({ iat: nowMs() / 1000 }))).status).toBe(200);
  });
});

describe('DPP-8 htm equals the method exactly (X-D6)', () => {
  it('refuses GET and lowercase post on a POST', async () => {
    await expectDpopError(await clientCredentials(await tokenProof({ htm: 'GET' })), 400, 'invalid_dpop_proof', 'DPP-8', 'DPoP proof htm mismatch');
    await expectDpopError(await clientCredentials(await tokenProof({ htm: 'post' })), 400, 'invalid_dpop_proof', 'DPP-8');
  });
});

describe('DPP-9 htu against the configured URL, query and fragment ignored (X-D7)', () => {
  it('refuses a /userinfo proof at /oauth/token, another host, https for http, a trailing slash and an extra segment', async () => {
    const base = new URL(h.base);
    for (const htu of [
      userinfoUrl(h),
      `http://other.example:${base.port}/oauth/token`,
      tokenUrl(h).replace('http:', 'https:'),
      `${tokenUrl(h)}/`,
      `${h.base}v2/oauth/token`,
    ]) {
      await expectDpopError(await clientCredentials(await tokenProof({ htu })), 400, 'invalid_dpop_proof', 'DPP-9', 'DPoP proof htu mismatch');
    }
  });

  it('ignores a query and a fragment in htu', async () => {
    expect((await clientCredentials(await tokenProof({ htu: `${tokenUrl(h)}?a=1#frag` }))).status).toBe(200);
  });
});

describe('DPP-9 the expected htu comes from configuration, never from Host (X-D24)', () => {
  it('refuses a proof for the Host the request names when that is not the configured URL', async () => {
    const port = new URL(h.base).port;
    const htu = `http://localhost:${port}/oauth/token`;
    const res = await rawPost(
      h,
      '/oauth/token',
      { grant_type: 'client_credentials', audience: API, ...credentialsOf(c) },
      { host: `localhost:${port}`, dpop: await tokenProof({ htu }) },
    );
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toBe('invalid_dpop_proof');
    const trace = await expectRule(h, 'token', 'DPP-9', false);
    expect(rule(trace, 'DPP-9', false)!.expected).toContain(tokenUrl(h));
  });
});

describe('ED-4 descriptions name the check, never the expected value; the trace has both', () => {
  it('keeps the server URL out of the htu description and in the trace', async () => {
    const res = await clientCredentials(await tokenProof({ htu: `${tokenUrl(h)}/` }));
    const body = await oauthError(res);
    expect(body.error_description).toBe('DPoP proof htu mismatch');
    expect(body.error_description).not.toContain(h.base);
    const outcome = rule(await traceOf(h, 'token'), 'DPP-9', false)!;
    expect(outcome.expected).toContain(tokenUrl(h));
    expect(outcome.actual).toContain(`${tokenUrl(h)}/`);
  });
});

describe('DPP-10 iat window −300 s / +30 s, strict −60 s / +10 s (X-D9)', () => {
  it('refuses an iat 10 minutes old or 2 minutes ahead; accepts 299 s old', async () => {
    await expectDpopError(
      await clientCredentials(await tokenProof({ iat: nowSeconds() - 600 })),
      400,
      'invalid_dpop_proof',
      'DPP-10',
      'DPoP proof iat is outside the acceptable window',
    );
    await expectDpopError(await clientCredentials(await tokenProof({ iat: nowSeconds() + 120 })), 400, 'invalid_dpop_proof', 'DPP-10');
    expect((await clientCredentials(await tokenProof({ iat: nowSeconds() - 299 }))).status).toBe(200);
  });

  it('judges iat on the server clock: moving the clock makes a proof stale', async () => {
    const p = await tokenProof();
    freezeClock(Date.now() + 301_000);
    await expectDpopError(await clientCredentials(p), 400, 'invalid_dpop_proof', 'DPP-10');
  });

  it('applies the strict window in the strict profile', async () => {
    h.settings({ profile: 'strict' });
    await expectDpopError(await clientCredentials(await tokenProof({ iat: nowSeconds() + 20 })), 400, 'invalid_dpop_proof', 'DPP-10');
  });
});

describe('DPP-11 one-time jti, recorded only after every other check (X-D8)', () => {
  it('refuses the same proof twice, and the same key and jti at another endpoint', async () => {
    const p = await tokenProof();
    expect((await clientCredentials(p)).status).toBe(200);
    await expectDpopError(await clientCredentials(p), 400, 'invalid_dpop_proof', 'DPP-11', 'DPoP proof replay detected');
    const jti = 'shared-jti-across-endpoints';
    const code = await codeFor(h, c);
    expect((await token(h, codeFields(c, code), await tokenProof({ jti }))).status).toBe(200);
    const atPar = await proof(key, { htu: `${h.base}oauth/par`, jti });
    mark(h);
    const res = await fetch(`${h.base}oauth/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: atPar },
      body: new URLSearchParams({ ...credentialsOf(c), response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'openid' }),
    });
    expect(res.status).toBe(400);
    expect((await oauthError(res)).error).toBe('invalid_dpop_proof');
    expect((await traceOf(h, 'par')).failedRule).toBe('DPP-11');
  });

  it('does not burn the jti of a request that failed later (an unknown code), so the same proof then succeeds', async () => {
    const p = await tokenProof();
    const failed = await token(h, codeFields(c, 'unknown-code'), p);
    expect(failed.status).toBe(403);
    expect((await traceOf(h, 'token')).failedRule).toBe('TOK-1');
    expect((await token(h, codeFields(c, await codeFor(h, c)), p)).status).toBe(200);
  });
});

describe('DPP-12 and DPN-1 a public client’s proof without nonce: use_dpop_nonce, never invalid_dpop_proof (X-D10)', () => {
  it('answers 400 use_dpop_nonce with Auth0’s text and a DPoP-Nonce header', async () => {
    const { code, verifier } = await publicCode(h, pub);
    const res = await token(h, codeFields(pub, code, verifier), await tokenProof());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof' });
    expect(res.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect((await traceOf(h, 'token')).failedRule).toBe('DPN-1');
  });
});

describe('DPB-8 a nonce challenge consumes no code: the same body is retried (X-D23)', () => {
  it('redeems the challenged code on the retry with the nonce and the same code_verifier', async () => {
    const { body } = await publicExchange();
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(String(body.access_token)).cnf).toEqual({ jkt: key.jkt });
  });
});

describe('DPN-4 a nonce must be current and this server’s (X-D11)', () => {
  it('answers a forged nonce and another server’s nonce with use_dpop_nonce and a fresh DPoP-Nonce', async () => {
    const { code, verifier } = await publicCode(h, pub);
    const apiNonce = new DpopNonces({ scope: 'https://api.example.com/' }).issue();
    for (const nonce of ['forged-nonce', apiNonce]) {
      const res = await token(h, codeFields(pub, code, verifier), await tokenProof({ nonce }));
      await expectDpopError(res, 400, 'use_dpop_nonce', 'DPN-4', 'invalid or expired nonce in DPoP proof');
      expect(res.headers.get('dpop-nonce')).toBeTruthy();
      expect(rule(await traceOf(h, 'token'), 'DPN-4', false)!.actual).toMatch(/^unknown/);
    }
  });

  it('answers an expired nonce with use_dpop_nonce, recognised as expired', async () => {
    const t0 = Date.now();
    freezeClock(t0);
    const { code, verifier } = await publicCode(h, pub);
    const nonce = (await token(h, codeFields(pub, code, verifier), await tokenProof())).headers.get('dpop-nonce')!;
    freezeClock(t0 + 5 * 60_000);
    const res = await token(h, codeFields(pub, code, verifier), await tokenProof({ nonce }));
    await expectDpopError(res, 400, 'use_dpop_nonce', 'DPN-4');
    expect(rule(await traceOf(h, 'token'), 'DPN-4', false)!.actual).toBe('expired');
  });
});

describe('DPN-5 nonces rotate with time and a fresh one comes with every token response', () => {
  it('accepts a nonce two minutes later, sends the newer value on the 200, and refuses it after five', async () => {
    const t0 = Date.now();
    freezeClock(t0);
    const { res, nonce } = await publicExchange();
    expect(res.headers.get('dpop-nonce')).toBeTruthy();
    freezeClock(t0 + 2 * 60_000);
    const { code, verifier } = await publicCode(h, pub);
    const later = await token(h, codeFields(pub, code, verifier), await tokenProof({ nonce }));
    expect(later.status).toBe(200);
    expect(later.headers.get('dpop-nonce')).not.toBe(nonce);
    await expectRule(h, 'token', 'DPN-5', true);
    freezeClock(t0 + 5 * 60_000);
    const { code: code2, verifier: verifier2 } = await publicCode(h, pub);
    expect((await token(h, codeFields(pub, code2, verifier2), await tokenProof({ nonce }))).status).toBe(400);
  });
});

describe('DPN-2 confidential clients need no nonce; one sent must be valid', () => {
  it('issues to a confidential client without a nonce, and refuses a forged one', async () => {
    expect((await clientCredentials(await tokenProof())).status).toBe(200);
    await expectRule(h, 'token', 'DPN-2', true);
    await expectDpopError(await clientCredentials(await tokenProof({ nonce: 'forged' })), 400, 'use_dpop_nonce', 'DPN-4');
  });
});

describe('DPN-6 no downgrade; DPoP-Nonce only to clients under the nonce policy', () => {
  it('sends DPoP-Nonce to the public client on every answer (invalid_grant too), never to a confidential one', async () => {
    const { code, verifier } = await publicCode(h, pub);
    const nonce = (await token(h, codeFields(pub, code, verifier), await tokenProof())).headers.get('dpop-nonce')!;
    const bad = await token(h, codeFields(pub, 'unknown-code', verifier), await tokenProof({ nonce }));
    expect(bad.status).toBe(403);
    expect(bad.headers.get('dpop-nonce')).toBeTruthy();
    // Without a nonce the public client is challenged again, however many nonces it held before.
    expect((await oauthError(await token(h, codeFields(pub, code, verifier), await tokenProof()))).error).toBe('use_dpop_nonce');
    const confidential = await clientCredentials(await tokenProof());
    expect(confidential.status).toBe(200);
    expect(confidential.headers.get('dpop-nonce')).toBeNull();
  });
});

describe('ED-3 a response carrying DPoP-Nonce is Cache-Control: no-store', () => {
  it('marks the challenge and the 200 no-store', async () => {
    const { code, verifier } = await publicCode(h, pub);
    const challenged = await token(h, codeFields(pub, code, verifier), await tokenProof());
    expect(challenged.headers.get('cache-control')).toBe('no-store');
    const ok = await token(h, codeFields(pub, code, verifier), await tokenProof({ nonce: challenged.headers.get('dpop-nonce')! }));
    expect(ok.headers.get('dpop-nonce')).toBeTruthy();
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });
});

describe('DPN-10 a valid nonce does not excuse a stale iat', () => {
  it('answers invalid_dpop_proof (DPP-10), not another nonce challenge', async () => {
    const { code, verifier } = await publicCode(h, pub);
    const nonce = (await token(h, codeFields(pub, code, verifier), await tokenProof())).headers.get('dpop-nonce')!;
    await expectDpopError(
      await token(h, codeFields(pub, code, verifier), await tokenProof({ nonce, iat: nowSeconds() - 600 })),
      400,
      'invalid_dpop_proof',
      'DPP-10',
    );
  });
});

describe('DPP-14 a fixed check order: the first failure decides', () => {
  it('reports htm (DPP-8) for a proof with a wrong htm and a wrong htu, and never judges the htu', async () => {
    await expectDpopError(await clientCredentials(await tokenProof({ htm: 'GET', htu: userinfoUrl(h) })), 400, 'invalid_dpop_proof', 'DPP-8');
    expect(rule(await traceOf(h, 'token'), 'DPP-9')).toBeUndefined();
  });
});

describe('DPB-2 cnf.jkt, DPB-3 token_type, DPB-4 no cnf in the ID token', () => {
  it('binds the code-grant access token to the proof key and leaves the ID token unbound', async () => {
    const res = await token(h, codeFields(c, await codeFor(h, c)), await tokenProof());
    const body = (await res.json()) as Record<string, string>;
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token!).cnf).toEqual({ jkt: key.jkt });
    expect(decodeJwt(body.id_token!).cnf).toBeUndefined();
    const trace = await traceOf(h, 'token');
    for (const id of ['DPB-2', 'DPB-3', 'DPB-4']) expect(rule(trace, id, true), id).toBeDefined();
  });

  it('issues Bearer without cnf when no proof is sent', async () => {
    const body = (await (await token(h, codeFields(c, await codeFor(h, c)))).json()) as Record<string, string>;
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwt(body.access_token!).cnf).toBeUndefined();
  });
});

describe('DPB-7 a code issued with dpop_jkt needs a proof from that key; a mismatch consumes it (X-D15)', () => {
  it('refuses another key with 403 invalid_grant and consumes the code', async () => {
    const code = await codeFor(h, c, { dpop_jkt: key.jkt });
    const res = await token(h, codeFields(c, code), await tokenProof({}, other));
    await expectDpopError(res, 403, 'invalid_grant', 'DPB-7', 'DPoP proof key thumbprint does not match dpop_jkt');
    const retry = await token(h, codeFields(c, code), await tokenProof());
    await expectDpopError(retry, 403, 'invalid_grant', 'TOK-2');
  });

  it('refuses a bound code redeemed without a proof, and redeems it with the right key', async () => {
    const code = await codeFor(h, c, { dpop_jkt: key.jkt });
    await expectDpopError(await token(h, codeFields(c, code)), 403, 'invalid_grant', 'DPB-7');
    const fresh = await codeFor(h, c, { dpop_jkt: key.jkt });
    const ok = await token(h, codeFields(c, fresh), await tokenProof());
    expect(ok.status).toBe(200);
    expect(decodeJwt(((await ok.json()) as { access_token: string }).access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('answers 400 in the strict profile (E-2)', async () => {
    const code = await codeFor(h, c, { dpop_jkt: key.jkt });
    h.settings({ profile: 'strict' });
    const res = await token(h, codeFields(c, code), await tokenProof({}, other));
    expect(res.status).toBe(400);
    expect((await oauthError(res)).error).toBe('invalid_grant');
  });
});

describe('DPB-9 and DPB-10 a bound refresh token needs its key; not rotated on refusal (X-D18)', () => {
  it('binds the public client’s refresh token, refuses another key and no proof, and still refreshes with the right key', async () => {
    const { body } = await publicExchange();
    const refresh = String(body.refresh_token);
    const fields = { grant_type: 'refresh_token', refresh_token: refresh, ...credentialsOf(pub) };
    const nonceOf = async (k: DpopKey) => (await token(h, fields, await tokenProof({}, k))).headers.get('dpop-nonce')!;
    const n1 = await nonceOf(other);
    await expectDpopError(
      await token(h, fields, await tokenProof({ nonce: n1 }, other)),
      403,
      'invalid_grant',
      'DPB-9',
      'DPoP proof key does not match the refresh token binding',
    );
    await expectDpopError(await token(h, fields), 403, 'invalid_grant', 'DPB-10');
    const ok = await token(h, fields, await tokenProof({ nonce: n1 }));
    expect(ok.status).toBe(200);
    const refreshed = (await ok.json()) as Record<string, string>;
    expect(refreshed.token_type).toBe('DPoP');
    expect(decodeJwt(refreshed.access_token!).cnf).toEqual({ jkt: key.jkt });
  });

  it('rotation copies the binding', async () => {
    // A rotating public client (Auth0's refresh token rotation, endpoints/token/rotation.ts).
    const { client_secret: _unused, ...spa } = await h.client({
      app_type: 'spa',
      token_endpoint_auth_method: 'none',
      refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0 },
    });
    const { code, verifier } = await publicCode(h, spa);
    const n0 = (await token(h, codeFields(spa, code, verifier), await tokenProof())).headers.get('dpop-nonce')!;
    const issued = (await (await token(h, codeFields(spa, code, verifier), await tokenProof({ nonce: n0 }))).json()) as Record<string, string>;
    const refreshWith = async (refreshToken: string, k: DpopKey) => {
      const fields = { grant_type: 'refresh_token', refresh_token: refreshToken, ...credentialsOf(spa) };
      const nonce = (await token(h, fields, await tokenProof({}, k))).headers.get('dpop-nonce')!;
      return token(h, fields, await tokenProof({ nonce }, k));
    };
    const rotated = (await (await refreshWith(issued.refresh_token!, key)).json()) as Record<string, string>;
    expect(rotated.refresh_token).toBeDefined();
    expect(rotated.refresh_token).not.toBe(issued.refresh_token);
    // The new refresh token is bound to the same key: another key is refused with DPB-9, and nothing rotates.
    await expectDpopError(await refreshWith(rotated.refresh_token!, other), 403, 'invalid_grant', 'DPB-9');
    const again = await refreshWith(rotated.refresh_token!, key);
    expect(again.status).toBe(200);
    expect(decodeJwt(((await again.json()) as Record<string, string>).access_token!).cnf).toEqual({ jkt: key.jkt });
  });

  it('DPB-10: an unbound refresh token presented with a proof yields a bound access token', async () => {
    const body = (await (await token(h, codeFields(c, await codeFor(h, c)))).json()) as Record<string, string>;
    const res = await token(h, { grant_type: 'refresh_token', refresh_token: body.refresh_token!, ...credentialsOf(c) }, await tokenProof());
    const refreshed = (await res.json()) as Record<string, string>;
    expect(refreshed.token_type).toBe('DPoP');
    expect(decodeJwt(refreshed.access_token!).cnf).toEqual({ jkt: key.jkt });
  });

  it('binds a confidential client’s refresh token in the Auth0 profile, not in the strict one', async () => {
    const body = (await (await token(h, codeFields(c, await codeFor(h, c)), await tokenProof())).json()) as Record<string, string>;
    const fields = { grant_type: 'refresh_token', refresh_token: body.refresh_token!, ...credentialsOf(c) };
    await expectDpopError(await token(h, fields), 403, 'invalid_grant', 'DPB-10');
    h.settings({ profile: 'strict' });
    const strictCode = await codeFor(h, c, { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const strictBody = (await (
      await token(h, { ...codeFields(c, strictCode), code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' }, await tokenProof())
    ).json()) as Record<string, string>;
    expect(strictBody.refresh_token, JSON.stringify(strictBody)).toBeDefined();
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: strictBody.refresh_token!, ...credentialsOf(c) })).status).toBe(200);
  });
});

describe('DPB-16 client credentials: bound per DPB-1, no refresh token, no nonce', () => {
  it('binds the client-credentials token', async () => {
    const res = await clientCredentials(await tokenProof());
    const body = (await res.json()) as Record<string, string>;
    expect(body.token_type).toBe('DPoP');
    expect(body.refresh_token).toBeUndefined();
    expect(res.headers.get('dpop-nonce')).toBeNull();
    expect(decodeJwt(body.access_token!).cnf).toEqual({ jkt: key.jkt });
    await expectRule(h, 'token', 'DPB-16', true);
  });
});

describe('DPB-1 Auth0’s issuance matrix (X-D22) and DPP-16 a proof validated even when ignored', () => {
  const api = (id: string) => `https://dpop-${id}.example.com/`;
  async function createApi(identifier: string, pop: unknown): Promise<void> {
    await h.server.ctx.directory.createResourceServer({ identifier, ...(pop === undefined ? {} : { proof_of_possession: pop }) });
    await h.server.ctx.directory.createClientGrant({ client_id: c.client_id, audience: identifier, scope: [] });
  }
  beforeAll(async () => {
    await createApi(api('none'), { mechanism: 'mtls', required: false });
    await createApi(api('allowed'), { mechanism: 'dpop', required: false });
    await createApi(api('required'), { mechanism: 'dpop', required: true });
  });

  it('API policy none: a valid proof is ignored (Bearer); a broken proof is still refused (DPP-16)', async () => {
    const res = await clientCredentials(await tokenProof(), c, api('none'));
    expect(((await res.json()) as { token_type: string }).token_type).toBe('Bearer');
    expect(rule(await traceOf(h, 'token'), 'DPB-1', true)!.actual).toBe('Bearer (proof ignored)');
    await expectDpopError(await clientCredentials(await tokenProof({ htm: 'GET' }), c, api('none')), 400, 'invalid_dpop_proof', 'DPP-8');
  });

  it('API policy allowed: bound with a proof, Bearer without', async () => {
    expect(((await (await clientCredentials(await tokenProof(), c, api('allowed'))).json()) as { token_type: string }).token_type).toBe('DPoP');
    expect(((await (await clientCredentials(undefined, c, api('allowed'))).json()) as { token_type: string }).token_type).toBe('Bearer');
  });

  it('API policy required: refused without a proof', async () => {
    await expectDpopError(await clientCredentials(undefined, c, api('required')), 400, 'invalid_request', 'DPB-1', 'DPoP proof is required');
    expect((await clientCredentials(await tokenProof(), c, api('required'))).status).toBe(200);
  });

  it('client require_proof_of_possession: refused without a proof, and refused with one for an API whose policy is none', async () => {
    const strictClient = await h.client({ require_proof_of_possession: true });
    await h.server.ctx.directory.createClientGrant({ client_id: strictClient.client_id, audience: api('none'), scope: [] });
    await expectDpopError(await token(h, codeFields(strictClient, await codeFor(h, strictClient))), 400, 'invalid_request', 'DPB-1');
    await expectDpopError(await clientCredentials(await tokenProof(), strictClient, api('none')), 400, 'invalid_request', 'DPB-1');
    const bound = await token(h, codeFields(strictClient, await codeFor(h, strictClient)), await tokenProof());
    expect(((await bound.json()) as { token_type: string }).token_type).toBe('DPoP');
  });
});

describe('DPC-9 a public client has token_endpoint_auth_method none and no other authentication', () => {
  it('puts the none client under the nonce policy and a client_secret_basic one outside it', async () => {
    const { code, verifier } = await publicCode(h, pub);
    expect((await oauthError(await token(h, codeFields(pub, code, verifier), await tokenProof()))).error).toBe('use_dpop_nonce');
    const basic = await h.client({ token_endpoint_auth_method: 'client_secret_basic' });
    const auth = `Basic ${Buffer.from(`${basic.client_id}:${basic.client_secret!}`).toString('base64')}`;
    const ok = await fetch(tokenUrl(h), {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', dpop: await tokenProof() },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: await codeFor(h, basic), redirect_uri: 'https://app.example.com/callback' }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toBeNull();
  });
});

describe('DPC-10 the tenant switch: off, DPoP headers and dpop_jkt are ignored and Bearer issued', () => {
  it('ignores a broken proof and dpop_jkt when off', async () => {
    h.settings({ dpopEnabled: false });
    const res = await clientCredentials('not-a-jwt');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token_type: string }).token_type).toBe('Bearer');
    await expectRule(h, 'token', 'DPC-10', true);
    const code = await codeFor(h, c, { dpop_jkt: 'not-a-thumbprint' });
    expect((await token(h, codeFields(c, code))).status).toBe(200);
  });
});

describe('DPP-15 and DPB-17 /oauth/revoke ignores a DPoP header and needs no proof for a bound refresh token', () => {
  it('revokes a public client’s bound refresh token without a proof, ignoring a broken DPoP header', async () => {
    const { body } = await publicExchange();
    mark(h);
    const res = await fetch(`${h.base}oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: 'not-a-jwt' },
      body: new URLSearchParams({ token: String(body.refresh_token), client_id: pub.client_id }),
    });
    expect(res.status).toBe(200);
    const trace = await traceOf(h, 'revoke');
    expect(trace.rules.some((r) => r.id.startsWith('DPP-') && !r.passed)).toBe(false);
    expect((await token(h, { grant_type: 'refresh_token', refresh_token: String(body.refresh_token), ...credentialsOf(pub) })).status).toBe(403);
  });
});

describe('DPN-7 a nonce challenge is a protocol signal, not a failed login', () => {
  it('leaves sign-in and the code redeemable after a dozen challenges (more than the brute-force limit of 10)', async () => {
    const { code, verifier } = await publicCode(h, pub);
    for (let i = 0; i < 12; i++) expect((await oauthError(await token(h, codeFields(pub, code, verifier), await tokenProof()))).error).toBe('use_dpop_nonce');
    const { body } = await publicExchange();
    expect(body.token_type).toBe('DPoP');
  });
});
