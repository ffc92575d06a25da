/**
 * A DPoP target whose vault key is Ed25519, against the embedded server (issue 17: "RSA and Ed25519 where the
 * server lists them"). Standards mode (the strict profile) lists EdDSA in dpop_signing_alg_values_supported
 * (DPC-11, DPP-4's FAPI list): the flow signs EdDSA proofs and gets a token bound to the key. Auth0 mode omits
 * the list; the key's own first alg (EdDSA) is sent and the server refuses it by DPP-4, named in the run.
 */
import { EmbeddedJWK, compactVerify, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let strict: FlowHarness;
let auth0: FlowHarness;

async function edTarget(h: FlowHarness): Promise<{ target: FlowTarget; thumbprint: string }> {
  const key = await h.call<{ id: string; thumbprint: string }>('keys.generate', {
    name: 'dpop-ed25519',
    spec: { kty: 'OKP', crv: 'Ed25519' },
    usages: ['other'],
  });
  const target = await h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'dpop-ed',
      name: 'Embedded DPoP (Ed25519)',
      issuer: h.core.server.running!.urls.issuer,
      client_id: h.clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded: true,
      dpop: { keyId: key.id, bindCode: true },
    },
  });
  return { target, thumbprint: key.thumbprint };
}

beforeAll(async () => {
  [strict, auth0] = await Promise.all([flowHarness({ serverSettings: { profile: 'strict' } }), flowHarness()]);
});
afterAll(async () => {
  await Promise.all([strict?.core.close(), auth0?.core.close()]);
});

describe('Flows › DPoP with an Ed25519 vault key against the embedded server (DPP-4, DPC-11)', () => {
  it('standards mode lists EdDSA: a public client with EdDSA proofs (nonce retry included), a token bound to the Ed25519 key, /userinfo 200 with the DPoP scheme', async () => {
    const key = await strict.call<{ id: string; thumbprint: string }>('keys.generate', {
      name: 'dpop-ed25519-public',
      spec: { kty: 'OKP', crv: 'Ed25519' },
      usages: ['other'],
    });
    const pub = await strict.call<{ client_id: string }>('server.createClient', {
      body: { name: 'Public Ed25519', app_type: 'spa', callbacks: [REDIRECT], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
    });
    const target = await strict.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'dpop-ed-public',
        name: 'Embedded DPoP (Ed25519, public)',
        issuer: strict.core.server.running!.urls.issuer,
        client_id: pub.client_id,
        auth: { method: 'none', hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid profile email',
        embedded: true,
        dpop: { keyId: key.id, bindCode: true },
      },
    });
    const r = await strict.run(target.id, 'plain');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    const discover = stepOf(r, 'discover');
    expect(discover.detail?.['dpop_signing_alg_values_supported']).toContain('EdDSA');
    expect(discover.detail?.['dpop']).toEqual({ alg: 'EdDSA', jkt: key.thumbprint });
    const exchange = stepOf(r, 'exchange');
    expect((exchange.extraExchanges ?? []).map((e) => e.reason)).toEqual(['use_dpop_nonce']);
    const proofs = [...(exchange.extraExchanges ?? []).map((e) => e.exchange), exchange.exchange!].map((e) => e.request.headers['dpop']!);
    for (const proof of proofs) {
      const { protectedHeader } = await compactVerify(proof, EmbeddedJWK);
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'dpop+jwt', jwk: { kty: 'OKP', crv: 'Ed25519' } });
    }
    expect(exchange.detail?.['token_type']).toBe('DPoP');
    const tokenTrace = strict.core.server.running!.ctx.traces.list({ endpoint: 'token' })[0]!;
    expect(tokenTrace.rules.find((o) => o.id === 'DPP-4')).toMatchObject({ passed: true });
    expect(tokenTrace.rules.find((o) => o.id === 'DPB-2')?.actual).toBe(`cnf.jkt ${key.thumbprint}`);
    expect(stepOf(r, 'verify').detail?.['userinfo']).toMatchObject({ scheme: 'DPoP', status: 200 });
  });

  it('Auth0 mode lists no algs (DPC-11): the Ed25519 key signs EdDSA, and the server refuses it by DPP-4, named in the run', async () => {
    const { target } = await edTarget(auth0);
    const r = await auth0.run(target.id, 'par+jar');
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'discover').detail?.['dpop_signing_alg_values_supported']).toBeNull();
    const push = stepOf(r, 'push');
    expect(push.status).toBe('failed');
    expect(decodeProtectedHeader(push.exchange!.request.headers['dpop']!).alg).toBe('EdDSA');
    expect(push.exchange!.response?.status).toBe(400);
    expect(JSON.parse(push.exchange!.response!.body!)).toMatchObject({ error: 'invalid_dpop_proof' });
    expect(push.error?.message).toMatch(/DPP-4/);
    expect(push.serverTraces?.some((t) => t.failedRule === 'DPP-4')).toBe(true);
  });

  it('an Ed25519 key chosen to sign request objects is refused before any request, naming CRD-2', async () => {
    const key = await strict.call<{ id: string }>('keys.generate', { name: 'ed-other', spec: { kty: 'OKP', crv: 'Ed25519' }, usages: [] });
    const target = await strict.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'ed-jar',
        name: 'Ed25519 as JAR key',
        issuer: strict.core.server.running!.urls.issuer,
        client_id: strict.clientId,
        auth: { method: 'private_key_jwt', keyId: strict.authKeyId, hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid',
        jarKeyId: key.id,
        embedded: true,
      },
    });
    const r = await strict.run(target.id, 'jar');
    expect(r.status).toBe('failed');
    const build = stepOf(r, 'build');
    expect(build.error).toEqual({
      code: 'configuration',
      message:
        'The key "ed-other" is an Ed25519 key, which signs DPoP proofs only: Auth0 accepts only RSA keys as client credentials (CRD-2), so request objects need an RSA key. Choose one in the target.',
    });
    expect(strict.launcher.opened.some((u) => u.includes('ed-jar'))).toBe(false);
  });
});
