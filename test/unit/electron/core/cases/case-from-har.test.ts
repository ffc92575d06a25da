/**
 * `har.caseFromExchange`: an exchange of a customer's HAR file made into a case and reproduced on another
 * machine's embedded server. The HAR is made here from a real failing PAR + JAR run against the embedded
 * server (shared/har/export), secrets are planted in it, it is read the way the renderer's worker reads
 * it (importHar), and the PAR exchange goes through the real contract operation, then `cases.import` on a
 * second core: the replay fails with the same rule, the client's public keys are those the user pasted,
 * and no planted secret is in the case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../../electron/core/host/core';
import { createCore } from '../../../../../electron/core/host/core';
import { parseCaseFile } from '../../../../../electron/core/cases/case-file';
import { harFromRun } from '../../../../../shared/har/export';
import type { HarExchange } from '../../../../../shared/har/import';
import { importHar } from '../../../../../shared/har/import';
import type { CaseExport, CaseImportResult } from '../../../../../shared/schemas/case';
import type { KeyDetail } from '../../../../../shared/schemas/keys';
import type { FlowHarness } from '../flows/helpers';
import { REDIRECT, flowHarness, stepOf } from '../flows/helpers';

const PLANTED = ['PLANTED-client-secret-4f2a', 'PLANTED-cookie-9c1d', 'PLANTED-refresh-77ab', 'PLANTED-password-3e0f', 'PLANTED-code-51bb'];

/** The exchange as the renderer sends it (the operation's input). */
function wire(exchange: HarExchange) {
  return {
    kind: exchange.kind as 'authorize' | 'par' | 'token',
    method: exchange.method,
    url: exchange.url,
    startedAt: exchange.startedAt,
    request: {
      headers: exchange.request.headers,
      basicAuth: exchange.request.basicAuth,
      ...(exchange.request.body === undefined ? {} : { body: exchange.request.body }),
    },
    response:
      exchange.response === null
        ? null
        : {
            status: exchange.response.status,
            headers: exchange.response.headers,
            ...(exchange.response.body === undefined ? {} : { body: exchange.response.body }),
          },
  };
}

