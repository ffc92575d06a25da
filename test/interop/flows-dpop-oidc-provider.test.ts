/**
 * DPoP interop: Parley's flow engine as the DPoP client of oidc-provider (panva), started in-process with
 * its `dPoP` feature and nonces required, so every first proof to a server is answered `use_dpop_nonce`.
 * A REAL core (vault keys, contract dispatch): PAR + JAR + private_key_jwt + DPoP reaches a token bound to
 * the vault key (oidc-provider's own record of it has `jkt` = the key's RFC 7638 thumbprint), the bound
 * token is accepted at /userinfo with the DPoP scheme, the nonce retry is its own exchange, a dpop_jkt the
 * proof key does not match is refused with oidc-provider's error, and a key whose alg the server does not
 * list is refused before any request.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedJWK, calculateJwkThumbprint, compactVerify, decodeJwt } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/host/core';
import { createCore } from '../../electron/core/host/core';
import type { FlowExchange, FlowRun, FlowTarget } from '../../shared/schemas/flows';
import type { ExportedFile } from '../../shared/schemas/keys';
import type { RunningProvider } from './oidc-provider-helpers';
import { OidcProviderLauncher, callerOf, startOidcProvider, stepOf, summary } from './oidc-provider-helpers';

const CLIENT_ID = 'parley-dpop-interop';
/** Nothing listens here: the launcher stops at the redirect. */
const REDIRECT = 'http://127.0.0.1:53997/callback';

let dir: string;
let core: Core;
let op: RunningProvider;
let target: FlowTarget;
let keys: { jar: string; auth: string; dpop: string; rsa: string; ed: string };
/** The RFC 7638 thumbprint of the DPoP key's public JWK, computed here with jose from the vault's export. */
let thumbprint: string;
let rsaThumbprint: string;
const launcher = new OidcProviderLauncher();

const call = callerOf(() => core);

async function run(targetId: string, kind: FlowRun['kind'], extra: Record<string, unknown> = {}): Promise<FlowRun> {
  const started = await call<FlowRun>('flows.start', { targetId, kind, ...extra });
  return core.flows.settled(started.id);
}

async function publicJwkOf(id: string): Promise<JWK> {
  const exported = await call<ExportedFile>('keys.exportPublic', { id, format: 'jwk' });
  return JSON.parse(exported.content) as JWK;
}

