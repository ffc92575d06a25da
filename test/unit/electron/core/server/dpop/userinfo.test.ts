/**
 * DPoP at /userinfo (../shared/spec/dpop-rules.md ED-2, DPB-12, DPB-13, DPP-13, DPN-8, DPN-9): the `DPoP`
 * scheme with a proof carrying `ath`, 401 with a `DPoP` challenge listing the allow-list, scheme confusion
 * refused; one describe per rule id and attack row, real server, real keys and proofs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from '../endpoints/helpers';
import { rule, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import { codeFields, codeFor, dpopKey, mark, nodeEcKey, proof, rawProof, token, tokenUrl, traceOf, userinfoUrl } from './helpers';

let h: Harness;
let c: TestClient;
let key: DpopKey;
let other: DpopKey;
/** A DPoP-bound access token (cnf.jkt = key) and an unbound one. */
let bound: string;
let unbound: string;

beforeAll(async () => {
  h = await startServer({ consent: false });
  c = await h.client();
  key = await dpopKey();
  other = await dpopKey();
  const b = (await (await token(h, codeFields(c, await codeFor(h, c)), await proof(key, { htu: tokenUrl(h) }))).json()) as {
    access_token: string;
    token_type: string;
  };
  expect(b.token_type).toBe('DPoP');
  bound = b.access_token;
  unbound = ((await (await token(h, codeFields(c, await codeFor(h, c)))).json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await h.close();
});

/** GET /userinfo with an Authorization value and an optional proof. */
function userinfo(authorization: string | undefined, dpop?: string, method = 'GET'): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (dpop !== undefined) headers.dpop = dpop;
  mark(h);
  return fetch(userinfoUrl(h), { method, headers });
}

const userinfoProof = (options: Partial<Parameters<typeof proof>[1]> = {}, k: DpopKey = key) =>
  proof(k, { htm: 'GET', htu: userinfoUrl(h), accessToken: bound, ...options });

async function expectChallenge(res: Response, status: number, error: string, failed: string): Promise<string> {
  expect(res.status).toBe(status);
  expect(((await res.json()) as { error: string }).error).toBe(error);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toContain(`DPoP error="${error}"`);
  expect(challenge).toContain('algs="ES256 RS256"');
  expect((await traceOf(h, 'userinfo')).failedRule).toBe(failed);
  return challenge;
}

describe('DPB-12 /userinfo accepts the DPoP scheme with a proof from the token’s key', () => {
  it('answers 200 for the bound token with a valid proof (htm GET, htu /userinfo, ath)', async () => {
    const res = await userinfo(`DPoP ${bound}`, await userinfoProof());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sub: string }).sub).toBeTruthy();
    const trace = await traceOf(h, 'userinfo');
    for (const id of ['DPP-13', 'DPB-12', 'DPP-11']) expect(rule(trace, id, true), id).toBeDefined();
  });

  it('accepts POST with htm POST', async () => {
    expect((await userinfo(`DPoP ${bound}`, await userinfoProof({ htm: 'POST' }), 'POST')).status).toBe(200);
  });

  it('refuses a proof of another key with 401 invalid_token and a DPoP challenge', async () => {
    await expectChallenge(await userinfo(`DPoP ${bound}`, await userinfoProof({}, other)), 401, 'invalid_token', 'DPB-12');
  });

  it('refuses the bound token with the DPoP scheme and no proof', async () => {
    await expectChallenge(await userinfo(`DPoP ${bound}`), 401, 'invalid_token', 'DPB-12');
  });
});

describe('ED-2 at /userinfo DPoP failures are 401 with a DPoP challenge; no credentials get both challenges', () => {
  it('sends a Bearer and a DPoP challenge (with algs) when no token was sent', async () => {
    const res = await userinfo(undefined);
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toContain('Bearer realm="parley"');
    expect(challenge).toContain('DPoP algs="ES256 RS256"');
  });

  it('answers a malformed proof with 401 invalid_dpop_proof (not 400) and the challenge (X-D1 at a resource)', async () => {
    const ec = nodeEcKey();
    await expectChallenge(
      await userinfo(`DPoP ${bound}`, `${rawProof({ alg: 'none', typ: 'dpop+jwt', jwk: ec.jwk }, { htm: 'GET', htu: userinfoUrl(h) })}c2ln`),
      401,
      'invalid_dpop_proof',
      'DPP-4',
    );
  });

  it('answers a wrong htm at /userinfo with 401 (DPP-8)', async () => {
    await expectChallenge(await userinfo(`DPoP ${bound}`, await userinfoProof({ htm: 'POST' })), 401, 'invalid_dpop_proof', 'DPP-8');
  });
});

