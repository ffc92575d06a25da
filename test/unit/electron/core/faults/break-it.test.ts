/**
 * Break it (issue #6) with a REAL core: every case of the catalogue, for request objects (by value at
 * /authorize and pushed to /oauth/par) and client assertions, is signed with vault keys, sent over HTTP to
 * the embedded server, and must come out exactly as server-rules.md says, each rejection naming its rule.
 * The judging itself is shown to fail when an expectation is wrong (negative controls).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ExpectedVerdict, FaultCase, FaultRun } from '../../../../../shared/faults/cases';
import { FAULT_CASES, FAULT_CASE_IDS, casesFor, expectationFor, judge } from '../../../../../shared/faults/cases';
import { FaultRunner } from '../../../../../electron/core/faults';
import { SCRATCH_CALLBACK, SCRATCH_CLIENT_NAME, SCRATCH_PUBLIC_CLIENT_NAME } from '../../../../../electron/core/faults/scratch-client';
import { tamperSignature } from '../../../../../electron/core/faults/plans';
import { SCRATCH_USER_EMAIL } from '../../../../../electron/core/faults/user-token';
import { nowSeconds } from '../../../../../electron/core/clock';
import type { FlowHarness } from '../flows/helpers';
import { flowHarness } from '../flows/helpers';

/** A request object as the composer's "JAR for the authorization code flow" template makes it. */
function jarDraft(h: FlowHarness) {
  const issuer = h.core.server.running!.urls.issuer;
  return {
    header: { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: h.core.vault.get(h.jarKeyId).thumbprint },
    claims: {
      iss: h.clientId,
      aud: issuer,
      client_id: h.clientId,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: 'https://myapp.com/callback',
      nonce: 'n-0S6_WzA2Mj',
    },
  };
}

/** A client assertion as the composer's private_key_jwt template makes it, composed five minutes ago. */
function assertionDraft(h: FlowHarness) {
  const issuer = h.core.server.running!.urls.issuer;
  const then = nowSeconds() - 300;
  return {
    header: { alg: 'RS256', typ: 'JWT', kid: h.core.vault.get(h.authKeyId).thumbprint },
    claims: { iss: h.clientId, sub: h.clientId, aud: issuer, jti: 'composed-jti', iat: then, exp: then + 300 },
  };
}

function summary(run: FaultRun): string {
  return run.rows
    .map((r) => `${r.pass ? '✓' : '✗'} ${r.caseId}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(r.actual)}${r.note ? ` (${r.note})` : ''}`)
    .join('\n');
}

/** What every complete run must show: all rows pass, each rejection names a rule the spec lists, with its trace. */
function expectAllAsSpecified(run: FaultRun) {
  expect(
    run.rows.filter((r) => !r.pass),
    summary(run),
  ).toEqual([]);
  expect(run.baselinePassed).toBe(true);
  for (const row of run.rows) {
    expect(row.trace?.id, row.caseId).toBe(row.traceId);
    expect(row.trace?.status, row.caseId).toBe(row.actual.status);
    if (row.expected.outcome === 'rejected') {
      expect(row.actual.failedRule, row.caseId).toBeDefined();
      expect(row.expected.rules, row.caseId).toContain(row.actual.failedRule);
      expect(row.trace?.failedRule, row.caseId).toBe(row.actual.failedRule);
      expect(
        row.trace?.rules.find((r) => r.id === row.actual.failedRule && !r.passed),
        row.caseId,
      ).toBeDefined();
    } else {
      expect(row.actual.failedRule, row.caseId).toBeUndefined();
    }
  }
}

