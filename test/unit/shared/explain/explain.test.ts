/**
 * The Explain model: failures first with the deciding rule on top, traces, flow steps against the
 * embedded server (its traces) and against a remote one (the shared lint), signatures, RFC links.
 */
import { describe, expect, it } from 'vitest';
import type { RuleOutcome } from '../../../../shared/jwt/rule';
import type { FlowStep } from '../../../../shared/schemas/flows';
import type { VerifyResult } from '../../../../shared/schemas/jwt';
import type { RequestTrace } from '../../../../shared/schemas/server';
import {
  explainFlowStep,
  explainGroups,
  explainOutcomes,
  explainTrace,
  explainTraces,
  profileForIssuer,
  signatureOutcome,
  sourceParts,
  stepContextFor,
} from '../../../../shared/explain/explain';
import { ASSERTION_HEADER, CLIENT_ID, ISSUER, JAR_HEADER, NOW, assertionPayload, compact, jarPayload } from '../jwt/helpers';

function rule(id: string, passed: boolean, extra: Partial<RuleOutcome> = {}): RuleOutcome {
  return {
    id,
    passed,
    summary: `${id} summary`,
    message: passed ? `${id} summary` : `${id} failed`,
    fix: `fix ${id}`,
    source: 'RFC 9101 §4',
    expected: 'e',
    actual: 'a',
    ...extra,
  };
}

function trace(rules: RuleOutcome[], extra: Partial<RequestTrace> = {}): RequestTrace {
  const failed = rules.find((r) => !r.passed)?.id;
  return {
    id: 't1',
    at: new Date(NOW * 1000).toISOString(),
    method: 'GET',
    endpoint: 'authorize',
    path: '/authorize',
    status: failed ? 400 : 302,
    rules,
    durationMs: 3,
    ...(failed ? { failedRule: failed } : {}),
    ...extra,
  };
}

function step(extra: Partial<FlowStep>): FlowStep {
  return { id: 's1', name: 'build', status: 'ok', startedAt: new Date(NOW * 1000).toISOString(), jwts: [], serverTraceIds: [], ...extra };
}

describe('Explain › ordering', () => {
  it('puts every failure before every pass and keeps the order of application otherwise', () => {
    const e = explainOutcomes([rule('A-1', true), rule('B-1', false), rule('A-2', true), rule('B-2', false)]);
    expect(e.items.map((i) => i.id)).toEqual(['B-1', 'B-2', 'A-1', 'A-2']);
    expect(e.verdict).toMatchObject({ ok: false, failed: 2, passed: 2, first: { id: 'B-1', message: 'B-1 failed' } });
    expect(e.verdict.text).toBe('B-1 failed: B-1 failed (2 of 4 rules failed).');
  });

  it("puts the trace's deciding rule on top even when another failure was recorded before it", () => {
    const t = trace([rule('X-1', false), rule('JAR-11', false), rule('Y-1', true)], { failedRule: 'JAR-11' });
    expect(explainTrace(t).items.map((i) => i.id)).toEqual(['JAR-11', 'X-1', 'Y-1']);
  });

  it('carries id, sentence, message, expected, actual, source with links, fix and subject on each item', () => {
    const [item] = explainTrace(
      trace([rule('JAR-11', false, { summary: 'The aud is the issuer.', message: 'aud is wrong', expected: ISSUER, actual: 'https://wrong.example/' })]),
    ).items;
    expect(item).toEqual({
      id: 'JAR-11',
      passed: false,
      status: 'failed',
      sentence: 'The aud is the issuer.',
      message: 'aud is wrong',
      expected: ISSUER,
      actual: 'https://wrong.example/',
      source: 'RFC 9101 §4',
      sourceParts: [{ text: 'RFC 9101 §4', href: 'https://www.rfc-editor.org/rfc/rfc9101#section-4' }],
      fix: 'fix JAR-11',
      subject: { kind: 'http', label: 'GET /authorize → 400' },
    });
  });

  it('says all passed, or that no rule applied', () => {
    expect(explainOutcomes([rule('A-1', true)]).verdict).toMatchObject({ ok: true, first: null, text: 'All 1 rule passed.' });
    const none = explainTraces([trace([])]);
    expect(none.items).toEqual([]);
    expect(none.verdict.text).toBe('No rule applied.');
    expect(none.notes).toEqual([{ code: 'no-rules' }]);
  });

  it("orders several traces by request, each trace's failures before all passes", () => {
    const e = explainTraces([
      trace([rule('P-1', true), rule('P-2', false)], { path: '/oauth/par', method: 'POST' }),
      trace([rule('Q-1', false), rule('Q-2', true)]),
    ]);
    expect(e.items.map((i) => `${i.id}@${i.subject?.label}`)).toEqual([
      'P-2@POST /oauth/par → 400',
      'Q-1@GET /authorize → 400',
      'P-1@POST /oauth/par → 400',
      'Q-2@GET /authorize → 400',
    ]);
  });

  it("keeps group order for failures across subjects (the first group's failure on top)", () => {
    const e = explainGroups([
      { outcomes: [rule('PKJ-8', false)], subject: { kind: 'clientAssertion' } },
      { outcomes: [rule('JAR-11', false)], subject: { kind: 'requestObject' } },
    ]);
    expect(e.items.map((i) => i.id)).toEqual(['PKJ-8', 'JAR-11']);
  });
});

