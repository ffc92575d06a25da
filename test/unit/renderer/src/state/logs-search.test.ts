/**
 * Server › Logs search and export (issue 19): the free-text search over the traces of real requests to the
 * embedded server (a PAR + JAR flow with private_key_jwt, a replayed and an unknown request_uri, a token
 * request with a wrong client secret), and the export of what is shown as JSON and as HAR 1.2.
 *
 * What the search does (state/server/logs.ts): identifiers (a failed rule's id, client_id, jti,
 * request_uri, error code) match only as whole values, case-insensitively, so a part of one id never finds
 * another trace; the error's description matches by substring; `rule:`, `client:`, `jti:`, `request_uri:`
 * and `error:` narrow a term to its kind; several terms must all match.
 */
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestTrace } from '../../../../../shared/schemas/server';
import { logsFileName, logsHar, logsJson, parseLogQuery, searchTraces, traceSearchValues } from '../../../../../renderer/src/state/server/logs';
import type { LogsExportContext } from '../../../../../renderer/src/state/server/logs';
import type { FlowHarness } from '../../../electron/core/flows/helpers';
import { REDIRECT, flowHarness } from '../../../electron/core/flows/helpers';

const require = createRequire(import.meta.url);

let h: FlowHarness;
let traces: RequestTrace[];
let issuer: string;
let requestUri: string;

/** The ids of the traces a query finds. */
function found(query: string): string[] {
  return searchTraces(traces, query).map((f) => f.trace.id);
}

function only(predicate: (t: RequestTrace) => boolean): string[] {
  return traces.filter(predicate).map((t) => t.id);
}

const authorizeUsing = (uri: string) => (t: RequestTrace) => t.path === '/authorize' && t.rules.some((r) => r.id === 'AZR-1' && r.actual === uri);

beforeAll(async () => {
  h = await flowHarness();
  issuer = h.core.server.running!.urls.issuer;
  await h.call('flows.saveTarget', {
    target: {
      id: 'pkj',
      name: 'Embedded PKJ',
      issuer,
      client_id: h.clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded: true,
    },
  });
  await h.run('pkj', 'par+jar');
  const used = (await h.call<RequestTrace[]>('server.listLogs', { limit: 1000 })).find((t) => t.path === '/authorize')!;
  requestUri = used.rules.find((r) => r.id === 'AZR-1')!.actual!;
  // The same request_uri again (single use: AZR-3 fails), one never issued, and a wrong client secret.
  await fetch(`${issuer}authorize?client_id=${h.clientId}&request_uri=${encodeURIComponent(requestUri)}`, { redirect: 'manual' });
  await fetch(`${issuer}authorize?client_id=${h.clientId}&request_uri=${encodeURIComponent('urn:ietf:params:oauth:request_uri:never-issued')}`, {
    redirect: 'manual',
  });
  await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: h.clientId, client_secret: 'planted-wrong-secret', audience: `${issuer}api/v2/` }),
  });
  traces = await h.call<RequestTrace[]>('server.listLogs', { limit: 1000 });
}, 120_000);

afterAll(async () => {
  await h.core.close();
});