describe('Break it › request objects (RFC 9101)', () => {
  it('by value at /authorize: every case comes out as the spec says', async () => {
    const h = await flowHarness();
    const run = await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, ...jarDraft(h) });
    expect(run.rows.map((r) => r.caseId)).toEqual(casesFor('request_object').map((c) => c.id));
    expectAllAsSpecified(run);
    expect(run.endpoint).toBe('authorize');
    const endpoints = Object.fromEntries(run.rows.map((r) => [r.caseId, r.trace?.endpoint]));
    expect(endpoints).toMatchObject({
      control: 'authorize',
      'alg-none': 'authorize',
      'request-uri-twice': 'authorize',
      'request-and-request-uri': 'authorize',
    });
    // The other slot's key is the vault's client-auth key; the draft's client, redirect_uri and aud were rewritten.
    expect(run.otherKey).toEqual({ source: 'vault', id: h.authKeyId, name: 'auth' });
    expect(run.rewritten.sort()).toEqual(['client_id', 'iss', 'redirect_uri']);
    expect(run.clientName).toBe(SCRATCH_CLIENT_NAME);
  });

  it('pushed to /oauth/par: every case comes out as the spec says (PAR-11 for the client_id mismatch)', async () => {
    const h = await flowHarness();
    const run = await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, endpoint: 'par', ...jarDraft(h) });
    expectAllAsSpecified(run);
    const byCase = Object.fromEntries(run.rows.map((r) => [r.caseId, r]));
    expect(byCase.control!.actual.status).toBe(201);
    expect(byCase['client-id-mismatch']!.actual.failedRule).toBe('PAR-11');
    expect(byCase['alg-none']!.trace?.endpoint).toBe('par');
    expect(byCase['unregistered-redirect-uri']!.actual).toMatchObject({ status: 400, error: 'invalid_request' });
  });
});

describe('Break it › client assertions (RFC 7523)', () => {
  it('authenticating a pushed request: every case comes out as the spec says, each a 401 invalid_client', async () => {
    const h = await flowHarness();
    const run = await h.call<FaultRun>('faults.run', { kind: 'client_assertion', keyId: h.authKeyId, ...assertionDraft(h) });
    expect(run.rows.map((r) => r.caseId)).toEqual(casesFor('client_assertion').map((c) => c.id));
    expectAllAsSpecified(run);
    expect(run.otherKey).toEqual({ source: 'vault', id: h.jarKeyId, name: 'jar' });
    for (const row of run.rows.filter((r) => r.caseId !== 'control')) expect(row.actual, row.caseId).toMatchObject({ status: 401, error: 'invalid_client' });
    const byCase = Object.fromEntries(run.rows.map((r) => [r.caseId, r.actual.failedRule]));
    expect(byCase).toMatchObject({
      'lifetime-over-5-min': 'PKJ-10',
      'jti-replay': 'PKJ-12',
      'jti-too-long': 'PKJ-5',
      'other-slot-key': 'PKJ-15',
      'tampered-signature': 'PKJ-13',
    });
  });

  it('with a single key in the vault, the other slot gets a key made in memory, and the verdicts are the same', async () => {
    const h = await flowHarness();
    const jar = jarDraft(h);
    await h.call('keys.delete', { id: h.jarKeyId, confirm: true });
    const run = await h.call<FaultRun>('faults.run', { kind: 'client_assertion', keyId: h.authKeyId, ...assertionDraft(h) });
    expect(run.otherKey).toEqual({ source: 'ephemeral' });
    expectAllAsSpecified(run);
    // PS256 this time, and no kid: both credentials are registered for PS256, and the other-slot key is found by alg.
    const again = await h.call<FaultRun>('faults.run', {
      kind: 'request_object',
      keyId: h.authKeyId,
      header: { alg: 'PS256', typ: 'oauth-authz-req+jwt' },
      claims: jar.claims,
    });
    expect(again.otherKey).toEqual({ source: 'ephemeral' });
    expectAllAsSpecified(again);
  });
});

