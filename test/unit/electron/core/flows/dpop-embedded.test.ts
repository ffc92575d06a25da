/**
 * A DPoP target against the embedded server, through the contract: the flow engine sends proofs on PAR and
 * token requests and uses the access token at /userinfo with the scheme its token_type names. The emulator
 * binds (issue 17): token_type DPoP, cnf.jkt = the vault key's thumbprint, /userinfo 200 with the DPoP scheme;
 * a public client is challenged for a nonce, and the retry shows as its own exchange (dpop-rules.md §11).
 */
import { EmbeddedJWK, compactVerify, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowExchange, FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let h: FlowHarness;
let target: FlowTarget;
let dpopKey: { id: string; thumbprint: string };

beforeAll(async () => {
  h = await flowHarness();
  dpopKey = await h.call<{ id: string; thumbprint: string }>('keys.generate', { name: 'dpop', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
  const issuer = h.core.server.running!.urls.issuer;
  target = await h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'dpop',
      name: 'Embedded DPoP',
      issuer,
      client_id: h.clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded: true,
      dpop: { keyId: dpopKey.id, bindCode: false },
    },
  });
});
afterAll(async () => {
  await h.core.close();
});

async function proofClaims(exchange: FlowExchange | undefined): Promise<Record<string, unknown>> {
  const proof = exchange?.request.headers['dpop'];
  expect(proof).toBeTypeOf('string');
  await compactVerify(proof!, EmbeddedJWK);
  return decodeJwt(proof!);
}

describe('Flows › DPoP target against the embedded server', () => {
  it('PAR + JAR: proofs on PAR and token, a verified ID token, and /userinfo called with the scheme the token response named', async () => {
    const r = await h.run(target.id, 'par+jar');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(stepOf(r, 'discover').detail?.['dpop']).toEqual({ alg: 'ES256', jkt: dpopKey.thumbprint });
    const issuer = h.core.server.running!.urls.issuer;
    expect(await proofClaims(stepOf(r, 'push').exchange)).toMatchObject({ htm: 'POST', htu: new URL('oauth/par', issuer).href });
    expect(await proofClaims(stepOf(r, 'exchange').exchange)).toMatchObject({ htm: 'POST', htu: new URL('oauth/token', issuer).href });
    const tokenType = stepOf(r, 'exchange').detail?.['token_type'];
    expect(tokenType).toBe('DPoP');
    const scheme = 'DPoP';
    const server = h.core.server.running!;
    const tokenTrace = server.ctx.traces.list({ endpoint: 'token' })[0]!;
    expect(tokenTrace.rules.find((o) => o.id === 'DPB-2')?.actual).toBe(`cnf.jkt ${dpopKey.thumbprint}`);
    const verify = stepOf(r, 'verify');
    const userinfo = verify.extraExchanges!.filter((e) => e.reason === 'access_token_check');
    expect(userinfo.map((e) => e.exchange.response?.status)).toEqual([200]);
    expect(userinfo[0]!.exchange.request.headers['authorization']).toBe(`${scheme} [redacted]`);
    // A proof (with ath) goes only with the DPoP scheme.
    expect(userinfo[0]!.exchange.request.headers['dpop'] !== undefined).toBe(scheme === 'DPoP');
    expect(verify.detail?.['userinfo']).toMatchObject({ scheme, status: 200 });
  });

  it('a public client: the nonce challenge at the token endpoint is its own exchange, the retry gets a bound token', async () => {
    const pub = await h.call<{ client_id: string }>('server.createClient', {
      body: { name: 'Public DPoP', app_type: 'spa', callbacks: [REDIRECT], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
    });
    const issuer = h.core.server.running!.urls.issuer;
    const publicTarget = await h.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'dpop-public',
        name: 'Embedded DPoP (public)',
        issuer,
        client_id: pub.client_id,
        auth: { method: 'none', hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid profile email',
        embedded: true,
        dpop: { keyId: dpopKey.id, bindCode: true },
      },
    });
    const r = await h.run(publicTarget.id, 'plain');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    const exchange = stepOf(r, 'exchange');
    expect(exchange.detail?.['token_type']).toBe('DPoP');
    const challenges = (exchange.extraExchanges ?? []).filter((e) => e.reason === 'use_dpop_nonce');
    expect(challenges).toHaveLength(1);
    expect(challenges[0]!.exchange.response?.status).toBe(400);
    expect(challenges[0]!.exchange.response?.headers['dpop-nonce']).toBeTruthy();
    // The retry (the step's own exchange) carries the nonce the challenge handed out.
    const retried = await proofClaims(exchange.exchange);
    expect(retried['nonce']).toBe(challenges[0]!.exchange.response?.headers['dpop-nonce']);
    expect(stepOf(r, 'verify').detail?.['userinfo']).toMatchObject({ scheme: 'DPoP', status: 200 });
  });
});