describe('DPP-13 the proof carries ath of the token it comes with (X-D20)', () => {
  it('refuses a proof without ath, with the ath of another token, and a padded or hex ath', async () => {
    await expectChallenge(await userinfo(`DPoP ${bound}`, await userinfoProof({ accessToken: undefined })), 401, 'invalid_dpop_proof', 'DPP-13');
    await expectChallenge(await userinfo(`DPoP ${bound}`, await userinfoProof({ accessToken: unbound })), 401, 'invalid_dpop_proof', 'DPP-13');
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(bound).digest();
    await expectChallenge(
      await userinfo(`DPoP ${bound}`, await userinfoProof({ accessToken: undefined, claims: { ath: digest.toString('base64') } })),
      401,
      'invalid_dpop_proof',
      'DPP-13',
    );
    await expectChallenge(
      await userinfo(`DPoP ${bound}`, await userinfoProof({ accessToken: undefined, claims: { ath: digest.toString('hex') } })),
      401,
      'invalid_dpop_proof',
      'DPP-13',
    );
  });
});

describe('DPB-13 scheme confusion: a bound token as Bearer (X-D19), an unbound token as DPoP (X-D21)', () => {
  it('refuses a bound token sent as Bearer with 401 invalid_token (the downgrade)', async () => {
    await expectChallenge(await userinfo(`Bearer ${bound}`), 401, 'invalid_token', 'DPB-13');
  });

  it('refuses an unbound token sent with the DPoP scheme and a valid proof', async () => {
    await expectChallenge(await userinfo(`DPoP ${unbound}`, await userinfoProof({ accessToken: unbound })), 401, 'invalid_token', 'DPB-13');
  });

  it('refuses a DPoP proof next to a Bearer unbound token with 400 invalid_request', async () => {
    const res = await userinfo(`Bearer ${unbound}`, await userinfoProof({ accessToken: unbound }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'DPoP proof requires the DPoP authentication scheme' });
    expect((await traceOf(h, 'userinfo')).failedRule).toBe('DPB-13');
  });

  it('refuses a token in the query with 400 invalid_request', async () => {
    mark(h);
    const res = await fetch(`${userinfoUrl(h)}?access_token=${encodeURIComponent(bound)}`);
    expect(res.status).toBe(400);
    expect((await traceOf(h, 'userinfo')).failedRule).toBe('DPB-13');
  });

  it('still serves an unbound token sent as Bearer', async () => {
    expect((await userinfo(`Bearer ${unbound}`)).status).toBe(200);
  });
});

describe('DPN-8 /userinfo requires no nonce but accepts a valid tenant nonce', () => {
  it('accepts a proof with the tenant’s current nonce', async () => {
    const nonce = h.server.ctx.memory.dpopNonces.issue();
    expect((await userinfo(`DPoP ${bound}`, await userinfoProof({ nonce }))).status).toBe(200);
  });
});

describe('DPN-9 a nonce problem at /userinfo is 401 use_dpop_nonce with a DPoP-Nonce', () => {
  it('challenges a forged nonce with WWW-Authenticate DPoP error="use_dpop_nonce" and a fresh DPoP-Nonce', async () => {
    const res = await userinfo(`DPoP ${bound}`, await userinfoProof({ nonce: 'forged' }));
    await expectChallenge(res, 401, 'use_dpop_nonce', 'DPN-4');
    expect(res.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('DPP-11 a replayed proof at /userinfo is 401 invalid_dpop_proof (X-D8 at a resource)', () => {
  it('refuses the same proof twice', async () => {
    const p = await userinfoProof();
    expect((await userinfo(`DPoP ${bound}`, p)).status).toBe(200);
    await expectChallenge(await userinfo(`DPoP ${bound}`, p), 401, 'invalid_dpop_proof', 'DPP-11');
  });
});