describe('Break it › DPoP proofs (RFC 9449)', () => {
  it('with a pushed request: every DPoP case comes out as dpop-rules.md says, with its rule and wire error', async () => {
    const h = await flowHarness();
    // A scratch user an interrupted run left behind is replaced; the password each run makes is seen at the store only.
    await h.call('server.createUser', { email: SCRATCH_USER_EMAIL, password: 'left-behind-password' });
    const directory = h.core.server.directory;
    const passwords: string[] = [];
    const createUser = directory.createUser.bind(directory);
    directory.createUser = (body, trace) => {
      passwords.push((body as { password: string }).password);
      return createUser(body, trace);
    };
    const run = await h.call<FaultRun>('faults.run', { kind: 'dpop_proof', keyId: h.authKeyId, ...assertionDraft(h) });
    expect(run.rows.map((r) => r.caseId)).toEqual(casesFor('dpop_proof').map((c) => c.id));
    expectAllAsSpecified(run);
    expect(run.endpoint).toBe('par');
    const atUserinfo = ['dpop-ath-other-token', 'dpop-cnf-jkt-other-key'];
    for (const row of run.rows)
      expect(row.trace?.endpoint, row.caseId).toBe(row.caseId === 'dpop-nonce-missing' ? 'token' : atUserinfo.includes(row.caseId) ? 'userinfo' : 'par');
    const byCase = Object.fromEntries(run.rows.map((r) => [r.caseId, r.actual]));
    expect(byCase).toMatchObject({
      control: { status: 201 },
      'dpop-htu-query': { status: 201 },
      'dpop-htm-wrong': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-8' },
      'dpop-htu-trailing-slash': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-9' },
      'dpop-iat-stale': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-10' },
      'dpop-iat-future': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-10' },
      'dpop-nonce-missing': { status: 400, error: 'use_dpop_nonce', failedRule: 'DPN-1' },
      'dpop-nonce-stale': { status: 400, error: 'use_dpop_nonce', failedRule: 'DPN-4' },
      'dpop-jti-replay': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-11' },
      'dpop-jkt-mismatch': { status: 400, error: 'invalid_request', failedRule: 'DPB-6' },
      'dpop-private-jwk': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-5' },
      'dpop-alg-none': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-2' },
      'dpop-hs256': { status: 400, error: 'invalid_dpop_proof', failedRule: 'DPP-4' },
      'dpop-ath-other-token': { status: 401, error: 'invalid_dpop_proof', failedRule: 'DPP-13' },
      'dpop-cnf-jkt-other-key': { status: 401, error: 'invalid_token', failedRule: 'DPB-12' },
    });
    // At /userinfo a DPoP failure is a 401 with a DPoP challenge naming the error (ED-2), not a Bearer one.
    const rowOf = (id: string) => run.rows.find((r) => r.caseId === id)!;
    expect(rowOf('dpop-ath-other-token').challenge).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
    expect(rowOf('dpop-cnf-jkt-other-key').challenge).toMatch(/^DPoP .*error="invalid_token"/);
    expect(rowOf('dpop-ath-other-token').trace?.method).toBe('GET');
    // The deciding request is about the one thing broken: the binding passed when ath failed, and ath passed when the binding failed.
    expect(rowOf('dpop-cnf-jkt-other-key').trace?.rules.find((r) => r.id === 'DPP-13')?.passed).toBe(true);
    // Each token was a real user's, signed in through the sign-in page (SES-3, SES-4 passed); the scratch user is gone afterwards.
    const logins = h.core.server.running!.ctx.traces.list({ endpoint: 'login' });
    expect(logins).toHaveLength(2);
    for (const login of logins) {
      expect(login.status).toBe(302);
      expect(login.rules.filter((r) => ['SES-3', 'SES-4', 'SES-6'].includes(r.id)).map((r) => [r.id, r.passed])).toEqual([
        ['SES-6', true],
        ['SES-3', true],
        ['SES-4', true],
      ]);
    }
    expect(directory.userIdByEmail(SCRATCH_USER_EMAIL)).toBeUndefined();
    expect(passwords).toHaveLength(1);
    expect(passwords[0]!.length).toBeGreaterThanOrEqual(32);
    const traces = JSON.stringify(h.core.server.running!.ctx.traces.list({}));
    for (const shown of [JSON.stringify(run), traces]) expect(shown).not.toContain(passwords[0]);
    // The DPoP cases are not played for the other kinds, nor the JWT cases for this one.
    expect(casesFor('client_assertion').some((c) => c.id.startsWith('dpop-'))).toBe(false);
  });

  it('in the strict profile the verdicts are the same (its narrower iat window and alg list included), with the same public scratch application', async () => {
    const h = await flowHarness();
    const publicApps = () => h.core.server.directory.listClients().filter((c) => c.name === SCRATCH_PUBLIC_CLIENT_NAME);
    expectAllAsSpecified(await h.call<FaultRun>('faults.run', { kind: 'dpop_proof', keyId: h.authKeyId, ...assertionDraft(h) }));
    const [first] = publicApps();
    await h.call('server.updateSettings', { profile: 'strict' });
    const assertion = assertionDraft(h);
    expectAllAsSpecified(
      await h.call<FaultRun>('faults.run', { kind: 'dpop_proof', keyId: h.authKeyId, claims: assertion.claims, header: { ...assertion.header, alg: 'PS256' } }),
    );
    // Reused, never duplicated; public (no secret, no credentials), so DPN-1 applies to it.
    expect(publicApps().map((c) => c.client_id)).toEqual([first!.client_id]);
    expect(h.core.server.directory.getClient(first!.client_id)).toMatchObject({ token_endpoint_auth_method: 'none', private_key_jwt: false });
  });
});