/** The proof an exchange sent, verified with the JWK in its own header; its header and claims. */
async function proofOf(exchange: FlowExchange): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const proof = exchange.request.headers['dpop'];
  expect(proof, 'the request carries a DPoP header').toBeTypeOf('string');
  const verified = await compactVerify(proof!, EmbeddedJWK);
  return { header: verified.protectedHeader as Record<string, unknown>, claims: decodeJwt(proof!) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-dpop-oidc-provider-'));
  core = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: { N: 1024, r: 8, p: 1 }, browserLauncher: launcher, log: () => {} });
  await call('vault.setup', { passphrase: 'correct horse battery staple' });
  const generate = (name: string, spec: Record<string, unknown>, usages: string[]) => call<{ id: string }>('keys.generate', { name, spec, usages });
  keys = {
    jar: (await generate('jar', { kty: 'RSA', modulusLength: 2048 }, ['jar'])).id,
    auth: (await generate('auth', { kty: 'EC', crv: 'P-256' }, ['client-auth'])).id,
    dpop: (await generate('dpop', { kty: 'EC', crv: 'P-256' }, ['other'])).id,
    rsa: (await generate('dpop-rsa', { kty: 'RSA', modulusLength: 2048 }, ['other'])).id,
    ed: (await generate('dpop-ed25519', { kty: 'OKP', crv: 'Ed25519' }, ['other'])).id,
  };
  const clientKeys: JWK[] = [];
  for (const id of [keys.jar, keys.auth]) {
    const jwks = JSON.parse((await call<ExportedFile>('keys.exportPublic', { id, format: 'jwks' })).content) as { keys: JWK[] };
    clientKeys.push(...jwks.keys);
  }
  thumbprint = await calculateJwkThumbprint(await publicJwkOf(keys.dpop), 'sha256');
  rsaThumbprint = await calculateJwkThumbprint(await publicJwkOf(keys.rsa), 'sha256');
  op = await startOidcProvider(
    { client_id: CLIENT_ID, redirect_uri: REDIRECT, authAlg: 'ES256', jarAlg: 'RS256', jwks: { keys: clientKeys } },
    { dpop: { nonces: true } },
  );
  const base = {
    issuer: op.issuer,
    client_id: CLIENT_ID,
    auth: { method: 'private_key_jwt', keyId: keys.auth, hasSecret: false },
    redirect_uri: REDIRECT,
    scope: 'openid email',
    jarKeyId: keys.jar,
    embedded: false,
  };
  target = await call<FlowTarget>('flows.saveTarget', {
    target: { ...base, id: 'op-dpop', name: 'oidc-provider (DPoP)', dpop: { keyId: keys.dpop, bindCode: true } },
  });
  await call<FlowTarget>('flows.saveTarget', {
    target: { ...base, id: 'op-dpop-rsa', name: 'oidc-provider (DPoP, RSA key)', dpop: { keyId: keys.rsa, bindCode: true } },
  });
  await call<FlowTarget>('flows.saveTarget', {
    target: { ...base, id: 'op-dpop-ed25519', name: 'oidc-provider (DPoP, Ed25519 key)', dpop: { keyId: keys.ed, bindCode: true } },
  });
});
afterAll(async () => {
  await core?.close();
  await op?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Flows × oidc-provider › DPoP with nonces required', () => {
  it('PAR + JAR + private_key_jwt + DPoP: the nonce challenge is its own exchange, the token is bound to the vault key, and /userinfo accepts it', async () => {
    const tokensBefore = op.accessTokens.length;
    const r = await run(target.id, 'par+jar');
    expect(r.status, summary(r)).toBe('succeeded');
    expect(stepOf(r, 'discover').detail?.['dpop']).toEqual({ alg: 'ES256', jkt: thumbprint });

    // The code is bound: the request object names the key's thumbprint as dpop_jkt.
    const requestObject = stepOf(r, 'build').jwts.find((j) => j.kind === 'requestObject')!;
    expect(decodeJwt(requestObject.token)['dpop_jkt']).toBe(thumbprint);

    // PAR: the first proof (no nonce) is answered use_dpop_nonce, recorded as an exchange of its own; the retry carries that nonce.
    const push = stepOf(r, 'push');
    expect(push.extraExchanges?.map((e) => [e.purpose, e.reason, e.exchange.response?.status])).toEqual([['par', 'use_dpop_nonce', 400]]);
    const challenged = push.extraExchanges![0]!.exchange;
    expect(JSON.parse(challenged.response!.body!)).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = challenged.response!.headers['dpop-nonce'];
    expect(nonce).toBeTypeOf('string');
    const first = await proofOf(challenged);
    expect(first.claims['nonce']).toBeUndefined();
    expect(push.exchange?.response?.status).toBe(201);
    const retried = await proofOf(push.exchange!);
    expect(retried.claims).toMatchObject({ nonce, htm: 'POST', htu: `${op.issuer}/request` });
    expect(retried.claims['jti']).not.toBe(first.claims['jti']);
    expect(retried.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(await calculateJwkThumbprint(retried.header['jwk'] as JWK)).toBe(thumbprint);
    // The retry's client assertion is a new one (oidc-provider refuses an assertion jti twice).
    const assertions = [challenged, push.exchange!].map((e) => new URLSearchParams(e.request.body).get('client_assertion'));
    expect(assertions[0]).not.toBe(assertions[1]);
    expect(push.jwts.map((j) => j.label).sort()).toEqual(['Client assertion', 'DPoP', 'Request object']);

    // Token: the nonce kept from the PAR answer is used at once (no second challenge); the token is typed DPoP.
    const exchange = stepOf(r, 'exchange');
    expect(exchange.extraExchanges).toBeUndefined();
    expect(exchange.detail?.['token_type']).toBe('DPoP');
    const tokenProof = await proofOf(exchange.exchange!);
    expect(tokenProof.claims).toMatchObject({ htm: 'POST', htu: `${op.issuer}/token` });
    expect(tokenProof.claims['nonce']).toBeTypeOf('string');
    expect(tokenProof.claims['ath']).toBeUndefined();
    // oidc-provider's own record of the access token it issued: bound to the vault key's thumbprint (cnf.jkt).
    const issued = op.accessTokens.slice(tokensBefore);
    expect(issued).toEqual([{ kind: 'AccessToken', jkt: thumbprint, value: expect.any(String) as unknown }]);

    // Userinfo: the bound token with the DPoP scheme and a proof carrying ath; the token itself is not recorded.
    const verify = stepOf(r, 'verify');
    expect(verify.status).toBe('ok');
    const userinfo = verify.extraExchanges!.filter((e) => e.purpose === 'userinfo');
    expect(userinfo.map((e) => [e.reason, e.exchange.response?.status])).toEqual([['access_token_check', 200]]);
    const call = userinfo[0]!.exchange;
    expect(call.request.headers['authorization']).toBe('DPoP [redacted]');
    expect(JSON.parse(call.response!.body!)).toMatchObject({ sub: 'alice' });
    const userinfoProof = await proofOf(call);
    expect(userinfoProof.claims).toMatchObject({ htm: 'GET', htu: `${op.issuer}/me` });
    expect(userinfoProof.claims['ath']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verify.detail?.['userinfo']).toEqual({ scheme: 'DPoP', status: 200, sub: 'alice' });

    // The bound token is a credential: neither the run nor any file of the data directory holds it (proofs carry only its hash).
    const token = issued[0]!.value!;
    expect(JSON.stringify(r)).not.toContain(token);
    for (const file of readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())) {
      expect(readFileSync(join(file.parentPath, file.name), 'latin1').includes(token), file.name).toBe(false);
    }
    // The proofs are kept (public, and what the user came to inspect).
    expect(JSON.stringify(core.flows.get(r.id))).toContain(call.request.headers['dpop']);
  });

  it('an Ed25519 vault key: PAR + JAR + DPoP proofs signed EdDSA (listed by oidc-provider), the token bound to its thumbprint, /userinfo accepts it', async () => {
    const edThumbprint = await calculateJwkThumbprint(await publicJwkOf(keys.ed), 'sha256');
    const tokensBefore = op.accessTokens.length;
    const r = await run('op-dpop-ed25519', 'par+jar');
    expect(r.status, summary(r)).toBe('succeeded');
    expect(stepOf(r, 'discover').detail?.['dpop']).toEqual({ alg: 'EdDSA', jkt: edThumbprint });
    for (const exchange of [stepOf(r, 'push').exchange!, stepOf(r, 'exchange').exchange!]) {
      const proof = await proofOf(exchange);
      expect(proof.header).toMatchObject({ typ: 'dpop+jwt', alg: 'EdDSA' });
      // The required members only (RFC 7638 §3.2): no d, no kid, alg or use.
      expect(Object.keys(proof.header['jwk'] as JWK).sort()).toEqual(['crv', 'kty', 'x']);
      expect(proof.header['jwk']).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    }
    expect(op.accessTokens.slice(tokensBefore)).toEqual([{ kind: 'AccessToken', jkt: edThumbprint, value: expect.any(String) as unknown }]);
    expect(stepOf(r, 'verify').detail?.['userinfo']).toEqual({ scheme: 'DPoP', status: 200, sub: 'alice' });
  });

  it('PAR without JAR: dpop_jkt travels in the PAR body next to the proof, and the code exchange with the same key succeeds', async () => {
    const r = await run(target.id, 'par');
    expect(r.status, summary(r)).toBe('succeeded');
    expect(new URLSearchParams(stepOf(r, 'push').exchange!.request.body).get('dpop_jkt')).toBe(thumbprint);
    expect((stepOf(r, 'build').detail?.['parameters'] as Record<string, string>)['dpop_jkt']).toBe(thumbprint);
    expect(stepOf(r, 'exchange').detail?.['token_type']).toBe('DPoP');
  });

  it('client_credentials: the token request itself is challenged, retried once with the nonce, and the token is bound', async () => {
    const tokensBefore = op.accessTokens.length;
    const r = await run(target.id, 'client_credentials');
    expect(r.status, summary(r)).toBe('succeeded');
    const exchange = stepOf(r, 'exchange');
    // A new run keeps no nonce from an earlier one: its first proof is challenged.
    expect(exchange.extraExchanges?.map((e) => [e.purpose, e.reason, e.exchange.response?.status])).toEqual([['token', 'use_dpop_nonce', 400]]);
    expect((await proofOf(exchange.exchange!)).claims['nonce']).toBe(exchange.extraExchanges![0]!.exchange.response!.headers['dpop-nonce']);
    expect(exchange.detail?.['token_type']).toBe('DPoP');
    expect(op.accessTokens.slice(tokensBefore)).toMatchObject([{ kind: 'ClientCredentials', jkt: thumbprint }]);
  });

  it("a code bound to another key (dpop_jkt in the request object) is refused at the token endpoint with oidc-provider's error", async () => {
    const r = await run(target.id, 'jar', { jarClaims: { dpop_jkt: rsaThumbprint } });
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'callback').status).toBe('ok');
    const exchange = stepOf(r, 'exchange');
    expect(exchange.status).toBe('failed');
    expect(exchange.error?.code).toBe('token_rejected');
    expect(exchange.error?.message).toMatch(/\(400 invalid_grant: grant request is invalid\)/);
    expect(op.errors.at(-1)).toMatchObject({ event: 'grant.error', error: 'invalid_grant', detail: 'DPoP proof key thumbprint does not match dpop_jkt' });
    expect(stepOf(r, 'verify').status).toBe('pending');
  });

  it("PAR: a dpop_jkt the proof key does not match is refused at the PAR endpoint with oidc-provider's error", async () => {
    const before = launcher.opened.length;
    const r = await run(target.id, 'par+jar', { jarClaims: { dpop_jkt: rsaThumbprint } });
    expect(r.status).toBe('failed');
    const push = stepOf(r, 'push');
    expect(push.error?.code).toBe('par_rejected');
    expect(push.error?.message).toContain('(400 invalid_request: DPoP proof key thumbprint does not match dpop_jkt)');
    expect(launcher.opened.length).toBe(before);
  });

  it('a key whose alg the server does not list (RSA against ES256, Ed25519, EdDSA) is refused before any request carries a proof', async () => {
    const r = await run('op-dpop-rsa', 'par+jar');
    expect(r.status).toBe('failed');
    const discover = stepOf(r, 'discover');
    expect(discover.error?.code).toBe('configuration');
    expect(discover.error?.message).toBe(
      'The server does not accept DPoP proofs the key "dpop-rsa" can sign: it signs PS256, RS256, PS384, RS384, PS512, RS512, and dpop_signing_alg_values_supported lists ES256, Ed25519, EdDSA. Choose a key of a listed type.',
    );
    expect(r.steps.filter((s) => s.name !== 'discover').every((s) => s.status === 'pending')).toBe(true);
  });
});

