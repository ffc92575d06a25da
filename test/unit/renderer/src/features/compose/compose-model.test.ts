import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lintClientAssertion, lintRequestObject } from '../../../../../../shared/jwt';
import {
  algChoice,
  assertionAudience,
  authorizeUrl,
  buildTemplate,
  claimValue,
  customClaimNames,
  generatePkce,
  normalizeIssuer,
  retargetAudience,
  retargetClient,
  usageProblems,
  withMember,
} from '../../../../../../renderer/src/features/compose/compose-model';

const issuer = 'https://tenant.example.com/';
const now = 1_800_000_000;

describe('Compose model', () => {
  it('offers the algs the key can sign AND the profile accepts, and says why the others are hidden', () => {
    const rsa = { algs: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const };
    const auth0 = algChoice({ algs: [...rsa.algs] }, 'auth0', 'jar');
    expect(auth0.allowed).toEqual(['RS256', 'RS384', 'PS256']);
    expect(auth0.hidden).toContainEqual({ alg: 'ES256', reason: 'key' });
    expect(auth0.hidden).toContainEqual({ alg: 'RS512', reason: 'profile' });
    expect(algChoice({ algs: [...rsa.algs] }, 'fapi2', 'jar').allowed).toEqual(['PS256']);
    expect(algChoice({ algs: ['ES256'] }, 'okta', 'assertion').allowed).toEqual(['ES256']);
  });

  it('reads field text back into claim values', () => {
    expect(claimValue('', 'string')).toBeUndefined();
    expect(claimValue('1800000000', 'date')).toBe(1_800_000_000);
    expect(claimValue('soon', 'date')).toBe('soon');
    expect(claimValue('["a","b"]', 'aud')).toEqual(['a', 'b']);
    expect(claimValue('https://x/', 'aud')).toBe('https://x/');
    expect(claimValue('true', 'json')).toBe(true);
    expect(claimValue('{"a":1}', 'json')).toEqual({ a: 1 });
    expect(claimValue('plain text', 'json')).toBe('plain text');
    expect(withMember({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
    expect(Object.keys(withMember({ a: 1, b: 2 }, 'a', 3))).toEqual(['a', 'b']);
  });

  it('normalizes the issuer with its trailing slash and picks the assertion audience per profile', () => {
    expect(normalizeIssuer(' https://tenant.example.com ')).toBe(issuer);
    expect(assertionAudience(issuer, 'auth0')).toBe(issuer);
    expect(assertionAudience(issuer, 'okta')).toBe(`${issuer}oauth/token`);
  });

  it('fills templates that pass the server rules', () => {
    const jar = buildTemplate('jar-code', { issuer, clientId: 'client1', profile: 'auth0', kid: 'kid1', alg: 'RS256', now });
    expect(jar.header).toEqual({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'kid1' });
    expect(jar.payload).toMatchObject({
      iss: 'client1',
      aud: issuer,
      client_id: 'client1',
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: 'https://myapp.com/callback',
    });
    const ctx = { issuer, clientId: 'client1', profile: 'auth0' as const, now, endpoint: 'authorize' as const };
    expect(lintRequestObject(jar, ctx).filter((o) => !o.passed)).toEqual([]);
    const broken = { ...jar, payload: { ...jar.payload, aud: issuer.slice(0, -1) } };
    expect(
      lintRequestObject(broken, ctx)
        .filter((o) => !o.passed)
        .map((o) => o.id),
    ).toEqual(['JAR-11']);

    const par = buildTemplate('par-jar', { issuer, clientId: 'client1', profile: 'auth0', kid: undefined, alg: 'PS256', now, codeChallenge: 'abc' });
    expect(par.payload).toMatchObject({ code_challenge: 'abc', code_challenge_method: 'S256' });
    expect(typeof par.payload.state).toBe('string');

    for (const profile of ['auth0', 'okta'] as const) {
      const assertion = buildTemplate('assertion', { issuer, clientId: 'client1', profile, kid: 'kid1', alg: 'RS256', now });
      expect(assertion.payload).toMatchObject({ iss: 'client1', sub: 'client1', iat: now, exp: now + 300 });
      const actx = { issuer, tokenEndpoint: `${issuer}oauth/token`, endpointUrl: `${issuer}oauth/token`, clientIdParam: 'client1', profile, now };
      expect(lintClientAssertion(assertion, actx).filter((o) => !o.passed)).toEqual([]);
    }
  });

  it('generates a PKCE pair: a 43-character verifier and its S256 challenge', async () => {
    const { verifier, challenge } = await generatePkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('carries client and audience defaults to a new aim, leaving typed values alone', () => {
    expect(retargetClient({ iss: 'a', client_id: 'a', sub: 'typed' }, 'a', 'b')).toEqual({ iss: 'b', client_id: 'b', sub: 'typed' });
    expect(retargetAudience({ aud: issuer }, issuer, 'https://other/')).toEqual({ aud: 'https://other/' });
    expect(retargetAudience({ aud: 'typed' }, issuer, 'https://other/')).toEqual({ aud: 'typed' });
    expect(customClaimNames('jar', { iss: 'a', foo: 1, acr_values: 'x' })).toEqual(['foo', 'acr_values']);
  });

  it('warns about usages and builds the /authorize URL', () => {
    expect(usageProblems({ usages: ['client-auth'] }, 'jar')).toEqual({ mismatch: true, reused: false });
    expect(usageProblems({ usages: ['jar', 'client-auth'] }, 'assertion')).toEqual({ mismatch: false, reused: true });
    expect(authorizeUrl(issuer, 'c 1', 'a.b.c')).toBe(`${issuer}authorize?client_id=c%201&request=a.b.c`);
  });
});
