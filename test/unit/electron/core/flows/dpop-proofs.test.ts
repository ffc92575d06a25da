/**
 * DPoP on the client side (electron/core/flows/dpop.ts, userinfo.ts): proofs signed with REAL vault keys
 * and verified here with jose against the JWK in their own header (typ, alg, public jwk only, jti, iat from
 * the core's clock, htm, htu without query or fragment, ath, nonce); the key's alg chosen against the
 * server's list or refused by name; and the nonce retry against REAL HTTP servers on 127.0.0.1: once per
 * request, never a loop, the nonce kept per origin, the userinfo 401 challenge, the scheme from token_type.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddedJWK, calculateJwkThumbprint, compactVerify, decodeJwt } from 'jose';
import type { JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../electron/core/clock';
import type { DpopKey } from '../../../../../electron/core/flows/dpop';
import { DpopNonces, athOf, dpopKeyOf, htuOf, nonceChallenge, sendWithProof, signProof } from '../../../../../electron/core/flows/dpop';
import { FlowStepError } from '../../../../../electron/core/flows/flow-error';
import { sendRecorded } from '../../../../../electron/core/flows/http-exchange';
import { requestUserinfo } from '../../../../../electron/core/flows/userinfo';
import type { Vault } from '../../../../../electron/core/vault';
import type { FlowExchange, FlowTarget } from '../../../../../shared/schemas/flows';
import { flowTargetSchema } from '../../../../../shared/schemas/flows';
import { unlockedVault } from '../vault/helpers';

let vault: Vault;
const ids: Record<'p256' | 'p384' | 'rsa', string> = { p256: '', p384: '', rsa: '' };

function targetWith(keyId: string): FlowTarget {
  return {
    id: 't',
    name: 't',
    issuer: 'https://issuer.example/',
    client_id: 'c',
    auth: { method: 'none', hasSecret: false },
    redirect_uri: 'https://app.example/cb',
    scope: 'openid',
    embedded: false,
    dpop: { keyId, bindCode: false },
  };
}

async function verified(proof: string): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const { protectedHeader } = await compactVerify(proof, EmbeddedJWK);
  return { header: protectedHeader as Record<string, unknown>, claims: decodeJwt(proof) };
}

beforeAll(async () => {
  ({ vault } = await unlockedVault());
  ids.p256 = (await vault.generate({ name: 'ec', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] })).id;
  ids.p384 = (await vault.generate({ name: 'ec384', spec: { kty: 'EC', crv: 'P-384' }, usages: ['other'] })).id;
  ids.rsa = (await vault.generate({ name: 'rsa', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['other'] })).id;
});
afterEach(() => freezeClock(undefined));

describe('DPoP proofs › contents, verified with the JWK in their header', () => {
  it('an EC P-256 proof: typ dpop+jwt, ES256, the public jwk (no d, no kid), a fresh jti, iat from the core clock, htm, htu without query and fragment', async () => {
    const key = dpopKeyOf(vault, targetWith(ids.p256), ['ES256', 'EdDSA']);
    freezeClock(1_800_000_000_500);
    const proof = await signProof(vault, key, { htm: 'POST', url: 'https://tenant.example:8443/oauth/token?x=1#frag' });
    const { header, claims } = await verified(proof);
    expect(header).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk });
    expect(Object.keys(header['jwk'] as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(await calculateJwkThumbprint(header['jwk'] as JWK)).toBe(key.thumbprint);
    expect(claims).toEqual({ jti: claims['jti'], htm: 'POST', htu: 'https://tenant.example:8443/oauth/token', iat: 1_800_000_000 });
    expect(claims['jti']).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const again = decodeJwt(await signProof(vault, key, { htm: 'POST', url: 'https://tenant.example:8443/oauth/token' }));
    expect(again['jti']).not.toBe(claims['jti']);
  });

  it('a resource proof carries ath = base64url(SHA-256(access token)) (RFC 9449 §7.1 example) and the nonce given', async () => {
    // The access token and ath of RFC 9449's own example.
    expect(athOf('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
    const key = dpopKeyOf(vault, targetWith(ids.p256), undefined);
    const proof = await signProof(vault, key, {
      htm: 'GET',
      url: 'https://resource.example.org/protectedresource',
      accessToken: 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU',
      nonce: 'eyJ7S_zG.eyJH0-Z.HX4w-7v',
    });
    const { claims } = await verified(proof);
    expect(claims).toMatchObject({
      htm: 'GET',
      htu: 'https://resource.example.org/protectedresource',
      ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
      nonce: 'eyJ7S_zG.eyJH0-Z.HX4w-7v',
    });
  });

  it('htu keeps scheme, host, port, path and trailing slash as sent, and drops only query and fragment', () => {
    expect(htuOf('https://Tenant.example/authorize/?a=b')).toBe('https://tenant.example/authorize/');
    expect(htuOf('http://127.0.0.1:3000/oauth/par#x')).toBe('http://127.0.0.1:3000/oauth/par');
    expect(htuOf('https://tenant.example/userinfo')).toBe('https://tenant.example/userinfo');
  });

  it('an RSA key signs PS256 where the server lists it, RS256 where it lists only that; P-384 signs ES384', async () => {
    const ps = dpopKeyOf(vault, targetWith(ids.rsa), ['ES256', 'PS256', 'RS256']);
    expect(ps.alg).toBe('PS256');
    expect(Object.keys(ps.jwk).sort()).toEqual(['e', 'kty', 'n']);
    expect((await verified(await signProof(vault, ps, { htm: 'POST', url: 'https://t.example/oauth/token' }))).header['alg']).toBe('PS256');
    expect(dpopKeyOf(vault, targetWith(ids.rsa), ['ES256', 'RS256']).alg).toBe('RS256');
    const p384 = dpopKeyOf(vault, targetWith(ids.p384), ['ES384']);
    expect((await verified(await signProof(vault, p384, { htm: 'POST', url: 'https://t.example/oauth/token' }))).header['alg']).toBe('ES384');
  });

  it('a key whose algs the server does not list is refused with both lists named', () => {
    const refused = (() => {
      try {
        dpopKeyOf(vault, targetWith(ids.p256), ['EdDSA', 'Ed25519']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(FlowStepError);
    expect((refused as FlowStepError).code).toBe('configuration');
    expect((refused as FlowStepError).message).toBe(
      'The server does not accept DPoP proofs the key "ec" can sign: it signs ES256, and dpop_signing_alg_values_supported lists EdDSA, Ed25519. Choose a key of a listed type.',
    );
  });
});

describe('DPoP targets › validation', () => {
  it('accepts a vault key id with bindCode, and names the field of a bad one', () => {
    expect(flowTargetSchema.safeParse(targetWith('abcdefgh12')).success).toBe(true);
    const bad = flowTargetSchema.safeParse({ ...targetWith('abcdefgh12'), dpop: { keyId: 'no', bindCode: true } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['dpop', 'keyId'], message: 'not a key id' });
    const missing = flowTargetSchema.safeParse({ ...targetWith('abcdefgh12'), dpop: { keyId: 'abcdefgh12' } });
    expect(missing.error?.issues[0]?.path).toEqual(['dpop', 'bindCode']);
    const extra = flowTargetSchema.safeParse({ ...targetWith('abcdefgh12'), dpop: { keyId: 'abcdefgh12', bindCode: true, alg: 'HS256' } });
    expect(extra.success).toBe(false);
  });
});

/** A real HTTP server on 127.0.0.1 answering with `handler`; every request's headers are kept. */
async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, seen: IncomingMessage[]) => void,
): Promise<{ url: string; seen: IncomingMessage[]; close: () => Promise<void> }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on('end', () => handler(req, res, seen));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const servers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('DPoP nonce retry › against real HTTP servers', () => {
  let key: DpopKey;
  beforeAll(() => {
    key = dpopKeyOf(vault, targetWith(ids.p256), ['ES256']);
  });

  it('a server that always answers use_dpop_nonce gets exactly two requests: the retry carries its nonce, and the second challenge is the answer', async () => {
    let n = 0;
    const server = await serve((_req, res) =>
      json(res, 400, { error: 'use_dpop_nonce', error_description: 'nonce required' }, { 'dpop-nonce': `nonce-${++n}` }),
    );
    servers.push(server);
    const challenged: FlowExchange[] = [];
    const nonces = new DpopNonces();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c' });
    const response = await sendWithProof(fetch, { method: 'POST', url: `${server.url}/oauth/token`, form }, new AbortController().signal, {
      vault,
      key,
      nonces,
      onChallenge: (e) => challenged.push(e),
    });
    expect(server.seen).toHaveLength(2);
    expect(response.status).toBe(400);
    expect(challenged).toHaveLength(1);
    const proofs = server.seen.map((r) => decodeJwt(String(r.headers['dpop'])));
    expect(proofs[0]!['nonce']).toBeUndefined();
    expect(proofs[1]!['nonce']).toBe('nonce-1');
    expect(proofs[1]!['jti']).not.toBe(proofs[0]!['jti']);
    // The latest nonce is kept for the next request to that origin, and only that origin.
    expect(nonces.get(`${server.url}/oauth/par`)).toBe('nonce-2');
    expect(nonces.get('http://127.0.0.2:1/oauth/token')).toBeUndefined();
  });

  it('a 400 that is not use_dpop_nonce, or a challenge without DPoP-Nonce, is answered at once (no retry)', async () => {
    const server = await serve((req, res) =>
      req.url === '/a' ? json(res, 400, { error: 'invalid_dpop_proof' }, { 'dpop-nonce': 'n' }) : json(res, 400, { error: 'use_dpop_nonce' }),
    );
    servers.push(server);
    const signal = new AbortController().signal;
    for (const path of ['/a', '/b']) {
      const res = await sendWithProof(fetch, { method: 'POST', url: `${server.url}${path}`, form: new URLSearchParams() }, signal, {
        vault,
        key,
        nonces: new DpopNonces(),
        onChallenge: () => expect.fail('no challenge'),
      });
      expect(res.status).toBe(400);
    }
    expect(server.seen).toHaveLength(2);
  });

  it('userinfo: a 401 DPoP error="use_dpop_nonce" challenge is retried once with the nonce; the token goes as DPoP with a proof whose ath is its hash', async () => {
    const token = 'an-access-token.with~chars';
    const server = await serve((req, res) => {
      const proof = decodeJwt(String(req.headers['dpop']));
      if (proof['nonce'] !== 'rs-nonce') {
        res.writeHead(401, {
          'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
          'dpop-nonce': 'rs-nonce',
        });
        res.end();
        return;
      }
      json(res, 200, { sub: 'alice', auth: req.headers['authorization'], ath: proof['ath'] });
    });
    servers.push(server);
    const challenged: FlowExchange[] = [];
    const result = await requestUserinfo(fetch, `${server.url}/userinfo?ignored=1`, token, 'DPoP', new AbortController().signal, {
      vault,
      key,
      nonces: new DpopNonces(),
      onChallenge: (e) => challenged.push(e),
    });
    expect(result.scheme).toBe('DPoP');
    expect(result.claims).toEqual({ sub: 'alice', auth: `DPoP ${token}`, ath: athOf(token) });
    expect(server.seen).toHaveLength(2);
    expect(challenged.map((e) => e.response?.status)).toEqual([401]);
    const proof = await verified(String(server.seen[1]!.headers['dpop']));
    expect(proof.claims).toMatchObject({ htm: 'GET', htu: `${server.url}/userinfo`, nonce: 'rs-nonce', ath: athOf(token) });
    // What is recorded: the scheme, never the token.
    expect(result.response.exchange.request.headers['authorization']).toBe('DPoP [redacted]');
  });

  it('userinfo: a token issued as Bearer where DPoP was asked is sent as Bearer without a proof; a refusal names the challenge', async () => {
    const server = await serve((req, res) => {
      res.writeHead(401, {
        'www-authenticate': `Bearer error="invalid_token", error_description="seen ${String(req.headers['authorization']).split(' ')[0]} ${req.headers['dpop'] ? 'with' : 'without'} proof"`,
      });
      res.end();
    });
    servers.push(server);
    const error = await requestUserinfo(fetch, `${server.url}/userinfo`, 'tok', 'Bearer', new AbortController().signal, {
      vault,
      key,
      nonces: new DpopNonces(),
      onChallenge: () => expect.fail('no challenge'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowStepError);
    expect((error as FlowStepError).code).toBe('userinfo_rejected');
    expect((error as FlowStepError).message).toBe(
      'The userinfo endpoint refused the Bearer access token (HTTP 401, WWW-Authenticate: Bearer error="invalid_token", error_description="seen Bearer without proof").',
    );
  });

  it("nonceChallenge reads the token endpoint's 400 body and a resource's 401 challenge (Auth0's invalid_dpop_nonce too)", async () => {
    const cases: [number, Record<string, string>, string, string | undefined][] = [
      [400, { 'dpop-nonce': 'n1' }, '{"error":"use_dpop_nonce"}', 'n1'],
      [400, { 'dpop-nonce': 'n1' }, '{"error":"invalid_grant"}', undefined],
      [400, {}, '{"error":"use_dpop_nonce"}', undefined],
      [401, { 'dpop-nonce': 'n2', 'www-authenticate': 'DPoP error="use_dpop_nonce"' }, '', 'n2'],
      [401, { 'dpop-nonce': 'n3', 'www-authenticate': 'DPoP algs="ES256", error="invalid_dpop_nonce", error_description="DPoP nonce is too old"' }, '', 'n3'],
      [401, { 'dpop-nonce': 'n4', 'www-authenticate': 'DPoP error="invalid_token"' }, '', undefined],
      [200, { 'dpop-nonce': 'n5' }, '{}', undefined],
    ];
    const server = await serve((req, res) => {
      const [status, headers, body] = cases[Number(req.url!.slice(1))]!;
      res.writeHead(status, headers);
      res.end(body);
    });
    servers.push(server);
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < cases.length; i++)
      seen.push(nonceChallenge(await sendRecorded(fetch, { method: 'GET', url: `${server.url}/${i}` }, new AbortController().signal)));
    expect(seen).toEqual(cases.map((c) => c[3]));
  });
});