describe('Flows × oidc-provider › refresh with DPoP proofs (DPB-9)', () => {
  it('Refresh tokens: a proof by the run key carrying the server nonce, a new access token bound to it, and the rotated refresh token held for the next refresh', async () => {
    const refreshOp = await startOidcProvider(
      { client_id: CLIENT_ID, redirect_uri: REDIRECT, authAlg: 'ES256', jarAlg: 'RS256', jwks: { keys: [await publicJwkOf(keys.auth)] } },
      { dpop: { nonces: true }, refresh: true },
    );
    try {
      const refreshTarget = await call<FlowTarget>('flows.saveTarget', {
        target: {
          id: 'op-dpop-refresh',
          name: 'oidc-provider (DPoP, refresh)',
          issuer: refreshOp.issuer,
          client_id: CLIENT_ID,
          auth: { method: 'private_key_jwt', keyId: keys.auth, hasSecret: false },
          redirect_uri: REDIRECT,
          scope: 'openid email',
          embedded: false,
          dpop: { keyId: keys.dpop, bindCode: true },
        },
      });
      const r = await run(refreshTarget.id, 'plain');
      expect(r.status, summary(r)).toBe('succeeded');
      expect(stepOf(r, 'exchange').detail?.['refresh_token']).toBe('held');

      for (const round of [1, 2]) {
        const tokensBefore = refreshOp.accessTokens.length;
        await call<FlowRun>('flows.refresh', { runId: r.id });
        const after = await core.flows.settled(r.id);
        expect(after.status, summary(after)).toBe('succeeded');
        const step = after.steps.filter((s) => s.name === 'refresh')[round - 1]!;
        expect(step.status).toBe('ok');
        const proof = await proofOf(step.exchange!);
        expect(await calculateJwkThumbprint(proof.header['jwk'] as JWK)).toBe(thumbprint);
        expect(proof.claims).toMatchObject({ htm: 'POST', htu: `${refreshOp.issuer}/token` });
        expect(proof.claims['nonce']).toBeTypeOf('string');
        expect(step.detail).toMatchObject({ token_type: 'DPoP', refresh_token: 'rotated' });
        // oidc-provider's record of the new access token: bound to the run key. The second round used the rotated
        // refresh token (oidc-provider refuses a rotated-away one as invalid_grant).
        expect(refreshOp.accessTokens.slice(tokensBefore)).toMatchObject([{ kind: 'AccessToken', jkt: thumbprint }]);
      }
    } finally {
      await refreshOp.close();
    }
  });
});

