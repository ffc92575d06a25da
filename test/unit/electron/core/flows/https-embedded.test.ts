/**
 * Flows, Check issuer and Inspect against the embedded server serving https (issue #15): the core's own
 * transport trusts the data directory's local CA for the embedded issuer only (server/tls/embedded-trust.ts),
 * so nothing needs NODE_EXTRA_CA_CERTS in the app; the browser boundary (the test launcher) trusts it as a
 * user's browser would once the CA is in the OS trust store.
 */
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowTarget, IssuerSummary } from '../../../../../shared/schemas/flows';
import type { VerifyResult } from '../../../../../shared/schemas/jwt';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let h: FlowHarness;
let issuer: string;
let caPem: string;

beforeAll(async () => {
  // Saved like the Server screen's switch: the app's server starts on https.
  h = await flowHarness({ serverSettings: { https: true } });
  const status = h.core.server.status();
  expect(status.running, status.error ?? '').toBe(true);
  issuer = status.issuer!;
  caPem = readFileSync(status.tls!.caFile, 'utf8');
  const agent = new Agent({ connect: { ca: caPem } });
  h.launcher.browserFetch = async (url, init) =>
    (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Response;
});
afterAll(async () => {
  await h.core.close();
});

describe('HTTPS embedded server › the core trusts its local CA', () => {
  it('Check issuer (flows.discover) reads the https discovery document', async () => {
    expect(issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const summary = await h.call<IssuerSummary>('flows.discover', { issuer });
    expect(summary.issuer).toBe(issuer);
  });

  it('a PAR + JAR flow with private_key_jwt reaches a verified ID token over https', async () => {
    await h.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'tls',
        name: 'Embedded over https',
        issuer,
        client_id: h.clientId,
        auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid',
        jarKeyId: h.jarKeyId,
        embedded: true,
      },
    });
    const run = await h.run('tls', 'par+jar');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(stepOf(run, 'push').exchange?.request.url).toBe(`${issuer}oauth/par`);
    expect(run.idTokenClaims?.['iss']).toBe(issuer);
  });

  it('the built-in target runs client credentials against the https Management API audience', async () => {
    const run = await h.run('embedded', 'client_credentials');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    expect(stepOf(run, 'exchange').exchange?.request.url).toBe(`${issuer}oauth/token`);
  });

  it('Inspect verifies a token against the issuer (discovery, then its JWKS over https)', async () => {
    const info = h.core.server.directory.bootstrapInfo();
    const res = await h.launcher.browserFetch(`${issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: info.management.client_id,
        client_secret: info.management.client_secret,
        audience: `${issuer}api/v2/`,
      }).toString(),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const result = await h.call<VerifyResult>('jwt.verify', { token: access_token, source: { kind: 'issuer', issuer } });
    expect(result.valid, result.message).toBe(true);
  });
});