describe('Explain › flow steps', () => {
  it('explains an embedded step from its server traces, the failed rule on top', () => {
    const s = step({
      name: 'authorize',
      serverTraces: [trace([rule('JAR-1', true), rule('JAR-11', false)])],
      jwts: [{ label: 'Request object', token: compact(JAR_HEADER, jarPayload()) }],
    });
    const e = explainFlowStep(s, { issuer: ISSUER, clientId: CLIENT_ID, profile: 'auth0' })!;
    expect(e.items[0]).toMatchObject({ id: 'JAR-11', passed: false, subject: { kind: 'http' } });
  });

  it("lints a remote step's request object with the shared rules, as of the step's start", () => {
    // Valid for 5 minutes after NOW, long past today: judged as of the step's start, JAR-13 passes.
    const token = compact(JAR_HEADER, { ...jarPayload(), aud: 'https://wrong.example/' });
    const s = step({ name: 'build', jwts: [{ label: 'Request object', token }] });
    const e = explainFlowStep(s, { issuer: ISSUER, clientId: CLIENT_ID, profile: 'auth0' })!;
    expect(e.items[0]).toMatchObject({
      id: 'JAR-11',
      passed: false,
      expected: `${ISSUER} (or an array containing it)`,
      actual: 'https://wrong.example/',
      subject: { kind: 'requestObject' },
    });
    expect(e.items[0]!.fix).toMatch(/trailing slash/);
    expect(e.items.filter((i) => !i.passed).map((i) => i.id)).toEqual(['JAR-11']);
  });

  it('puts the client assertion before the request object at PAR, with the PAR endpoint as a receiving audience', () => {
    const assertion = compact(ASSERTION_HEADER, { ...assertionPayload(), aud: 'https://elsewhere.example/' });
    const request = compact(JAR_HEADER, { ...jarPayload(), iss: 'someone-else' });
    const s = step({
      name: 'push',
      jwts: [
        { label: 'Request object', token: request },
        { label: 'Client assertion', token: assertion },
      ],
      exchange: {
        request: { method: 'POST', url: `${ISSUER}oauth/par`, headers: {}, body: `request=${request}&client_assertion=${assertion}&client_id=${CLIENT_ID}` },
        durationMs: 1,
      },
    });
    const e = explainFlowStep(s, { issuer: ISSUER, clientId: CLIENT_ID, profile: 'auth0' })!;
    expect(e.items.filter((i) => !i.passed).map((i) => `${i.id}:${i.subject?.kind}`)).toEqual(['PKJ-8:clientAssertion', 'JAR-10:requestObject']);
    expect(e.items.find((i) => i.id === 'PKJ-8')!.expected).toContain(`${ISSUER}oauth/par`);
    // PKJ-3 ran: the form's client_id was compared with the assertion's sub.
    expect(e.items.find((i) => i.id === 'PKJ-3')).toMatchObject({ passed: true, expected: CLIENT_ID });
  });

  it('has nothing to explain for a step without traces or lintable JWTs', () => {
    expect(
      explainFlowStep(step({ name: 'verify', jwts: [{ label: 'ID token', token: compact({ alg: 'RS256' }, { sub: 'u' }) }] }), {
        issuer: ISSUER,
        clientId: CLIENT_ID,
        profile: 'auth0',
      }),
    ).toBeNull();
    expect(explainFlowStep(step({ name: 'discover', serverTraces: [trace([])] }), { issuer: ISSUER, clientId: CLIENT_ID, profile: 'auth0' })).toBeNull();
  });

  it("picks the profile that fits: the server's own for an embedded target, the vendor's for a remote one", () => {
    const run = {
      steps: [step({ name: 'discover', detail: { issuer: 'https://acme.eu.auth0.com/', token_endpoint: 'https://acme.eu.auth0.com/oauth/token' } })],
    };
    expect(stepContextFor(run, { issuer: 'https://acme.eu.auth0.com', client_id: 'c', embedded: false })).toEqual({
      issuer: 'https://acme.eu.auth0.com/',
      clientId: 'c',
      profile: 'auth0',
      tokenEndpoint: 'https://acme.eu.auth0.com/oauth/token',
    });
    expect(stepContextFor({ steps: [] }, { issuer: 'http://127.0.0.1:1/', client_id: 'c', embedded: true }, 'strict').profile).toBe('strict');
    expect(profileForIssuer('https://dev-1.okta.com/oauth2/default')).toBe('okta');
    expect(profileForIssuer('https://op.example/')).toBe('strict');
    expect(profileForIssuer('not a url')).toBe('auth0');
  });
});