describe('Flows × oidc-provider › DPoP with an RSA key where the server lists PS256', () => {
  it('client_credentials: the proof is signed PS256 with the RSA vault key and the token is bound to its thumbprint', async () => {
    const rsaOp = await startOidcProvider(
      { client_id: CLIENT_ID, redirect_uri: REDIRECT, authAlg: 'ES256', jarAlg: 'RS256', jwks: { keys: [await publicJwkOf(keys.auth)] } },
      { dpop: { nonces: false, algs: ['ES256', 'PS256'] } },
    );
    try {
      const rsaTarget = await call<FlowTarget>('flows.saveTarget', {
        target: {
          id: 'op-dpop-ps256',
          name: 'oidc-provider (PS256)',
          issuer: rsaOp.issuer,
          client_id: CLIENT_ID,
          auth: { method: 'private_key_jwt', keyId: keys.auth, hasSecret: false },
          redirect_uri: REDIRECT,
          scope: 'openid',
          embedded: false,
          dpop: { keyId: keys.rsa, bindCode: false },
        },
      });
      const r = await run(rsaTarget.id, 'client_credentials');
      expect(r.status, summary(r)).toBe('succeeded');
      const exchange = stepOf(r, 'exchange');
      // Without a nonce policy there is no challenge.
      expect(exchange.extraExchanges).toBeUndefined();
      const proof = await proofOf(exchange.exchange!);
      expect(proof.header['alg']).toBe('PS256');
      expect(proof.claims['nonce']).toBeUndefined();
      expect(rsaOp.accessTokens).toMatchObject([{ kind: 'ClientCredentials', jkt: rsaThumbprint }]);
    } finally {
      await rsaOp.close();
    }
  });
});
