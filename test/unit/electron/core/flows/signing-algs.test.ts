/**
 * The alg of request objects and client assertions follows what the server lists
 * (`request_object_signing_alg_values_supported`, `token_endpoint_auth_signing_alg_values_supported`): the
 * key's first alg the server lists, as DPoP proofs do. The embedded server in standards mode (the strict profile,
 * FAPI 2.0 SP §5.4) accepts PS256 only from an RSA credential (PKJ-6, JAR-5) and lists just that; in Auth0 mode it
 * lists RS256, RS384 and PS256, so the key's first (RS256) stays. A server listing only algs the key cannot sign is
 * refused before any request carries a JWT, naming both lists.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRun, FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let strict: FlowHarness;
let auth0: FlowHarness;
let esOnly: ReturnType<typeof createServer>;
let esOnlyIssuer: string;

/** A client whose JAR and private_key_jwt credentials are the harness's RSA keys, registered with `alg`. */
async function clientWith(h: FlowHarness, alg: 'RS256' | 'PS256'): Promise<string> {
  const client = await h.call<{ client_id: string }>('server.createClient', {
    body: {
      name: `Flow App ${alg}`,
      app_type: 'regular_web',
      callbacks: [REDIRECT],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  await h.call('server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: h.jarKeyId, name: 'jar', alg },
    attachTo: 'signed_request_object',
  });
  await h.call('server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: h.authKeyId, name: 'pkj', alg },
    attachTo: 'private_key_jwt',
  });
  return client.client_id;
}

async function pkjTarget(h: FlowHarness, id: string, issuer: string, clientId: string, embedded: boolean): Promise<FlowTarget> {
  return h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id,
      name: id,
      issuer,
      client_id: clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded,
    },
  });
}

/** The header algs of every JWT a run recorded under `label`. */
function algsOf(run: FlowRun, label: string): unknown[] {
  return run.steps.flatMap((s) => s.jwts.filter((j) => j.label === label).map((j) => decodeProtectedHeader(j.token).alg));
}

beforeAll(async () => {
  [strict, auth0] = await Promise.all([flowHarness({ serverSettings: { profile: 'strict' } }), flowHarness()]);
  // A server whose discovery lists only ES256 for both: nothing else of it is ever reached.
  esOnly = createServer((req, res) => {
    const base = esOnlyIssuer;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        issuer: base,
        authorization_endpoint: `${base}authorize`,
        token_endpoint: `${base}oauth/token`,
        pushed_authorization_request_endpoint: `${base}oauth/par`,
        jwks_uri: `${base}.well-known/jwks.json`,
        request_object_signing_alg_values_supported: ['ES256'],
        token_endpoint_auth_signing_alg_values_supported: ['ES256'],
      }),
    );
  });
  await new Promise<void>((resolve) => esOnly.listen(0, '127.0.0.1', resolve));
  esOnlyIssuer = `http://127.0.0.1:${(esOnly.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await Promise.all([strict?.core.close(), auth0?.core.close(), new Promise((resolve) => esOnly?.close(resolve))]);
});

describe('Flows › request object and client assertion algs from discovery', () => {
  it('standards mode (PKJ-6, JAR-5): private_key_jwt + PAR + JAR signs PS256 with RSA keys and reaches a verified ID token', async () => {
    const clientId = await clientWith(strict, 'PS256');
    const target = await pkjTarget(strict, 'strict-ps256', strict.core.server.running!.urls.issuer, clientId, true);
    const r = await strict.run(target.id, 'par+jar');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(r.idTokenClaims?.['aud']).toBe(clientId);
    expect(stepOf(r, 'verify').detail?.['checked']).toContain('signature');
    // The request object as built, then as pushed; a client assertion on the PAR and on the token request.
    expect(algsOf(r, 'Request object')).toEqual(['PS256', 'PS256']);
    expect(algsOf(r, 'Client assertion')).toEqual(['PS256', 'PS256']);
    const par = strict.core.server.running!.ctx.traces.list({ endpoint: 'par' })[0]!;
    expect(par.rules.find((o) => o.id === 'PKJ-6')).toMatchObject({ passed: true });
    expect(par.rules.find((o) => o.id === 'JAR-5')).toMatchObject({ passed: true });
  });

  it('Auth0 mode lists RS256, RS384, PS256: the key’s first alg (RS256) is kept', async () => {
    const clientId = await clientWith(auth0, 'RS256');
    const target = await pkjTarget(auth0, 'auth0-rs256', auth0.core.server.running!.urls.issuer, clientId, true);
    const r = await auth0.run(target.id, 'par+jar');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(algsOf(r, 'Request object')).toEqual(['RS256', 'RS256']);
    expect(algsOf(r, 'Client assertion')).toEqual(['RS256', 'RS256']);
  });

  it('a server listing only ES256 for request objects: an RSA key is refused at build, naming both lists', async () => {
    const target = await pkjTarget(auth0, 'es-only-jar', esOnlyIssuer, 'client-1', false);
    const r = await auth0.run(target.id, 'jar');
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'build').error).toEqual({
      code: 'configuration',
      message:
        'The server does not accept request objects the key "jar" can sign: it signs RS256, RS384, RS512, PS256, PS384, PS512, and request_object_signing_alg_values_supported lists ES256. Choose a key of a listed type.',
    });
    expect(auth0.launcher.opened.some((u) => u.startsWith(esOnlyIssuer))).toBe(false);
  });

  it('a server listing only ES256 for client assertions: an RSA key is refused before the PAR is sent, naming both lists', async () => {
    const target = await pkjTarget(auth0, 'es-only-pkj', esOnlyIssuer, 'client-1', false);
    const r = await auth0.run(target.id, 'par');
    expect(r.status).toBe('failed');
    const push = stepOf(r, 'push');
    expect(push.error).toEqual({
      code: 'configuration',
      message:
        'The server does not accept client assertions the key "auth" can sign: it signs RS256, RS384, RS512, PS256, PS384, PS512, and token_endpoint_auth_signing_alg_values_supported lists ES256. Choose a key of a listed type.',
    });
    expect(push.exchange).toBeUndefined();
  });
});
