/**
 * Interop with openid-client v6 (panva) as a DPoP client of the embedded server (issue 17, RFC 9449): a
 * public client's authorization code flow with PKCE and `client.getDPoPHandle`, where the server's nonce
 * challenge (DPN-1) is answered by openid-client's own retry, the bound access token (cnf.jkt) used at
 * /userinfo with the DPoP scheme, and a confidential client's client-credentials grant with a proof.
 */
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../unit/electron/core/server/endpoints/helpers';
import { Browser, CALLBACK, signIn, startServer } from '../unit/electron/core/server/endpoints/helpers';

let h: Harness;
let keyPair: CryptoKeyPair;
let jkt: string;

beforeAll(async () => {
  h = await startServer({ consent: false });
  keyPair = (await generateKeyPair('ES256', { extractable: true })) as CryptoKeyPair;
  jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
});
afterAll(async () => {
  await h.close();
});

describe('openid-client v6 › DPoP against the embedded server', () => {
  it('public client: code + PKCE with a DPoP handle, the nonce retry done by openid-client, a bound token, /userinfo with DPoP', async () => {
    const created = (await h.server.ctx.directory.createClient({
      name: 'openid-client DPoP',
      app_type: 'spa',
      callbacks: [CALLBACK],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
    })) as unknown as { client_id: string };
    const config = await client.discovery(new URL(h.base), created.client_id, {}, client.None(), { execute: [client.allowInsecureRequests] });
    const dpop = client.getDPoPHandle(config, keyPair);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      dpop_jkt: jkt,
    });
    const callback = await signIn(h, new Browser(), url.href);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: dpop });
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
    // The first token request was challenged for a nonce (DPN-1) and openid-client retried with the same code.
    const tokenTraces = h.traces.filter((t) => t.endpoint === 'token');
    expect(tokenTraces.map((t) => [t.status, t.failedRule ?? null])).toEqual([
      [400, 'DPN-1'],
      [200, null],
    ]);
    const claims = tokens.claims()!;
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP: dpop });
    expect(info.sub).toBe(claims.sub);
    const userinfoTrace = h.traces.filter((t) => t.endpoint === 'userinfo').at(-1)!;
    expect(userinfoTrace.rules.find((r) => r.id === 'DPB-12')?.passed).toBe(true);
  });

  it('confidential client: client credentials with a proof give a DPoP-bound token', async () => {
    const api = 'https://interop-api.example.com/';
    const created = (await h.server.ctx.directory.createClient({
      name: 'openid-client DPoP m2m',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    })) as unknown as { client_id: string; client_secret: string };
    await h.server.ctx.directory.createResourceServer({ identifier: api, proof_of_possession: { mechanism: 'dpop', required: true } });
    await h.server.ctx.directory.createClientGrant({ client_id: created.client_id, audience: api, scope: [] });
    const config = await client.discovery(new URL(h.base), created.client_id, {}, client.ClientSecretPost(created.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    const tokens = await client.clientCredentialsGrant(config, { audience: api }, { DPoP: client.getDPoPHandle(config, keyPair) });
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
  });
});
