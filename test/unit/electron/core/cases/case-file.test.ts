/**
 * Case files (issue #6): (a) secrets are absent BY CONSTRUCTION — random secrets planted in every
 * secret-bearing place of a run, its target, the client, the vault and the credentials never reach the
 * file, nor does the private key in any encoding; (b) a failing PAR + JAR run exported on one core and
 * imported by a NEW core over a NEW data directory fails again with the same rule and the same words, with
 * the server's clock set back to the recorded time; (c) the clock offset really applies to the server's
 * checks, traces and credential expiry ("Make expired").
 */
import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../electron/core/clock';
import { buildCaseFile } from '../../../../../electron/core/cases/case-builder';
import type { CaseSources } from '../../../../../electron/core/cases/case-builder';
import type { CaseExportDeps } from '../../../../../electron/core/cases/case-export';
import { exportCase } from '../../../../../electron/core/cases/case-export';
import { parseCaseFile } from '../../../../../electron/core/cases/case-file';
import type { Core } from '../../../../../electron/core/host/core';
import { createCore } from '../../../../../electron/core/host/core';
import type { CredentialView } from '../../../../../electron/core/server/state/types';
import { createSelfSignedCertificate } from '../../../../../electron/core/vault/certificate';
import type { CaseExport, CaseImportPreview, CaseImportResult } from '../../../../../shared/schemas/case';
import { CASE_FORMAT } from '../../../../../shared/schemas/case';
import type { FlowRun, FlowStep, FlowTarget } from '../../../../../shared/schemas/flows';
import type { KeyDetail } from '../../../../../shared/schemas/keys';
import type { RequestTrace, ServerStatus } from '../../../../../shared/schemas/server';
import { traceHostTimeMs } from '../../../../../shared/schemas/server';
import type { FlowHarness } from '../flows/helpers';
import { REDIRECT, flowHarness, stepOf } from '../flows/helpers';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const fakeJwt = (payload: Record<string, unknown>, signature: string) =>
  `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${signature}`;

// ---- (a) by-construction secret freedom -------------------------------------------------------------

