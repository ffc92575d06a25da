/**
 * Paste a customer's request: each input kind is recognised (an /authorize URL, a PAR body, a bare JWT),
 * malformed ones are refused naming the problem, and the explanation puts the rule the server would
 * answer with on top — request-level rules, then the lint, then the signature verified by the core.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyJwt } from '../../../../electron/core/jwt/verify';
import type { VerifyDeps } from '../../../../electron/core/jwt/verify';
import type { PastedInput } from '../../../../shared/explain/paste';
import { checkKeyText, detectRole, expectationsFor, explainPasted, parsePasted, pastedJwts, serverOfUrl } from '../../../../shared/explain/paste';
import { ASSERTION_HEADER, CLIENT_ID, ISSUER, JAR_HEADER, NOW, PAR_ENDPOINT, assertionPayload, compact, jarPayload } from '../jwt/helpers';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OPTIONS = { profile: 'auth0' as const, issuer: ISSUER, audience: PAR_ENDPOINT, clientId: CLIENT_ID, now: NOW };

function parsed(text: string): PastedInput {
  const result = parsePasted(text);
  if (!result.ok) throw new Error(`not parsed: ${result.error.message}`);
  return result.input;
}

function errorOf(text: string) {
  const result = parsePasted(text);
  if (result.ok) throw new Error(`parsed as ${result.input.kind}`);
  return result.error;
}

const requestObject = compact(JAR_HEADER, jarPayload());
const assertion = compact(ASSERTION_HEADER, assertionPayload());

describe('Paste › recognising the input', () => {
  it('reads an /authorize URL with request=, keeping every parameter and its endpoint', () => {
    const input = parsed(`  ${ISSUER}authorize?client_id=${CLIENT_ID}&request=${requestObject}\n`);
    expect(input).toEqual({
      kind: 'authorize-url',
      endpoint: `${ISSUER}authorize`,
      params: [
        ['client_id', CLIENT_ID],
        ['request', requestObject],
      ],
    });
    expect(pastedJwts(input)).toEqual([{ role: 'requestObject', token: requestObject }]);
  });

  it('reads a relative /authorize?… and a bare ?query as authorize requests', () => {
    expect(parsed('/authorize?client_id=a&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax')).toMatchObject({
      kind: 'authorize-url',
      endpoint: '/authorize',
      params: [
        ['client_id', 'a'],
        ['request_uri', 'urn:ietf:params:oauth:request_uri:x'],
      ],
    });
    expect(parsed('?client_id=a&scope=openid+profile')).toMatchObject({
      kind: 'authorize-url',
      params: [
        ['client_id', 'a'],
        ['scope', 'openid profile'],
      ],
    });
  });

  it('reads a form-encoded PAR body with request and client_assertion, assertion first', () => {
    const input = parsed(`request=${requestObject}&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertion}`);
    expect(input.kind).toBe('par-body');
    expect(pastedJwts(input).map((j) => j.role)).toEqual(['clientAssertion', 'requestObject']);
  });

  it('reads a bare JWT and detects its role', () => {
    expect(parsed(requestObject)).toEqual({ kind: 'jwt', token: requestObject, role: 'requestObject' });
    expect(parsed(assertion)).toEqual({ kind: 'jwt', token: assertion, role: 'clientAssertion' });
    expect(detectRole({ typ: 'application/oauth-authz-req+jwt' }, { iss: 'a', sub: 'a' })).toBe('requestObject');
    expect(detectRole({}, { iss: 'a', sub: 'a', jti: 'j' })).toBe('clientAssertion');
    expect(detectRole({}, { iss: 'a', sub: 'a', response_type: 'code' })).toBe('requestObject');
  });

  it('refuses malformed input, naming the problem', () => {
    expect(errorOf('   ').code).toBe('empty');
    expect(errorOf('https://exa mple.com/authorize?x=1')).toMatchObject({ code: 'not-url' });
    expect(errorOf('https://[bad/authorize?x=1')).toMatchObject({ code: 'not-url', message: 'The text starts like a URL but is not a valid URL.' });
    expect(errorOf('ftp://tenant.example/authorize?x=1')).toMatchObject({ code: 'not-url' });
    expect(errorOf(`${ISSUER}authorize`)).toMatchObject({ code: 'url-no-query' });
    expect(errorOf('client_id=a&oops&request=b')).toMatchObject({ code: 'not-form', params: { chunk: 'oops' } });
    expect(errorOf('client_id=a&=b')).toMatchObject({ code: 'not-form' });
    expect(errorOf('client_id=%E0%A4%A&request=b')).toMatchObject({ code: 'form-encoding' });
    expect(errorOf('client_id=a b&request=b')).toMatchObject({ code: 'not-form' });
    expect(errorOf('a.b.c.d.e')).toMatchObject({ code: 'jwe' });
    expect(errorOf('aaa.bbb')).toMatchObject({ code: 'jwt-parts', params: { parts: '2' } });
    expect(errorOf('aaa.bbb.ccc')).toMatchObject({ code: 'jwt-undecodable' });
    expect(errorOf('aaa.bbb.ccc').message).toMatch(/^The token is not a readable JWT: the header is not/);
    expect(errorOf('{"payload":"x","signatures":[]}')).toMatchObject({ code: 'json-jws' });
    expect(errorOf('hello world')).toMatchObject({
      code: 'unrecognised',
      message: 'The text is not a URL, not a form body (name=value&…) and not a JWT (header.payload.signature).',
    });
  });

  it('never throws, whatever is pasted', () => {
    for (const text of ['%', '?', '?&&', '=', '.', '..', 'a..b', '/', 'http://', '\u0000', 'x'.repeat(1_000_001), `${'a.'.repeat(50)}a`]) {
      expect(() => parsePasted(text)).not.toThrow();
    }
  });
});

describe('Paste › expected values prefilled from the input', () => {
  it("takes the client_id from the query, and never the issuer: the URL's server is only a suggestion", () => {
    const input = parsed(`https://acme.eu.auth0.com/authorize?client_id=abc&request=${requestObject}`);
    expect(expectationsFor(input)).toEqual({ issuer: '', audience: '', clientId: 'abc' });
    expect(serverOfUrl(input)).toBe('https://acme.eu.auth0.com/');
    expect(serverOfUrl(parsed(requestObject))).toBe('');
  });

  it("derives the assertion's audience from the issuer given, never from the JWTs' aud", () => {
    const body = parsed(
      `client_assertion_type=${JWT_BEARER}&client_assertion=${compact(ASSERTION_HEADER, { ...assertionPayload(), aud: `${ISSUER}oauth/par` })}`,
    );
    expect(expectationsFor(body)).toEqual({ issuer: '', audience: '', clientId: CLIENT_ID });
    expect(expectationsFor(body, undefined, ISSUER)).toEqual({ issuer: ISSUER, audience: PAR_ENDPOINT, clientId: CLIENT_ID });
  });
});

describe('Paste › explanation', () => {
  it('puts JAR-1 on top for an /authorize URL with both request and request_uri', () => {
    const input = parsed(`${ISSUER}authorize?client_id=${CLIENT_ID}&request=${requestObject}&request_uri=urn:ietf:params:oauth:request_uri:abc`);
    const e = explainPasted(input, OPTIONS);
    expect(e.items[0]).toMatchObject({
      id: 'JAR-1',
      passed: false,
      expected: 'request or request_uri, not both',
      actual: 'both',
      subject: { kind: 'request' },
    });
    expect(e.items[0]!.fix).toBe('Send either the request object (request) or a pushed request_uri, not both.');
    expect(e.verdict.first?.id).toBe('JAR-1');
  });

  it('puts AZR-9 on top for a repeated parameter, and JAR-2 for a missing client_id next to request', () => {
    const dup = explainPasted(parsed(`${ISSUER}authorize?client_id=a&client_id=b&request=${requestObject}`), OPTIONS);
    expect(dup.items[0]).toMatchObject({ id: 'AZR-9', passed: false, actual: 'client_id 2 times' });
    const missing = explainPasted(parsed(`${ISSUER}authorize?request=${requestObject}`), OPTIONS);
    expect(missing.items[0]).toMatchObject({ id: 'JAR-2', passed: false, expected: 'client_id in the query', actual: '(absent)' });
  });

  it("compares the query's client_id with the request object's (JAR-2, from the lint)", () => {
    const e = explainPasted(parsed(`${ISSUER}authorize?client_id=other&request=${requestObject}`), { ...OPTIONS, clientId: CLIENT_ID });
    expect(e.items[0]).toMatchObject({ id: 'JAR-2', passed: false, expected: 'other', actual: CLIENT_ID, subject: { kind: 'requestObject' } });
  });

  it('refuses an http(s) request_uri (AZR-1) and notes that a pushed request lives on the server', () => {
    const e = explainPasted(parsed(`${ISSUER}authorize?client_id=a&request_uri=https%3A%2F%2Fattacker.example%2Fr`), OPTIONS);
    expect(e.items[0]).toMatchObject({ id: 'AZR-1', passed: false });
    expect(e.notes).toEqual([{ code: 'pushed-request' }]);
    const ok = explainPasted(parsed(`${ISSUER}authorize?client_id=a&request_uri=urn:ietf:params:oauth:request_uri:x`), OPTIONS);
    expect(ok.verdict.ok).toBe(true);
  });

  it('explains a PAR body: request-level rules, then the assertion, then the request object', () => {
    const badAssertion = compact(ASSERTION_HEADER, { ...assertionPayload(), aud: 'https://tenant.example.com' });
    const body = `request=${requestObject}&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${badAssertion}&client_id=${CLIENT_ID}`;
    const e = explainPasted(parsed(body), OPTIONS);
    expect(e.items.filter((i) => !i.passed).map((i) => i.id)).toEqual(['PKJ-8']);
    expect(e.items[0]!.message).toMatch(/lacks the trailing slash/);
    const kinds = e.items.filter((i) => i.passed).map((i) => i.subject?.kind);
    expect(kinds.indexOf('request')).toBeLessThan(kinds.indexOf('clientAssertion'));
    expect(kinds.indexOf('clientAssertion')).toBeLessThan(kinds.indexOf('requestObject'));
    // PAR-11 ran (the object's client_id is the authenticated client), not the /authorize JAR-2.
    expect(e.items.map((i) => i.id)).toContain('PAR-11');
    expect(e.items.map((i) => i.id)).not.toContain('JAR-2');
    // No key: the signatures are not checked, and the explanation says so.
    expect(e.notes).toEqual([
      { code: 'signature-not-checked', subject: { kind: 'clientAssertion' } },
      { code: 'signature-not-checked', subject: { kind: 'requestObject' } },
    ]);
  });

  it("finds a PAR body's authentication problems: PAR-6, PKJ-1, PKJ-2, PAR-4", () => {
    const firstFailure = (body: string) => explainPasted(parsed(body), OPTIONS).items[0];
    expect(firstFailure(`request_uri=urn:x&client_id=a&client_secret=s`)).toMatchObject({ id: 'PAR-6', passed: false });
    expect(firstFailure(`client_assertion=${assertion}&client_assertion_type=jwt`)).toMatchObject({ id: 'PKJ-1', passed: false, actual: 'jwt' });
    expect(firstFailure(`client_assertion=${assertion}&client_assertion_type=${JWT_BEARER}&client_secret=s`)).toMatchObject({ id: 'PKJ-2', passed: false });
    expect(firstFailure(`request=${requestObject}&client_id=a`)).toMatchObject({ id: 'PAR-4', passed: false, actual: 'client_id only' });
    expect(firstFailure(`request=${requestObject}&client_secret=s`)).toMatchObject({ id: 'PAR-4', passed: false, actual: 'client_secret without client_id' });
  });

  it('explains a bare JWT as its detected role or as the role chosen', () => {
    const asAssertion = explainPasted(parsed(assertion), { ...OPTIONS, audience: `${ISSUER}oauth/token` });
    expect(asAssertion.verdict.ok).toBe(true);
    expect(asAssertion.items.every((i) => i.subject?.kind === 'clientAssertion')).toBe(true);
    const forced = explainPasted(parsed(assertion), { ...OPTIONS, role: 'requestObject' });
    expect(forced.items[0]).toMatchObject({ subject: { kind: 'requestObject' }, passed: false });
    expect(forced.items.map((i) => i.id)).toContain('JAR-12');
  });

  it('reports a JWE inside a request as JAR-9 (the lint), not as a parse error', () => {
    const e = explainPasted(parsed(`${ISSUER}authorize?client_id=${CLIENT_ID}&request=a.b.c.d.e`), OPTIONS);
    expect(e.items[0]).toMatchObject({ id: 'JAR-9', passed: false });
    expect(e.notes).toEqual([]);
  });

  it('adds the signature verified by the core against a pasted JWK: JAR-11 on top for a wrong aud, JAR-8 passing', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...jarPayload(), aud: 'https://wrong.example/', iat: now, nbf: now, exp: now + 300 })
      .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'k1' })
      .sign(privateKey);
    const deps = {} as VerifyDeps; // a pasted key needs neither the vault, the server nor the network
    const good = await verifyJwt(token, { kind: 'text', text: JSON.stringify(jwk) }, deps);
    const e = explainPasted(parsed(token), { ...OPTIONS, now, signatures: { requestObject: good } });
    expect(e.items[0]).toMatchObject({ id: 'JAR-11', passed: false, expected: `${ISSUER} (or an array containing it)`, actual: 'https://wrong.example/' });
    expect(e.items.find((i) => i.id === 'JAR-8')).toMatchObject({ passed: true, actual: 'verified by kid k1' });

    // The same token against another key: the signature fails too, after the claim rules (the server's order).
    const other = await exportJWK((await generateKeyPair('RS256')).publicKey);
    const bad = await verifyJwt(token, { kind: 'text', text: JSON.stringify({ keys: [other] }) }, deps);
    const e2 = explainPasted(parsed(token), { ...OPTIONS, now, signatures: { requestObject: bad } });
    expect(e2.items.filter((i) => !i.passed).map((i) => i.id)).toEqual(['JAR-11', 'JAR-8']);

    // A key the core cannot read: a note carrying its reason, no signature rule.
    const unreadable = await verifyJwt(token, { kind: 'text', text: '{"kty":"RSA"}' }, deps);
    const e3 = explainPasted(parsed(token), { ...OPTIONS, now, signatures: { requestObject: unreadable } });
    expect(e3.items.map((i) => i.id)).not.toContain('JAR-8');
    expect(e3.notes).toEqual([{ code: 'key-invalid', subject: { kind: 'requestObject' }, detail: unreadable.message }]);
  });
});

describe('Paste › keys', () => {
  it('accepts PEM public keys, certificates, JWKs and JWKS', () => {
    expect(checkKeyText('')).toBeNull();
    expect(checkKeyText('-----BEGIN PUBLIC KEY-----\nMII\n-----END PUBLIC KEY-----')).toBeNull();
    expect(checkKeyText('-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----')).toBeNull();
    expect(checkKeyText('{"kty":"RSA","n":"x","e":"AQAB"}')).toBeNull();
    expect(checkKeyText('{"keys":[]}')).toBeNull();
  });

  it('names what is wrong with a malformed key', () => {
    expect(checkKeyText('-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----')).toMatchObject({ code: 'key-private' });
    expect(checkKeyText('{"kty":"RSA","n":"x","e":"AQAB","d":"secret"}')).toMatchObject({ code: 'key-private' });
    expect(checkKeyText('-----BEGIN PUBLIC KEY-----\nMII')).toMatchObject({ code: 'key-pem' });
    expect(checkKeyText('-----BEGIN EC PARAMETERS-----\nx\n-----END EC PARAMETERS-----')).toMatchObject({ code: 'key-pem' });
    expect(checkKeyText('{"kty":')).toMatchObject({ code: 'key-json' });
    expect(checkKeyText('{"alg":"RS256"}')).toMatchObject({ code: 'key-not-jwk' });
    expect(checkKeyText('ssh-rsa AAAA')).toMatchObject({ code: 'key-format' });
  });
});