describe('Break it › strict profile (RFC 9101 / FAPI 2.0 switch)', () => {
  it('a strict-ready draft gets the same verdicts: every case as the spec says, at /authorize, at PAR and for assertions', async () => {
    const h = await flowHarness();
    await h.call('server.updateSettings', { profile: 'strict' });
    const now = nowSeconds();
    // Strict wants PKCE (FAP-2), an exp in request objects, and PS256.
    const claims = {
      ...jarDraft(h).claims,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: 'composed',
    };
    const header = { ...jarDraft(h).header, alg: 'PS256' };
    for (const endpoint of ['authorize', 'par'] as const) {
      expectAllAsSpecified(await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, endpoint, header, claims }));
    }
    const assertion = assertionDraft(h);
    expectAllAsSpecified(
      await h.call<FaultRun>('faults.run', {
        kind: 'client_assertion',
        keyId: h.authKeyId,
        claims: assertion.claims,
        header: { ...assertion.header, alg: 'PS256' },
      }),
    );
  });
});

describe('Break it › the scratch application', () => {
  it("is one application holding the run keys' public keys, reused while it fits and replaced when the keys change", async () => {
    const h = await flowHarness();
    const first = await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, ...jarDraft(h) });
    const second = await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, ...jarDraft(h) });
    expect(second.clientId).toBe(first.clientId);
    const directory = h.core.server.directory;
    const client = directory.getClient(first.clientId)!;
    expect(client).toMatchObject({ name: SCRATCH_CLIENT_NAME, callbacks: [SCRATCH_CALLBACK], private_key_jwt: true, is_first_party: true });
    expect(directory.slotCredentials(first.clientId, 'signed_request_object').map((c) => c.kid)).toEqual([h.core.vault.get(h.jarKeyId).thumbprint]);
    expect(directory.slotCredentials(first.clientId, 'private_key_jwt').map((c) => c.kid)).toEqual([h.core.vault.get(h.authKeyId).thumbprint]);

    // The assertion kind with the same two keys needs the same slots: still the same application.
    const assertion = await h.call<FaultRun>('faults.run', { kind: 'client_assertion', keyId: h.authKeyId, ...assertionDraft(h) });
    expect(assertion.clientId).toBe(first.clientId);
    // Another key for the request objects (and so an in-memory key for private_key_jwt): replaced, never duplicated.
    const swapped = await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.authKeyId, ...jarDraft(h) });
    expect(swapped.otherKey).toEqual({ source: 'ephemeral' });
    expectAllAsSpecified(swapped);
    expect(swapped.clientId).not.toBe(first.clientId);
    expect(directory.getClient(first.clientId)).toBeUndefined();
    expect(directory.listClients().filter((c) => c.name === SCRATCH_CLIENT_NAME)).toHaveLength(1);
    // The user's own application was never touched.
    expect(directory.slotCredentials(h.clientId, 'private_key_jwt')).toHaveLength(1);
  });
});