describe('Server › Logs search', () => {
  it('the requests happened as the test says (a used request_uri, its replay refused, an unknown one, a bad secret)', () => {
    expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(
      traces
        .filter(authorizeUsing(requestUri))
        .map((t) => t.status)
        .sort(),
    ).toEqual([302, 400].sort());
    expect(traces.find((t) => t.path === '/oauth/token' && t.status >= 400)?.error).toBe('invalid_client');
  });

  it('an empty query finds every trace', () => {
    expect(found('')).toEqual(traces.map((t) => t.id));
    expect(found('   ')).toEqual(traces.map((t) => t.id));
  });

  it('a rule id finds the traces where that rule failed, whole ids only, any case', () => {
    const replay = traces.find((t) => authorizeUsing(requestUri)(t) && t.status >= 400)!;
    expect(replay.failedRule).toBe('AZR-3');
    const failedAzr3 = only((t) => t.rules.some((r) => r.id === 'AZR-3' && !r.passed));
    expect(failedAzr3.length).toBe(2);
    expect(found('AZR-3')).toEqual(failedAzr3);
    expect(found('azr-3')).toEqual(failedAzr3);
    expect(found('rule:AZR-3')).toEqual(failedAzr3);
    // The successful /authorize passed AZR-3: it is not a hit; neither is a part of the id.
    expect(found('AZR-3')).not.toContain(traces.find((t) => authorizeUsing(requestUri)(t) && t.status === 302)!.id);
    expect(found('AZR-')).toEqual([]);
    expect(found('AZR')).toEqual([]);
  });

  it('a jti finds the request whose client assertion carried it, not on part of it', () => {
    const par = traces.find((t) => t.path === '/oauth/par')!;
    const jti = traceSearchValues(par).ids.find((m) => m.kind === 'jti')!.value;
    expect(par.rules.some((r) => r.id === 'PKJ-12' && r.actual === jti)).toBe(true);
    expect(found(jti)).toEqual([par.id]);
    expect(found(`jti:${jti}`)).toEqual([par.id]);
    expect(found(jti.slice(0, 10))).toEqual([]);
    // The token request's assertion had its own jti.
    const token = traces.find((t) => t.path === '/oauth/token' && t.status === 200)!;
    const tokenJti = traceSearchValues(token).ids.find((m) => m.kind === 'jti')!.value;
    expect(tokenJti).not.toBe(jti);
    expect(found(tokenJti)).toEqual([token.id]);
  });

  it('a client_id finds its client’s requests; a part of it finds nothing; a prefix of another kind does not match it', () => {
    const mine = only((t) => t.clientId === h.clientId);
    expect(mine.length).toBeGreaterThan(5);
    expect(found(h.clientId)).toEqual(mine);
    expect(found(`client:${h.clientId}`)).toEqual(mine);
    expect(found(`client_id:${h.clientId.toLowerCase()}`)).toEqual(mine);
    expect(found(h.clientId.slice(0, 12))).toEqual([]);
    expect(found(`jti:${h.clientId}`)).toEqual([]);
  });

  it('a request_uri finds the /authorize requests that used it (first use and replay), not the unknown one', () => {
    expect(found(requestUri)).toEqual(only(authorizeUsing(requestUri)));
    expect(found(`request_uri:${requestUri}`)).toEqual(only(authorizeUsing(requestUri)));
    expect(found('urn:ietf:params:oauth:request_uri:never-issued')).toEqual(only(authorizeUsing('urn:ietf:params:oauth:request_uri:never-issued')));
    expect(found('urn:ietf:params:oauth:request_uri:')).toEqual([]);
  });

  it('an error code finds the failed requests with it; words of the description find them too', () => {
    const bad = traces.find((t) => t.path === '/oauth/token' && t.status >= 400)!;
    expect(bad.error).toBeDefined();
    expect(found(bad.error!)).toEqual(only((t) => t.error === bad.error));
    expect(found(`error:${bad.error!.toUpperCase()}`)).toEqual(only((t) => t.error === bad.error));
    const word = bad
      .errorDescription!.split(/\s+/)
      .find((w) => w.length > 5)!
      .toLowerCase();
    expect(found(word)).toContain(bad.id);
    expect(searchTraces(traces, word).find((f) => f.trace.id === bad.id)!.matches).toEqual([{ kind: 'error', value: bad.errorDescription }]);
  });

  it('several terms must all match; each hit says what it matched by', () => {
    const replayAndUnknown = only((t) => t.failedRule === 'AZR-3');
    expect(found(`${h.clientId} AZR-3`)).toEqual(replayAndUnknown);
    expect(found(`${h.clientId} AZR-3 ${requestUri}`)).toEqual(only((t) => t.failedRule === 'AZR-3' && authorizeUsing(requestUri)(t)));
    const [hit] = searchTraces(traces, `AZR-3 ${requestUri}`);
    expect(hit!.matches).toEqual([
      { kind: 'rule', value: 'AZR-3' },
      { kind: 'request_uri', value: requestUri },
    ]);
  });

  it('parses prefixes only when known (a urn keeps its colons)', () => {
    expect(parseLogQuery('rule:JAR-11  urn:ietf:x ERROR:invalid_request')).toEqual([
      { kind: 'rule', text: 'jar-11' },
      { kind: null, text: 'urn:ietf:x' },
      { kind: 'error', text: 'invalid_request' },
    ]);
  });
});

describe('Server › Logs export', () => {
  const ctx = (query: string): LogsExportContext => ({
    issuer,
    creator: { name: 'Parley', version: 't' },
    exportedAt: '2026-12-07T18:30:00.000Z',
    filter: { endpoint: '', clientId: '', failedOnly: false },
    query,
  });

  it('JSON: what is shown (the search applied), with what was asked', () => {
    const shown = searchTraces(traces, 'AZR-3').map((f) => f.trace);
    const doc = JSON.parse(logsJson(shown, ctx('AZR-3'))) as { count: number; filter: { query: string }; traces: RequestTrace[]; issuer: string };
    expect(doc.count).toBe(2);
    expect(doc.filter.query).toBe('AZR-3');
    expect(doc.issuer).toBe(issuer);
    expect(doc.traces.map((t) => t.id)).toEqual(shown.map((t) => t.id));
    expect(doc.traces[0]!.rules.length).toBe(shown[0]!.rules.length);
    expect(logsFileName('2026-12-07T18:30:00.000Z', 'har')).toBe('parley-logs-2026-12-07T18-30-00.har');
  });

  it('HAR: the shown traces as HAR 1.2 by the published schema, and nothing planted in a request gets in', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    addFormats(ajv);
    for (const schema of Object.values(require('har-schema') as Record<string, object>)) ajv.addSchema(schema);
    const text = await logsHar(traces, ctx(''));
    const doc = JSON.parse(text) as { log: { entries: { request: { url: string } }[] } };
    const validate = ajv.getSchema('har.json#')!;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.log.entries.length).toBe(traces.length);
    expect(doc.log.entries.some((e) => e.request.url === `${issuer}oauth/par`)).toBe(true);
    expect(text).not.toContain('planted-wrong-secret');
    expect(logsJson(traces, ctx(''))).not.toContain('planted-wrong-secret');
  });
});