describe('Explain › signatures', () => {
  const base: VerifyResult = {
    valid: false,
    alg: 'RS256',
    kid: 'k1',
    matched: null,
    failure: 'bad-signature',
    message: 'The signature does not verify with pasted JWK.',
    candidates: [],
    sourceDescription: 'pasted JWK',
  };

  it('turns a failed verification into JAR-8 / PKJ-13 with expected, actual and a fix', () => {
    expect(signatureOutcome('requestObject', base)).toMatchObject({
      id: 'JAR-8',
      passed: false,
      expected: 'a valid RS256 signature by pasted JWK',
      actual: 'the signature does not verify',
      source: 'RFC 9101 §6.2',
    });
    expect(signatureOutcome('clientAssertion', { ...base, failure: 'kid-mismatch' })).toMatchObject({ id: 'PKJ-13', actual: 'kid k1 is not among the keys' });
    expect(signatureOutcome('clientAssertion', { ...base, failure: 'kid-mismatch' }).fix).toMatch(/kid/);
  });

  it('turns a valid verification into a pass naming the key', () => {
    const valid: VerifyResult = {
      ...base,
      valid: true,
      failure: null,
      message: 'ok',
      matched: { label: 'pasted JWK', kid: 'k1', thumbprint: 't', alg: null, outcome: 'matched' },
    };
    expect(signatureOutcome('idToken', valid)).toMatchObject({ id: 'IDT-4', passed: true, actual: 'verified by pasted JWK' });
  });
});

describe('Explain › sources', () => {
  it('links RFC sections to rfc-editor.org, Auth0 pages to auth0.com, and keeps the text between', () => {
    expect(sourceParts('RFC 9101 §4, §10.8; Auth0 JAR docs (A1)')).toEqual([
      { text: 'RFC 9101 §4', href: 'https://www.rfc-editor.org/rfc/rfc9101#section-4' },
      { text: ', ' },
      { text: '§10.8', href: 'https://www.rfc-editor.org/rfc/rfc9101#section-10.8' },
      { text: '; ' },
      {
        text: 'Auth0 JAR docs',
        href: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow/authorization-code-flow-with-jar',
      },
    ]);
    expect(sourceParts('RFC 7523 §3 items 1–2; OIDC Core §9')).toEqual([
      { text: 'RFC 7523 §3 items 1–2', href: 'https://www.rfc-editor.org/rfc/rfc7523#section-3' },
      { text: '; ' },
      { text: 'OIDC Core §9', href: 'https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.9' },
    ]);
    expect(sourceParts('RFC 8725')).toEqual([{ text: 'RFC 8725', href: 'https://www.rfc-editor.org/rfc/rfc8725' }]);
    expect(sourceParts('Auth0 private_key_jwt docs (A7)')).toEqual([
      {
        text: 'Auth0 private_key_jwt docs',
        href: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt',
      },
    ]);
  });

  it('keeps every word of the source but its bare ids, which become links', () => {
    for (const s of ['RFC 7519 §4.1.4–4.1.5', 'RFC 6749 §3.1, §3.2', 'RFC 9126 §2, §2.1; Auth0 PAR (public applications are not supported)']) {
      expect(
        sourceParts(s)
          .map((p) => p.text)
          .join(''),
      ).toBe(s);
    }
    expect(
      sourceParts('RFC 9126 §2, §2.1; Auth0 PAR (A3: public applications are not supported)')
        .map((p) => p.text)
        .join(''),
    ).toBe('RFC 9126 §2, §2.1; Auth0 PAR (public applications are not supported)');
  });
});