describe('Case files › no secret can be present (by construction)', () => {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let privatePem: string;
  let privateDerBase64: string;
  let privateJwk: Record<string, string>;
  let certificatePem: string;

  beforeAll(async () => {
    ({ privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    privateDerBase64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    privateJwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
    certificatePem = (await createSelfSignedCertificate({ privateKey, publicKey, shape: { kty: 'RSA', size: 2048 }, commonName: 'case test', days: 30 })).pem;
  });

  /** Every encoding of the private key that must never appear. */
  function privateForms(): string[] {
    const forms = [
      privatePem,
      JSON.stringify(privatePem).slice(1, -1),
      privateDerBase64,
      privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64'),
    ];
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      const value = privateJwk[member]!;
      forms.push(value, Buffer.from(value, 'base64url').toString('base64').replace(/=+$/, ''));
    }
    return forms;
  }

  const secret = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/);
  const planted = fc.record({
    clientSecret: secret,
    refreshToken: secret,
    password: secret,
    accessTokenSignature: secret,
    code: secret,
    codeVerifier: secret,
    cookie: secret,
    extraName: fc.stringMatching(/^[a-z][a-z_]{2,12}$/),
    extraValue: secret,
  });
  type Planted = typeof planted extends fc.Arbitrary<infer T> ? T : never;

  /** A run whose every secret-bearing place holds a planted secret, as if redaction had failed everywhere. */
  function plantedRun(p: Planted, clientId: string, issuer: string): FlowRun {
    const basic = Buffer.from(`${clientId}:${p.clientSecret}`).toString('base64');
    const requestObject = fakeJwt({ iss: clientId, aud: 'https://wrong.example/' }, 'c2lnbmF0dXJl');
    const assertion = fakeJwt({ iss: clientId, sub: clientId, aud: issuer }, 'YXNzZXJ0aW9u');
    const accessToken = fakeJwt({ sub: clientId, aud: 'https://api.example/' }, p.accessTokenSignature);
    const refreshJwt = fakeJwt({ typ: 'refresh' }, p.refreshToken);
    const trace: RequestTrace = {
      id: 't1',
      at: '2030-01-01T00:00:00.000Z',
      method: 'POST',
      endpoint: 'par',
      path: '/oauth/par',
      status: 400,
      failedRule: 'JAR-11',
      rules: [{ id: 'JAR-11', passed: false, summary: 's', message: 'm', fix: 'f', source: 'x', expected: 'e', actual: 'a' }],
      durationMs: 3,
    };
    const step = (name: FlowStep['name'], extra: Partial<FlowStep>): FlowStep => ({ id: name, name, status: 'ok', jwts: [], serverTraceIds: [], ...extra });
    const withJunk = <T extends object>(value: T): T =>
      Object.assign(value, { [p.extraName]: p.extraValue, client_secret: p.clientSecret, privateKey: privatePem });
    return withJunk({
      id: 'run1',
      kind: 'par+jar',
      targetId: 'tgt',
      options: { pkce: true, jarClaims: { aud: 'https://wrong.example/' } },
      status: 'failed',
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:01.000Z',
      authorizeUrl: `https://user:${p.password}@idp.example/authorize?client_id=${clientId}&client_secret=${p.clientSecret}&password=${p.password}&state=s#${p.code}`,
      steps: [
        step('discover', { detail: { issuer, client_secret: p.clientSecret } }),
        step('build', {
          jwts: [{ label: 'Request object', token: requestObject }],
          detail: { parameters: { client_id: clientId, state: 'st', password: p.password, client_secret: p.clientSecret } },
        }),
        withJunk(
          step('push', {
            status: 'failed',
            jwts: [
              { label: 'Request object', token: requestObject },
              { label: 'Client assertion', token: assertion },
            ],
            exchange: withJunk({
              request: {
                method: 'POST',
                url: `${issuer}oauth/par?client_secret=${p.clientSecret}`,
                headers: {
                  'content-type': 'application/x-www-form-urlencoded',
                  authorization: `Basic ${basic}`,
                  cookie: `sid=${p.cookie}`,
                  'x-api-key': p.clientSecret,
                },
                body: `client_id=${clientId}&client_secret=${p.clientSecret}&password=${p.password}&refresh_token=${p.refreshToken}&request=${requestObject}&client_assertion=${assertion}&${p.extraName}=${p.extraValue}`,
              },
              response: {
                status: 400,
                headers: { 'content-type': 'application/json', 'set-cookie': `sid=${p.cookie}` },
                body: JSON.stringify({ error: 'invalid_request_object', client_secret: p.clientSecret }),
              },
              durationMs: 5,
            }),
            serverTraceIds: ['t1'],
            serverTraces: [trace],
            error: { code: 'par_rejected', message: 'JAR-11 failed' },
            detail: { request_uri: 'urn:x', client_secret: p.clientSecret, private_key: privatePem },
          }),
        ),
        step('callback', { detail: { callbackUrl: `${REDIRECT}?code=${p.code}&state=st&iss=${encodeURIComponent(issuer)}` } }),
        step('exchange', {
          jwts: [
            { label: 'Access token', token: accessToken },
            { label: 'refresh_token', token: refreshJwt },
            { label: 'Client secret', token: fakeJwt({}, p.clientSecret) },
          ],
          exchange: {
            request: {
              method: 'POST',
              url: `${issuer}oauth/token`,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: `grant_type=authorization_code&code=${p.code}&code_verifier=${p.codeVerifier}&client_secret=${p.clientSecret}&username=alice&password=${p.password}`,
            },
            response: {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                access_token: accessToken,
                refresh_token: p.refreshToken,
                id_token: requestObject,
                token_type: 'Bearer',
                password: p.password,
                nested: { client_secret: p.clientSecret },
                keys: [privateJwk],
              }),
            },
            durationMs: 7,
          },
          detail: { code_verifier: p.codeVerifier, token_type: 'Bearer', refresh_token: p.refreshToken },
        }),
        step('verify', { detail: { checked: ['signature'], password: p.password } }),
      ],
      idTokenClaims: { sub: 'auth0|1' },
    } as FlowRun);
  }

  function plantedTarget(p: Planted, clientId: string, issuer: string, embedded: boolean): FlowTarget {
    return Object.assign(
      {
        id: 'tgt',
        name: 'Customer',
        issuer,
        client_id: clientId,
        auth: Object.assign({ method: 'private_key_jwt' as const, keyId: 'authkey-1234', hasSecret: true }, { secret: p.clientSecret, privateKey: privatePem }),
        redirect_uri: REDIRECT,
        scope: 'openid',
        jarKeyId: 'jarkey-12345',
        embedded,
      },
      { client_secret: p.clientSecret, password: p.password },
    );
  }

  /** A vault that would hand out every secret it has, if asked (the exporter only ever asks for public keys). */
  function leakyVault(p: Planted): CaseExportDeps['vault'] & { getSecret(): string; exportPrivate(): string } {
    const detail = Object.assign(
      {
        id: 'authkey-1234',
        name: 'customer key',
        kty: 'RSA' as const,
        algs: ['RS256' as const],
        usages: [],
        thumbprint: 'dGh1bWJwcmludC1vZi10aGUta2V5LWZvci10ZXN0cw',
        hasPrivateKey: true,
        createdAt: '2030-01-01T00:00:00.000Z',
        expiresAt: null,
        certificate: null,
        warnings: [],
        publicJwk: { kty: 'RSA' as const, n: privateJwk['n']!, e: privateJwk['e']! },
        // A bug upstream handing the private half as the "public" PEM still yields only the public key.
        publicPem: privatePem,
        certificatePem: `${certificatePem}${privatePem}`,
      },
      { privateJwk, privatePem, secret: p.clientSecret },
    ) as KeyDetail;
    return { status: () => ({ state: 'unlocked' }), get: () => detail, getSecret: () => p.clientSecret, exportPrivate: () => privatePem };
  }

  function stubDeps(p: Planted, run: FlowRun, target: FlowTarget): CaseExportDeps {
    const credential = Object.assign(
      {
        id: 'cred_1',
        client_id: target.client_id,
        kid: 'kid-of-the-customer-key',
        alg: 'RS256' as const,
        name: 'pkj',
        expires_at: null,
        publicKey: privateKey,
      },
      { pem: privatePem },
    ) as CredentialView;
    return {
      version: '9.9.9',
      runs: { get: () => run },
      targets: { list: () => [target] },
      directory: {
        getClientForUi: () => ({
          client_id: target.client_id,
          client_secret: p.clientSecret,
          name: 'App',
          callbacks: [REDIRECT],
          grant_types: ['authorization_code'],
          client_authentication_methods: { private_key_jwt: { credentials: [{ id: 'cred_1' }] } },
          signed_request_object: { required: true, credentials: [{ id: 'cred_1' }] },
          refresh_token: { rotation_type: 'rotating', token: p.refreshToken },
          signing_keys: [{ pkcs7: privatePem }],
          [p.extraName]: p.extraValue,
        }),
        listClientGrants: () => [Object.assign({ client_id: target.client_id, audience: 'https://api.example/', scope: ['read'] }, { secret: p.clientSecret })],
        slotCredentials: () => [credential],
      },
      settings: () =>
        Object.assign(
          {
            profile: 'auth0' as const,
            loopbackAnyPort: false,
            consent: true,
            parEnabled: true,
            parRequired: false,
            issParameter: false,
            jarReplayCheck: false,
            clockOffsetSeconds: 0,
            port: 4747,
            https: false,
          },
          { managementSecret: p.clientSecret },
        ),
      vault: leakyVault(p),
    };
  }

  function expectClean(text: string, p: Planted, clientId: string): void {
    const values = [p.clientSecret, p.refreshToken, p.password, p.accessTokenSignature, p.code, p.codeVerifier, p.cookie, p.extraValue];
    for (const value of values) expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(`${clientId}:${p.clientSecret}`).toString('base64'));
    for (const form of privateForms()) expect(text).not.toContain(form);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toMatch(/"d"\s*:/);
  }

  it('keeps none of the planted secrets, whatever they are, through the builder and the exporter (embedded and other issuers)', () => {
    const issuer = 'http://127.0.0.1:4747/';
    fc.assert(
      fc.property(planted, fc.boolean(), (p, embedded) => {
        const clientId = 'CustomerClient0123456789abcdefAB';
        const run = plantedRun(p, clientId, issuer);
        const target = plantedTarget(p, clientId, issuer, embedded);
        const deps = stubDeps(p, run, target);
        // The builder given secret-bearing sources directly…
        const sources: CaseSources = {
          parleyVersion: '9.9.9',
          exportedAt: '2030-01-01T00:00:02.000Z',
          run,
          target,
          issuer,
          client: deps.directory.getClientForUi(clientId) as Record<string, unknown>,
          grants: deps.directory.listClientGrants(),
          serverSettings: deps.settings(),
          credentials: [
            Object.assign(
              {
                slots: ['private_key_jwt' as const, 'signed_request_object' as const],
                kid: 'kid-of-the-customer-key',
                alg: 'RS256',
                name: 'k',
                expires_at: null,
                key: privatePem,
                certificatePem: `${privatePem}\n${certificatePem}`,
              },
              { d: privateJwk['d'] },
            ),
          ],
        };
        const built = JSON.stringify(buildCaseFile(sources));
        expectClean(built, p, clientId);
        // …and the exporter reading the (leaky) services of the core.
        const exported = exportCase(deps, 'run1');
        expectClean(exported.json, p, clientId);
        // The public key and the JWTs as sent are there, and the file reads back.
        const file = parseCaseFile(exported.json);
        expect(file.credentials[0]?.publicKeyPem).toBe(publicKey.export({ type: 'spki', format: 'pem' }).toString());
        expect(file.run.steps.find((s) => s.name === 'push')?.jwts.map((j) => j.label)).toEqual(['Request object', 'Client assertion']);
        const exchange = file.run.steps.find((s) => s.name === 'exchange')!;
        expect(exchange.jwts).toEqual([expect.objectContaining({ label: 'Access token', signatureRemoved: true })]);
        expect(exchange.jwts[0]?.token.endsWith('.')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a certificate for the key, alone', () => {
    const p = fc.sample(planted, 1)[0]!;
    const run = plantedRun(p, 'C1234567890', 'https://tenant.example/');
    const deps = stubDeps(p, run, plantedTarget(p, 'C1234567890', 'https://tenant.example/', false));
    const file = parseCaseFile(exportCase(deps, 'run1').json);
    expect(file.credentials[0]?.certificatePem?.trim()).toBe(certificatePem.trim());
    expect(file.credentials[0]?.slots).toEqual(['private_key_jwt', 'signed_request_object']);
  });

  it('registers the alg the run signed with (PS256 at a FAPI 2 server), not the key’s first alg', () => {
    const p = fc.sample(planted, 1)[0]!;
    const run = plantedRun(p, 'C1234567890', 'https://tenant.example/');
    const thumbprint = 'dGh1bWJwcmludC1vZi10aGUta2V5LWZvci10ZXN0cw';
    const signed = `${b64url(JSON.stringify({ alg: 'PS256', typ: 'JWT', kid: thumbprint }))}.${b64url('{}')}.c2ln`;
    const proof = `${b64url(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', kid: thumbprint }))}.${b64url('{}')}.c2ln`;
    run.steps.find((s) => s.name === 'push')!.jwts = [
      { label: 'DPoP proof', token: proof },
      { label: 'Client assertion', token: signed },
    ];
    const deps = stubDeps(p, run, plantedTarget(p, 'C1234567890', 'https://tenant.example/', false));
    expect(parseCaseFile(exportCase(deps, 'run1').json).credentials[0]?.alg).toBe('PS256');
    // Without a recorded JWT by that key, the key's first alg (RS256) stays.
    for (const step of run.steps) step.jwts = [];
    expect(parseCaseFile(exportCase(deps, 'run1').json).credentials[0]?.alg).toBe('RS256');
  });
});

// ---- reading case files -------------------------------------------------------------------------

describe('Case files › reading', () => {
  it('names the problem of a malformed or foreign file', () => {
    const read = (text: string) => {
      try {
        parseCaseFile(text);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(read('{not json')).toMatch(/^This file is not JSON/);
    expect(read('[1, 2]')).toMatch(/not a Parley case file/);
    expect(read('{"keys": []}')).toMatch(/has no "format" member/);
    expect(read('{"format": "parley-case/2"}')).toMatch(/format parley-case\/2, which this version of Parley cannot read \(it reads parley-case\/1\)/);
    expect(read('{"format": "something-else"}')).toMatch(/its format is "something-else"/);
    expect(read(`{"format": "${CASE_FORMAT}"}`)).toMatch(/damaged or incomplete at parley: /);
  });
});

// ---- (b) round trip with real cores --------------------------------------------------------------

describe('Case files › a failing PAR + JAR run, exported and imported on a wiped machine, fails the same way', () => {
  let h: FlowHarness;
  let other: Core;
  const otherDir = mkdtempSync(join(tmpdir(), 'parley-case-'));
  const importOn = async (core: Core, input: unknown): Promise<CaseImportResult> => {
    const result = await core.dispatch('cases.import', input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value as CaseImportResult;
  };

  beforeAll(async () => {
    h = await flowHarness();
    const issuer = h.core.server.running!.urls.issuer;
    await h.call('flows.saveTarget', {
      target: {
        id: 'pkj',
        name: 'Customer app',
        issuer,
        client_id: h.clientId,
        auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid profile',
        jarKeyId: h.jarKeyId,
        embedded: true,
      },
    });
    // The "wiped machine": a new core over a new, empty data directory; no vault at all.
    other = await createCore({ dataDir: otherDir, mode: 'web', version: 't2', server: { port: 0 }, log: () => {} });
  });
  afterAll(async () => {
    freezeClock(undefined);
    await other?.close();
    await h?.core.close();
    rmSync(otherDir, { recursive: true, force: true });
  });

  it('reproduces JAR-11 at push with the same explanation, the replay at the recorded time, the server clock setting unchanged', async () => {
    // The origin client also holds a grant for its server's Management API, and one for an ordinary API.
    const origin = h.core.server.running!.urls;
    await h.core.server.directory.createClientGrant({ client_id: h.clientId, audience: origin.managementAudience, scope: ['read:clients', 'delete:clients'] });
    await h.core.server.directory.createClientGrant({ client_id: h.clientId, audience: 'https://api.example.com/orders', scope: ['read:orders'] });
    const run = await h.run('pkj', 'par+jar', { jarClaims: { aud: 'https://wrong.example/' } });
    const push = stepOf(run, 'push');
    expect(push.status).toBe('failed');
    const recordedTrace = push.serverTraces?.find((t) => t.failedRule);
    expect(recordedTrace?.failedRule).toBe('JAR-11');
    const recordedMessage = recordedTrace!.rules.find((r) => r.id === 'JAR-11')!.message;

    const exported = await h.call<CaseExport>('cases.export', { runId: run.id });
    expect(exported.fileName).toMatch(/^parley-case-par-jar-\d{8}-\d{6}\.parleycase$/);
    const file = parseCaseFile(exported.json);
    expect(file.parley.version).toBe('t');
    expect(file.credentials.map((c) => c.slots)).toEqual(expect.arrayContaining([['private_key_jwt'], ['signed_request_object']]));

    // Five days later, on the other machine (whose server listens on another port and whose clock setting is its own).
    expect(other.server.running!.port).not.toBe(h.core.server.running!.port);
    await other.dispatch('server.updateSettings', { clockOffsetSeconds: 120 });
    freezeClock(Date.now() + 5 * 86_400_000);
    const preview = await other.dispatch('cases.preview', { json: exported.json });
    const result = await importOn(other, { json: exported.json });
    freezeClock(undefined);

    // The preview said, before anything was applied, what the import then did.
    if (!preview.ok) throw new Error(preview.error.message);
    const shown = preview.value as CaseImportPreview;
    expect(shown).toMatchObject({
      clientId: h.clientId,
      clientExists: false,
      failedStep: 'push',
      clockOffsetSeconds: result.summary.clockOffsetSeconds,
      recordedAt: result.summary.recordedAt,
    });
    expect(shown.client.callbacks).toContain(REDIRECT);
    expect(shown.credentials).toHaveLength(2);
    expect(shown.grants).toEqual(result.summary.grants);

    expect(result.summary.clientId).toBe(h.clientId);
    expect(result.summary.failedStep).toBe('push');
    expect(result.summary.clockOffsetSeconds).toBeLessThanOrEqual(-5 * 86_400 + 2);
    expect(result.summary.clockOffsetSeconds).toBeGreaterThanOrEqual(-5 * 86_400 - 2);
    // The clock shift is the replay's: the server's own setting is what it was before the import.
    expect(other.server.settingsStore.get().clockOffsetSeconds).toBe(120);
    expect(result.replay.status).toBe('replayed');
    expect(result.replay.requests.map((r) => [r.step, r.path, r.status])).toEqual([['push', '/oauth/par', 400]]);
    expect(result.replay.recorded).toEqual({ ruleId: 'JAR-11', message: recordedMessage });
    expect(result.replay.replayed).toEqual({ ruleId: 'JAR-11', message: recordedMessage });
    expect(result.replay.sameRule && result.replay.sameMessage).toBe(true);
    // The client assertion was re-verified with the recreated public key (same kid), at the recorded time.
    const replayed = result.replay.requests[0]!.trace;
    expect(replayed.rules.find((r) => r.id === 'PKJ-13')?.passed).toBe(true);
    expect(replayed.at).toBe(new Date(Date.parse(replayed.at)).toISOString());

    // The client exists under its recorded client_id, with the recorded public keys (same kid).
    const kids = (['private_key_jwt', 'signed_request_object'] as const).map((slot) =>
      other.server.directory.slotCredentials(h.clientId, slot).map((c) => c.kid),
    );
    expect(kids).toEqual([
      [file.credentials.find((c) => c.slots.includes('private_key_jwt'))!.kid],
      [file.credentials.find((c) => c.slots.includes('signed_request_object'))!.kid],
    ]);

    // The Management API grant was in the file, and was neither created nor silently dropped: it is reported.
    expect(file.client?.grants.map((g) => g.audience)).toEqual(expect.arrayContaining([origin.managementAudience, 'https://api.example.com/orders']));
    expect(result.summary.grants).toEqual(
      expect.arrayContaining([
        { audience: origin.managementAudience, scope: ['read:clients', 'delete:clients'], imported: false, reason: 'management-api' },
        { audience: 'https://api.example.com/orders', scope: ['read:orders'], imported: true },
      ]),
    );
    const created = other.server.directory.listClientGrants().filter((g) => g.client_id === h.clientId);
    expect(created.map((g) => g.audience)).toEqual(['https://api.example.com/orders']);
    await other.dispatch('server.updateSettings', { clockOffsetSeconds: 0 });
  });

  it("never creates a grant for this server's own Management API, whatever the file's issuer", async () => {
    const run = (await h.call<FlowRun[]>('flows.history')).find((r) => r.status === 'failed')!;
    const { json } = await h.call<CaseExport>('cases.export', { runId: run.id });
    // A hand-edited case naming the importing server's Management API audience exactly.
    const own = other.server.running!.urls.managementAudience;
    const planted = JSON.parse(json) as { client: { grants: { audience: string; scope: string[] }[] } };
    planted.client.grants = [{ audience: own, scope: ['read:clients', 'update:clients', 'delete:clients'] }];
    const preview = await other.dispatch('cases.preview', { json: JSON.stringify(planted) });
    expect(preview.ok && (preview.value as CaseImportPreview).grants).toEqual([
      { audience: own, scope: ['read:clients', 'update:clients', 'delete:clients'], imported: false, reason: 'management-api' },
    ]);
    expect(preview.ok && (preview.value as CaseImportPreview).clientExists).toBe(true);
    const result = await importOn(other, { json: JSON.stringify(planted), replaceClient: true });
    expect(result.summary.grants[0]).toMatchObject({ imported: false, reason: 'management-api' });
    expect(other.server.directory.listClientGrants().filter((g) => g.client_id === h.clientId)).toEqual([]);
  });

  it('refuses to overwrite a client with the same client_id unless asked, then replaces it', async () => {
    const run = (await h.call<FlowRun[]>('flows.history')).find((r) => r.status === 'failed')!;
    const { json } = await h.call<CaseExport>('cases.export', { runId: run.id });
    await expect(importOn(other, { json })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'client-exists' } });
    const again = await importOn(other, { json, replaceClient: true });
    expect(again.summary.replacedClient).toBe(true);
    // A jti seen by the first replay is not remembered: each replay has its own memory.
    expect(again.replay.replayed?.ruleId).toBe('JAR-11');
  });

  it('says clearly why a foreign file is refused', async () => {
    await expect(importOn(other, { json: '{"hello": "world"}' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/not a Parley case file/),
    });
  });
});

// ---- (c) the clock offset applies ---------------------------------------------------------------

describe('Server clock › the offset applies to checks, traces and credential expiry', () => {
  let h: FlowHarness;
  beforeAll(async () => {
    h = await flowHarness();
    const audience = h.core.server.running!.urls.managementAudience;
    await h.core.server.directory.createClientGrant({ client_id: h.clientId, audience, scope: ['read:clients'] });
  });
  afterAll(async () => {
    await h?.core.close();
  });

  /** A client_credentials request authenticated with an assertion whose iat is `ahead` seconds in the future. */
  async function tokenRequest(ahead: number): Promise<{ status: number; trace: RequestTrace }> {
    const urls = h.core.server.running!.urls;
    const iat = Math.floor(Date.now() / 1000) + ahead;
    const key = await h.call<{ thumbprint: string }>('keys.get', { id: h.authKeyId });
    const { jws } = await h.call<{ jws: string }>('keys.sign', {
      id: h.authKeyId,
      header: { alg: 'RS256', typ: 'JWT', kid: key.thumbprint },
      payload: { iss: h.clientId, sub: h.clientId, aud: urls.issuer, iat, exp: iat + 60, jti: `jti-${Math.random()}` },
    });
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      audience: urls.managementAudience,
      client_id: h.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jws,
    });
    const res = await fetch(urls.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    await res.text();
    const trace = h.core.server.running!.ctx.traces.list({ endpoint: 'token', limit: 1 })[0]!;
    return { status: res.status, trace };
  }

  async function setOffset(seconds: number): Promise<void> {
    await h.call<ServerStatus>('server.updateSettings', { clockOffsetSeconds: seconds });
  }

  it('accepts an assertion issued 2 hours ahead only while the server clock is 2 hours ahead, and dates traces by that clock', async () => {
    await setOffset(0);
    const refused = await tokenRequest(7200);
    expect(refused.status).toBe(401);
    expect(refused.trace.failedRule).toBe('JWT-9');
    expect(refused.trace.clockOffsetSeconds).toBeUndefined();

    await setOffset(7200);
    const accepted = await tokenRequest(7200);
    expect(accepted.status, JSON.stringify(accepted.trace.failedRule)).toBe(200);
    expect(accepted.trace.rules.find((r) => r.id === 'JWT-9')?.passed).toBe(true);
    expect(accepted.trace.clockOffsetSeconds).toBe(7200);
    // The trace is dated by the server's clock, and still says when it happened on the host.
    expect(Math.abs(Date.parse(accepted.trace.at) - (Date.now() + 7200_000))).toBeLessThan(10_000);
    expect(Math.abs(traceHostTimeMs(accepted.trace) - Date.now())).toBeLessThan(10_000);

    // And an assertion made now is now two hours old for the server (exp passed).
    const stale = await tokenRequest(0);
    expect(stale.status).toBe(401);
    await setOffset(0);
  });

  it('"Make expired" sets a past expires_at (the Management API path still refuses it: CRD-5); the credential then fails PKJ-14; "Remove expiry" restores it', async () => {
    const [credential] = await h
      .call<{ id: string; expires_at: string | null }[]>('server.listCredentials', { clientId: h.clientId })
      .then((list) => list.filter((c) => h.core.server.directory.slotCredentials(h.clientId, 'private_key_jwt').some((s) => s.id === c.id)));
    const past = new Date(Date.now() - 60_000).toISOString();
    await expect(h.call('server.updateCredential', { clientId: h.clientId, credentialId: credential!.id, expires_at: past })).rejects.toMatchObject({
      code: 'SERVER_REJECTED',
      message: expect.stringMatching(/future/),
    });

    const expired = await h.call<{ expires_at: string }>('server.updateCredential', {
      clientId: h.clientId,
      credentialId: credential!.id,
      expires_at: past,
      simulateExpiry: true,
    });
    expect(expired.expires_at).toBe(past);
    const refused = await tokenRequest(0);
    expect(refused.status).toBe(401);
    expect(refused.trace.failedRule).toBe('PKJ-14');

    // With the server clock set back before expires_at, the same credential works again.
    await setOffset(-3600);
    expect((await tokenRequest(-3600)).status).toBe(200);
    await setOffset(0);

    const restored = await h.call<{ expires_at: string | null }>('server.updateCredential', {
      clientId: h.clientId,
      credentialId: credential!.id,
      expires_at: null,
      simulateExpiry: true,
    });
    expect(restored.expires_at).toBeNull();
    expect((await tokenRequest(0)).status).toBe(200);
  });
});
