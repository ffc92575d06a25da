/**
 * Interop of the flow engine with oidc-provider (panva), a certified OpenID Provider started in-process
 * on 127.0.0.1 with PAR, request objects and private_key_jwt: JAR by value, PAR and PAR+JAR each reach a
 * verified ID token through a REAL core (vault keys, contract dispatch), a non-embedded target found by
 * discovery, and oidc-provider's own login and consent pages; client_credentials with private_key_jwt;
 * and a request object with a wrong aud stops at the right step with oidc-provider's error named.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/host/core';
import { createCore } from '../../electron/core/host/core';
import type { FlowRun, FlowTarget } from '../../shared/schemas/flows';
import type { ExportedFile } from '../../shared/schemas/keys';
import type { RunningProvider } from './oidc-provider-helpers';
import { OidcProviderLauncher, callerOf, startOidcProvider, stepOf, summary } from './oidc-provider-helpers';

const CLIENT_ID = 'parley-interop';
/** Nothing listens here: the launcher stops at the redirect. */
const REDIRECT = 'http://127.0.0.1:53998/callback';

let dir: string;
let core: Core;
let op: RunningProvider;
let target: FlowTarget;
const launcher = new OidcProviderLauncher();

const call = callerOf(() => core);

async function run(kind: FlowRun['kind'], extra: Record<string, unknown> = {}): Promise<FlowRun> {
  const started = await call<FlowRun>('flows.start', { targetId: target.id, kind, ...extra });
  return core.flows.settled(started.id);
}

function expectVerified(r: FlowRun): void {
  expect(r.status, summary(r)).toBe('succeeded');
  expect(
    r.steps.every((s) => s.status === 'ok'),
    summary(r),
  ).toBe(true);
  const claims = r.idTokenClaims!;
  expect(claims['iss']).toBe(op.issuer);
  expect(claims['aud']).toBe(CLIENT_ID);
  expect(claims['sub']).toBe('alice');
  // The nonce the build step sent is the one oidc-provider put in the ID token (and verify checked it).
  expect(claims['nonce']).toBe((stepOf(r, 'build').detail?.['parameters'] as Record<string, string>)['nonce']);
  expect(stepOf(r, 'verify').detail?.['checked']).toContain('nonce');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-oidc-provider-'));
  core = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: { N: 1024, r: 8, p: 1 }, browserLauncher: launcher, log: () => {} });
  await call('vault.setup', { passphrase: 'correct horse battery staple' });
  // Separate keys per use, generated in the vault; only their public JWKs leave it, through the contract.
  const jarKey = await call<{ id: string }>('keys.generate', { name: 'jar', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
  const authKey = await call<{ id: string }>('keys.generate', { name: 'auth', spec: { kty: 'EC', crv: 'P-256' }, usages: ['client-auth'] });
  const keys: JWK[] = [];
  for (const id of [jarKey.id, authKey.id]) {
    const exported = await call<ExportedFile>('keys.exportPublic', { id, format: 'jwks' });
    const jwks = JSON.parse(exported.content) as { keys: JWK[] };
    expect(jwks.keys[0]?.d).toBeUndefined();
    keys.push(...jwks.keys);
  }
  op = await startOidcProvider({ client_id: CLIENT_ID, redirect_uri: REDIRECT, authAlg: 'ES256', jarAlg: 'RS256', jwks: { keys } });
  target = await call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'oidc-provider',
      name: 'oidc-provider (in-process)',
      issuer: op.issuer,
      client_id: CLIENT_ID,
      auth: { method: 'private_key_jwt', keyId: authKey.id, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid email',
      jarKeyId: jarKey.id,
      embedded: false,
    },
  });
});
afterAll(async () => {
  await core?.close();
  await op?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Flows × oidc-provider › JAR, PAR and PAR+JAR reach a verified ID token', () => {
  it('JAR by value: the request object signed in the vault is accepted at /auth and the ID token verifies', async () => {
    const r = await run('jar');
    expectVerified(r);
    const url = new URL(launcher.opened.at(-1)!);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request']);
    const requestObject = stepOf(r, 'build').jwts[0]!;
    expect(requestObject.label).toBe('Request object');
    expect(decodeProtectedHeader(requestObject.token)).toMatchObject({ alg: 'RS256', typ: 'oauth-authz-req+jwt' });
    expect(decodeJwt(requestObject.token)).toMatchObject({
      iss: CLIENT_ID,
      aud: op.issuer,
      client_id: CLIENT_ID,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    const assertion = stepOf(r, 'exchange').jwts.find((j) => j.label === 'Client assertion')!;
    expect(decodeProtectedHeader(assertion.token).alg).toBe('ES256');
    expect(decodeJwt(assertion.token)).toMatchObject({ iss: CLIENT_ID, sub: CLIENT_ID, aud: op.issuer });
    expect(stepOf(r, 'callback').detail?.['callbackUrl']).toContain(`iss=${encodeURIComponent(op.issuer)}`);
  });

  it('PAR: discovers the PAR endpoint, pushes the parameters with private_key_jwt, opens /auth with the request_uri only, and verifies the ID token', async () => {
    const r = await run('par');
    expectVerified(r);
    expect(stepOf(r, 'discover').detail).toMatchObject({
      issuer: op.issuer,
      pushed_authorization_request_endpoint: `${op.issuer}/request`,
      token_endpoint: `${op.issuer}/token`,
    });
    const push = stepOf(r, 'push');
    expect(push.exchange?.response?.status).toBe(201);
    expect(push.detail?.['request_uri']).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(push.jwts.map((j) => j.label)).toEqual(['Client assertion']);
    const url = new URL(launcher.opened.at(-1)!);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('request_uri')).toBe(push.detail?.['request_uri']);
  });

  it('PAR+JAR: pushes the signed request object and verifies the ID token', async () => {
    const r = await run('par+jar');
    expectVerified(r);
    const push = stepOf(r, 'push');
    expect(push.exchange?.response?.status).toBe(201);
    expect(push.jwts.map((j) => j.label).sort()).toEqual(['Client assertion', 'Request object']);
    expect(new URLSearchParams(push.exchange!.request.body).has('scope')).toBe(false);
  });

  it('client_credentials with private_key_jwt: discover then exchange, no browser', async () => {
    const before = launcher.opened.length;
    const r = await run('client_credentials');
    expect(r.status, summary(r)).toBe('succeeded');
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ['discover', 'ok'],
      ['exchange', 'ok'],
    ]);
    expect(stepOf(r, 'exchange').exchange?.response?.status).toBe(200);
    expect(stepOf(r, 'exchange').detail?.['token_type']).toBe('Bearer');
    expect(launcher.opened.length).toBe(before);
  });
});