describe('Break it › when the draft itself fails', () => {
  it('the control row fails and says why (a request object without response_type: JAR-12)', async () => {
    const h = await flowHarness();
    const { response_type: _dropped, ...claims } = jarDraft(h).claims;
    const run = await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, header: jarDraft(h).header, claims });
    expect(run.baselinePassed).toBe(false);
    const control = run.rows[0]!;
    expect(control).toMatchObject({ caseId: 'control', pass: false, actual: { status: 400, error: 'invalid_request_object', failedRule: 'JAR-12' } });
  });

  it('refuses what cannot be signed: an alg the key lacks, an EC key, a stopped server', async () => {
    const h = await flowHarness();
    const draft = jarDraft(h);
    await expect(h.call('faults.run', { kind: 'request_object', keyId: h.jarKeyId, header: { alg: 'ES256' }, claims: {} })).rejects.toMatchObject({
      code: 'UNSUPPORTED_ALG',
    });
    const ec = await h.call<{ id: string }>('keys.generate', { name: 'ec', spec: { kty: 'EC', crv: 'P-256' }, usages: ['jar'] });
    await expect(h.call('faults.run', { kind: 'request_object', keyId: ec.id, header: { alg: 'ES256' }, claims: {} })).rejects.toMatchObject({
      code: 'UNSUPPORTED_KEY',
    });
    await h.core.server.stop();
    await expect(h.call('faults.run', { kind: 'request_object', keyId: h.jarKeyId, ...draft })).rejects.toMatchObject({ code: 'SERVER_NOT_RUNNING' });
  });
});