describe('HAR › an exchange made into a case and reproduced on the embedded server', () => {
  let h: FlowHarness;
  let other: Core;
  let par: HarExchange;
  let jwks: string;
  let recordedMessage: string;
  const otherDir = mkdtempSync(join(tmpdir(), 'parley-harcase-'));

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
    const run = await h.run('pkj', 'par+jar', { jarClaims: { aud: 'https://wrong.example/' } });
    const trace = stepOf(run, 'push').serverTraces!.find((t) => t.failedRule)!;
    expect(trace.failedRule).toBe('JAR-11');
    recordedMessage = trace.rules.find((r) => r.id === 'JAR-11')!.message;

    // The customer's HAR: the run's exchanges, with secrets a browser would have recorded planted in the PAR entry.
    const har = harFromRun(run, { name: 'WebInspector', version: '537.36' });
    const entry = har.log.entries.find((e) => e.request.url.endsWith('/oauth/par'))!;
    entry.request.postData!.text += `&client_secret=${PLANTED[0]}&password=${PLANTED[3]}&code=${PLANTED[4]}`;
    entry.request.headers.push({ name: 'Cookie', value: `did=${PLANTED[1]}` });
    entry.request.cookies.push({ name: 'did', value: PLANTED[1]! });
    entry.response.content.text = JSON.stringify({ error: 'invalid_request_object', error_description: recordedMessage, refresh_token: PLANTED[2] });
    const imported = importHar(JSON.stringify(har));
    par = imported.exchanges.find((x) => x.kind === 'par')!;
    expect(par).toBeDefined();

    // The client's public keys, as the customer would paste them: a JWKS of both (kid = thumbprint, as Auth0's).
    const keys = await Promise.all([h.jarKeyId, h.authKeyId].map((id) => h.call<KeyDetail>('keys.get', { id })));
    jwks = JSON.stringify({ keys: keys.map((k) => ({ ...k.publicJwk, kid: k.thumbprint })) });
    other = await createCore({ dataDir: otherDir, mode: 'web', version: 't2', server: { port: 0 }, log: () => {} });
  });
  afterAll(async () => {
    await other?.close();
    await h?.core.close();
    rmSync(otherDir, { recursive: true, force: true });
  });

  it('fails the replay with the same rule and message, with the pasted public keys under their kids, and carries no planted secret', async () => {
    const issuer = h.core.server.running!.urls.issuer;
    const made = await other.dispatch('har.caseFromExchange', { exchange: wire(par), issuer, profile: 'auth0', key: jwks });
    if (!made.ok) throw new Error(made.error.message);
    const { json, fileName } = made.value as CaseExport;
    expect(fileName).toMatch(/^har-127\.0\.0\.1-\d+-par\.parleycase$/);
    for (const secret of PLANTED) expect(json).not.toContain(secret);
    const file = parseCaseFile(json);
    expect(file.run.kind).toBe('par+jar');
    expect(file.run.steps.map((s) => [s.name, s.status])).toEqual([['push', 'failed']]);
    expect(file.credentials.map((c) => c.slots).sort()).toEqual([['private_key_jwt'], ['signed_request_object']]);

    const imported = await other.dispatch('cases.import', { json });
    if (!imported.ok) throw new Error(imported.error.message);
    const result = imported.value as CaseImportResult;
    expect(result.summary.clientId).toBe(h.clientId);
    expect(result.replay.status).toBe('replayed');
    expect(result.replay.requests.map((r) => [r.step, r.path, r.status])).toEqual([['push', '/oauth/par', 400]]);
    expect(result.replay.replayed).toEqual({ ruleId: 'JAR-11', message: recordedMessage });
    // The client assertion verified with the pasted key, at the recorded time.
    expect(result.replay.requests[0]!.trace.rules.find((r) => r.id === 'PKJ-13')?.passed).toBe(true);
    for (const secret of PLANTED) expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('replays an authorization request by request_uri after pushing its PAR exchange again (a request_uri lives 30 s)', async () => {
    const run = await h.run('pkj', 'par+jar');
    expect(stepOf(run, 'push').status).toBe('ok');
    const har = harFromRun(run, { name: 'WebInspector', version: '537.36' });
    // The customer's browser was sent back with an error (their server judged the request differently), and
    // their authorization request named no client_id, which this server requires beside a request_uri.
    const authorize = har.log.entries.find((e) => new URL(e.request.url).pathname === '/authorize')!;
    const url = new URL(authorize.request.url);
    expect(url.searchParams.has('request_uri')).toBe(true);
    url.searchParams.delete('client_id');
    authorize.request.url = url.href;
    authorize.response.headers = [{ name: 'location', value: `${REDIRECT}?error=invalid_request&error_description=client_id%20is%20required` }];
    const imported = importHar(JSON.stringify(har));
    const byUri = imported.exchanges.find((x) => x.kind === 'authorize')!;
    const pushedBy = imported.exchanges.find((x) => x.kind === 'par')!;

    const made = await other.dispatch('har.caseFromExchange', {
      exchange: wire(byUri),
      pushed: wire(pushedBy),
      issuer: h.core.server.running!.urls.issuer,
      profile: 'auth0',
      key: jwks,
    });
    if (!made.ok) throw new Error(made.error.message);
    const file = parseCaseFile((made.value as CaseExport).json);
    expect(file.run.kind).toBe('par+jar');
    expect(file.run.steps.map((s) => [s.name, s.status])).toEqual([
      ['push', 'ok'],
      ['authorize', 'failed'],
    ]);
    const imported2 = await other.dispatch('cases.import', { json: (made.value as CaseExport).json, replaceClient: true });
    if (!imported2.ok) throw new Error(imported2.error.message);
    const { replay } = imported2.value as CaseImportResult;
    expect(replay.status).toBe('replayed');
    // The push was sent again (a fresh request_uri), then the authorization request, which the server refused.
    expect(replay.requests.map((r) => [r.step, r.path])).toEqual([
      ['push', '/oauth/par'],
      ['authorize', '/authorize'],
    ]);
    expect(replay.requests[0]!.status).toBe(201);
    expect(replay.replayed).not.toBeNull();
  });

  it('says why a key cannot be used, and which client is missing, in words', async () => {
    const issuer = h.core.server.running!.urls.issuer;
    const badKey = await other.dispatch('har.caseFromExchange', { exchange: wire(par), issuer, profile: 'auth0', key: 'not a key at all' });
    expect(badKey.ok).toBe(false);
    expect(!badKey.ok && badKey.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^The public key cannot be used: /) });

    const anonymous = { ...wire(par), request: { headers: [], basicAuth: false, body: 'response_type=code' } };
    const noClient = await other.dispatch('har.caseFromExchange', { exchange: anonymous, issuer, profile: 'strict' });
    expect(!noClient.ok && noClient.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/names no client/) });
  });
});