describe('Flows × oidc-provider › a request object with a wrong aud is rejected at the right step', () => {
  it("PAR+JAR: the push step fails with par_rejected and oidc-provider's invalid_request_object", async () => {
    const before = launcher.opened.length;
    const r = await run('par+jar', { jarClaims: { aud: 'https://wrong.example/' } });
    expect(r.status).toBe('failed');
    const push = stepOf(r, 'push');
    expect(push.status).toBe('failed');
    expect(push.exchange?.response?.status).toBe(400);
    expect(push.error?.code).toBe('par_rejected');
    expect(push.error?.message).toMatch(/\(400 invalid_request_object: Request Object claims are invalid/);
    expect(op.errors.at(-1)).toMatchObject({ event: 'pushed_authorization_request.error', error: 'invalid_request_object' });
    expect(stepOf(r, 'authorize').status).toBe('pending');
    expect(launcher.opened.length).toBe(before);
  });

  it('JAR by value: oidc-provider answers the redirect with the error, and the callback step names it', async () => {
    const r = await run('jar', { jarClaims: { aud: 'https://wrong.example/' } });
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'authorize').status).toBe('ok');
    const callback = stepOf(r, 'callback');
    expect(callback.status).toBe('failed');
    expect(callback.error?.code).toBe('authorization_error');
    expect(callback.error?.message).toMatch(/returned an error to the callback: invalid_request_object — Request Object claims are invalid/);
    const returned = new URL(callback.detail?.['callbackUrl'] as string).searchParams;
    expect(returned.get('iss')).toBe(op.issuer);
    expect(returned.get('state')).toBe((stepOf(r, 'build').detail?.['parameters'] as Record<string, string>)['state']);
    expect(op.errors.at(-1)).toMatchObject({ event: 'authorization.error', error: 'invalid_request_object' });
    expect(stepOf(r, 'exchange').status).toBe('pending');
  });
});
