import { describe, expect, it } from 'vitest';
import { CLAIM_CATALOGUE, claimInfo, isDateClaim } from '../../../../../../renderer/src/features/inspect/claims';
import { diffMembers } from '../../../../../../renderer/src/features/inspect/compare-panel';
import { decodeForInspect } from '../../../../../../renderer/src/state/decode/decode-core';
import en from '../../../../../../renderer/src/i18n/locales/en.json';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('Inspect › decoding', () => {
  it('decodes a compact JWS, trimming whitespace, with pretty JSON', () => {
    const outcome = decodeForInspect(`\n  ${b64({ alg: 'RS256' })}.${b64({ sub: 'a' })}.c2ln \n`);
    expect(outcome).toMatchObject({ kind: 'jws', header: { alg: 'RS256' }, payload: { sub: 'a' }, signature: 'c2ln' });
    if (outcome.kind === 'jws') expect(outcome.payloadJson).toBe('{\n  "sub": "a"\n}');
  });

  it('reads only the protected header of a JWE', () => {
    expect(decodeForInspect(`${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`)).toMatchObject({ kind: 'jwe', header: { enc: 'A256GCM' } });
  });

  it('names the problem of malformed input', () => {
    expect(decodeForInspect('')).toEqual({ kind: 'empty' });
    expect(decodeForInspect('a.b')).toMatchObject({ kind: 'error', code: 'wrong-part-count', count: 2 });
    expect(decodeForInspect(`${b64({ alg: 'RS256' })}.a+b.`)).toMatchObject({ kind: 'error', code: 'bad-base64url', part: 'payload' });
    expect(decodeForInspect(`${b64('nope')}.${b64({})}.`)).toMatchObject({ kind: 'error', code: 'not-json', part: 'header' });
    expect(decodeForInspect(`${b64({ alg: 'RS256' })}.${b64('{"a":1,"a":2}')}.`)).toMatchObject({
      kind: 'error',
      code: 'duplicate-member',
      part: 'payload',
      member: 'a',
    });
  });
});

describe('Inspect › compare', () => {
  it('lists changed, added, removed and unchanged members', () => {
    expect(diffMembers({ a: 1, b: [1], c: 'x' }, { a: 1, b: [2], d: true }).map((r) => `${r.name}:${r.change}`)).toEqual([
      'a:same',
      'b:changed',
      'c:removed',
      'd:added',
    ]);
  });
});

describe('Claim catalogue', () => {
  it('has an English description for every entry, and no name twice per location', () => {
    const descriptions = en.inspect.claims as Record<string, string>;
    expect(CLAIM_CATALOGUE.filter((c) => !descriptions[c.descriptionKey]).map((c) => c.name)).toEqual([]);
    for (const location of ['header', 'payload'] as const) {
      const names = CLAIM_CATALOGUE.filter((c) => c.location === location).map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('knows the registered claims and dates', () => {
    expect(claimInfo('payload', 'exp')?.spec).toBe('RFC 7519 §4.1.4');
    expect(claimInfo('header', 'kid')?.family).toBe('jose');
    expect(isDateClaim('iat')).toBe(true);
    expect(isDateClaim('scope')).toBe(false);
  });
});