describe('Break it › negative controls (the table can say ✗)', () => {
  it('a catalogue entry expecting the wrong rule, status or outcome yields pass: false', async () => {
    const h = await flowHarness();
    const byId = new Map(FAULT_CASES.map((c) => [c.id, c]));
    const wrong: FaultCase[] = [
      // The control expected to be rejected, alg none expected to fail JAR-5, the tampered signature expected as a 401.
      {
        ...byId.get('control')!,
        expect: {
          request_object: {
            endpoint: 'composed',
            verdict: { outcome: 'rejected', status: 400, error: 'invalid_request_object', rules: ['JAR-8'] },
            spec: 'wrong on purpose',
          },
        },
      },
      {
        ...byId.get('alg-none')!,
        expect: {
          request_object: {
            endpoint: 'composed',
            verdict: { outcome: 'rejected', status: 400, error: 'invalid_request_object', rules: ['JAR-5'] },
            spec: 'wrong on purpose',
          },
        },
      },
      {
        ...byId.get('tampered-signature')!,
        expect: {
          request_object: {
            endpoint: 'composed',
            verdict: { outcome: 'rejected', status: 401, error: 'invalid_request_object', rules: ['JAR-8'] },
            spec: 'wrong on purpose',
          },
        },
      },
    ];
    const runner = new FaultRunner(h.core.server, h.core.vault, (url, init) => fetch(url, init), wrong);
    const run = await runner.run({ kind: 'request_object', keyId: h.jarKeyId, ...jarDraft(h) });
    expect(run.rows.map((r) => [r.caseId, r.pass])).toEqual([
      ['control', false],
      ['alg-none', false],
      ['tampered-signature', false],
    ]);
    // The server did what the spec says; only the (wrong) expectations disagree.
    expect(run.rows.map((r) => r.actual.failedRule)).toEqual([undefined, 'JWT-2', 'JAR-8']);
  });

  it('judge() needs the status, the error and a listed rule', () => {
    const expected: ExpectedVerdict = { outcome: 'rejected', status: 401, error: 'invalid_client', rules: ['PKJ-8'] };
    expect(judge(expected, { status: 401, error: 'invalid_client', failedRule: 'PKJ-8' })).toBe(true);
    expect(judge(expected, { status: 401, error: 'invalid_client', failedRule: 'PKJ-9' })).toBe(false);
    expect(judge(expected, { status: 401, error: 'invalid_client' })).toBe(false);
    expect(judge(expected, { status: 400, error: 'invalid_client', failedRule: 'PKJ-8' })).toBe(false);
    expect(judge(expected, { status: 401, error: 'access_denied', failedRule: 'PKJ-8' })).toBe(false);
    expect(judge({ outcome: 'accepted', status: 201 }, { status: 201 })).toBe(true);
    expect(judge({ outcome: 'accepted', status: 302 }, { status: 302, error: 'invalid_request_object' })).toBe(false);
    expect(judge({ outcome: 'accepted', status: 302 }, { status: 400, failedRule: 'JAR-1' })).toBe(false);
  });

  it('a tampered signature keeps the signed header and payload and changes the signature', () => {
    const jws = 'eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.' + Buffer.from('0123456789abcdef').toString('base64url');
    const tampered = tamperSignature(jws);
    expect(tampered.split('.').slice(0, 2)).toEqual(jws.split('.').slice(0, 2));
    expect(tampered.split('.')[2]).not.toBe(jws.split('.')[2]);
    expect(Buffer.from(tampered.split('.')[2]!, 'base64url')).toHaveLength(16);
  });
});

describe('Break it › the catalogue', () => {
  const spec = fileURLToPath(new URL('../../../../fixtures/spec/server-rules.md', import.meta.url));
  const dpopSpec = fileURLToPath(new URL('../../../../fixtures/spec/dpop-rules.md', import.meta.url));

  it('covers every case id once, the control first, each case for at least one kind', () => {
    expect(FAULT_CASES.map((c) => c.id)).toEqual([...FAULT_CASE_IDS]);
    for (const c of FAULT_CASES) expect(Object.keys(c.expect).length, c.id).toBeGreaterThan(0);
    expect(casesFor('request_object').map((c) => c.id)).toEqual(
      expect.arrayContaining(['client-id-mismatch', 'request-and-request-uri', 'request-uri-twice', 'unregistered-redirect-uri']),
    );
    expect(casesFor('client_assertion').map((c) => c.id)).toEqual(expect.arrayContaining(['lifetime-over-5-min', 'jti-replay', 'jti-too-long']));
    expect(expectationFor(FAULT_CASES[0]!, 'request_object', 'par').verdict).toEqual({ outcome: 'accepted', status: 201 });
  });

  it('names only rule ids that server-rules.md (dpop-rules.md for DPoP proofs) defines, and sections it has', () => {
    const serverText = readFileSync(spec, 'utf8');
    const dpopText = readFileSync(dpopSpec, 'utf8');
    for (const c of FAULT_CASES) {
      for (const [kind, e] of Object.entries(c.expect)) {
        const text = kind === 'dpop_proof' ? dpopText : serverText;
        const verdicts = [e.verdict, ...(e.atPar ? [e.atPar] : [])];
        for (const v of verdicts) {
          if (v.outcome !== 'rejected') continue;
          for (const rule of v.rules) expect(text, `${c.id}: ${rule}`).toMatch(new RegExp(`\\*\\*${rule} \``));
        }
        for (const x of e.spec.match(/X-D?\d+/g) ?? []) expect(text, `${c.id}: ${x}`).toContain(`| ${x} |`);
      }
    }
  });
});
