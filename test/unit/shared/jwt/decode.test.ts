import fc from 'fast-check';
import { base64url as joseBase64url } from 'jose';
import { describe, expect, it } from 'vitest';
import type { JwtDecodeErrorCode } from '../../../../shared/jwt/decode';
import { decodeCompactJwt, JwtDecodeError } from '../../../../shared/jwt/decode';
import { b64, compact } from './helpers';

const LIMIT = { maxBytes: 2048 };

function decodeError(token: string, maxBytes = 2048): JwtDecodeError {
  try {
    decodeCompactJwt(token, { maxBytes });
  } catch (e) {
    if (e instanceof JwtDecodeError) return e;
    throw new Error(`expected a JwtDecodeError, got ${String(e)}`);
  }
  throw new Error('expected the token to be rejected');
}

function expectCode(token: string, code: JwtDecodeErrorCode, message?: RegExp, maxBytes = 2048): void {
  const e = decodeError(token, maxBytes);
  expect(e.code).toBe(code);
  expect(e.name).toBe('JwtDecodeError');
  if (message) expect(e.message).toMatch(message);
}

describe('RFC 7515 JWS › JWT-1 compact serialization', () => {
  it('decodes a compact JWS into header, payload, signing input, signature and size', () => {
    const token = compact({ alg: 'RS256', typ: 'JWT' }, { sub: 'a', n: 1, nested: { ok: true } }, 'c2lnbmF0dXJl');
    const decoded = decodeCompactJwt(token, LIMIT);
    expect(decoded.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decoded.payload).toEqual({ sub: 'a', n: 1, nested: { ok: true } });
    expect(decoded.signingInput).toBe(token.split('.').slice(0, 2).join('.'));
    expect(decoded.signatureB64).toBe('c2lnbmF0dXJl');
    expect(decoded.bytes).toBe(token.length);
  });

  it("accepts an empty signature part (alg none is the rules' business, not the decoder's)", () => {
    expect(decodeCompactJwt(compact({ alg: 'none' }, {}, ''), LIMIT).signatureB64).toBe('');
  });

  it('rejects an empty or blank token', () => {
    expectCode('', 'empty', /empty/);
    expectCode('   ', 'empty');
  });

  it('rejects a value that is not a string without throwing anything else', () => {
    expectCode(undefined as unknown as string, 'empty', /not a string/);
    expectCode(42 as unknown as string, 'empty');
  });

  it('rejects the JWS JSON serialization', () => {
    expectCode(JSON.stringify({ payload: b64({}), signatures: [] }), 'json-serialization', /JSON serialization/);
  });

  it('rejects tokens with the wrong number of parts, naming the count', () => {
    expectCode('abc', 'wrong-part-count', /^the token has 1 part; a compact JWS has 3$/);
    expectCode(`${b64({ alg: 'RS256' })}.${b64({})}`, 'wrong-part-count', /^the token has 2 parts; a compact JWS has 3$/);
    expectCode('a.b.c.d', 'wrong-part-count', /4 parts/);
    expectCode('a.b.c.d.e.f', 'wrong-part-count', /6 parts/);
  });

  it('rejects parts that are not base64url: standard base64, padding, spaces, impossible lengths', () => {
    expectCode(`${b64({ alg: 'RS256' })}+.${b64({})}.sig`, 'bad-base64url', /header is not valid base64url/);
    expectCode(`${b64({ alg: 'RS256' })}.${b64({})}/.sig`, 'bad-base64url', /payload/);
    expectCode(`${b64({ alg: 'RS256' })}=.${b64({})}.sig`, 'bad-base64url');
    expectCode(` ${compact({ alg: 'RS256' }, {})}`, 'bad-base64url');
    expectCode(`${b64({ alg: 'RS256' })}.${b64({})}.a`, 'bad-base64url', /signature/);
    expectCode(`${b64({ alg: 'RS256' })}.${b64({})}.si=g`, 'bad-base64url', /signature/);
    expectCode(`abcde.${b64({})}.sig`, 'bad-base64url', /header/);
  });

  it('rejects a header or payload that is not JSON, not UTF-8, or starts with a byte order mark', () => {
    expectCode(`${b64('not json')}.${b64({})}.sig`, 'not-json', /header is not JSON/);
    expectCode(`${b64({ alg: 'RS256' })}.${b64('{"a":1,}')}.sig`, 'not-json', /payload is not JSON/);
    expectCode(`${b64({ alg: 'RS256' })}..sig`, 'not-json', /payload is not JSON/);
    expectCode(`_w.${b64({})}.sig`, 'not-json', /not valid UTF-8/);
    expectCode(`${b64('\uFEFF{"alg":"RS256"}')}.${b64({})}.sig`, 'not-json');
  });

  it('rejects a header or payload that is JSON but not an object', () => {
    expectCode(compact(['RS256'], {}), 'not-object', /header is an array/);
    expectCode(compact({ alg: 'RS256' }, JSON.stringify('a string')), 'not-object', /payload is a string/);
    expectCode(compact({ alg: 'RS256' }, 42), 'not-object', /a number/);
    expectCode(compact({ alg: 'RS256' }, null), 'not-object', /null/);
    expectCode(compact({ alg: 'RS256' }, true), 'not-object', /a boolean/);
  });
});

describe('RFC 9101 JAR › JAR-9 encrypted request objects', () => {
  it('recognises a 5-part token as a JWE', () => {
    expectCode(`${b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })}.a.b.c.d`, 'jwe', /5 parts: it is an encrypted JWT \(JWE\)/);
  });
});

describe('RFC 7515 JWS › JWT-7 duplicate member names', () => {
  it('rejects a duplicated header parameter', () => {
    expectCode(`${b64('{"alg":"RS256","alg":"none"}')}.${b64({})}.sig`, 'duplicate-member', /header has the member "alg" twice/);
  });

  it('rejects a duplicated claim, also when one spelling is escaped', () => {
    expectCode(`${b64({ alg: 'RS256' })}.${b64('{"sub":"a","sub":"b"}')}.sig`, 'duplicate-member', /payload has the member "sub" twice/);
    expectCode(`${b64({ alg: 'RS256' })}.${b64('{"aud":"a","\\u0061ud":"b"}')}.sig`, 'duplicate-member', /"aud"/);
  });

  it('rejects duplicates inside nested objects and arrays, naming the path', () => {
    expectCode(`${b64({ alg: 'RS256' })}.${b64('{"claims":{"id_token":{"acr":1,"acr":2}}}')}.sig`, 'duplicate-member', /"claims\.id_token\.acr"/);
    expectCode(
      `${b64({ alg: 'RS256' })}.${b64('{"authorization_details":[{"type":"a","type":"b"}]}')}.sig`,
      'duplicate-member',
      /authorization_details\[0\]\.type/,
    );
  });

  it('accepts the same name in different objects', () => {
    expect(decodeCompactJwt(compact({ alg: 'RS256' }, { a: { x: 1 }, b: { x: 2 }, x: 3 }), LIMIT).payload).toEqual({ a: { x: 1 }, b: { x: 2 }, x: 3 });
  });
});

describe('RFC 7515 JWS › JWT-8 size before decoding', () => {
  it('rejects a token over the limit before looking at its content', () => {
    expectCode('x'.repeat(2049), 'too-large', /at least 2049 bytes; the limit is 2048 bytes/);
    expectCode(`{${'x'.repeat(3000)}`, 'too-large');
  });

  it('counts UTF-8 bytes, not characters', () => {
    expectCode('é'.repeat(1100), 'too-large', /2200 bytes; the limit is 2048/);
  });

  it('accepts a token of exactly the limit', () => {
    const token = compact({ alg: 'RS256' }, { pad: '' });
    const padded = compact({ alg: 'RS256' }, { pad: 'x'.repeat(Math.floor(((2048 - token.length) * 3) / 4)) });
    expect(padded.length).toBeLessThanOrEqual(2048);
    expect(decodeCompactJwt(padded, LIMIT).bytes).toBe(padded.length);
    expectCode(padded, 'too-large', undefined, padded.length - 1);
  });
});

describe('JWT decoding › robustness', () => {
  // Tokens that look like JWTs but carry arbitrary parts exercise the deeper branches.
  const part = fc.oneof(
    fc.json().map((j) => b64(j)),
    fc.string().map((s) => b64(s)),
    fc.string(),
    fc.constantFrom('', '_w', 'e30'),
  );
  const tokenish = fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.'));
  const anyInput = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), tokenish);

  it('never throws anything but a JwtDecodeError, for any string', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          const decoded = decodeCompactJwt(input, { maxBytes: 512 });
          expect(typeof decoded.header).toBe('object');
          expect(typeof decoded.payload).toBe('object');
        } catch (e) {
          expect(e).toBeInstanceOf(JwtDecodeError);
        }
      }),
      { seed: 9101, numRuns: 300 },
    );
  });

  it('survives deeply nested JSON within the size limit', () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const token = `${b64({ alg: 'RS256' })}.${b64(`{"a":${deep}}`)}.sig`;
    expect(decodeCompactJwt(token, { maxBytes: 10240 }).payload).toHaveProperty('a');
  });
});

describe('base64url decoding: Node Buffer (the server) and jose (the browser) agree', () => {
  it('gives the same bytes for every string that passes the base64url test', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const part = fc
      .array(fc.constantFrom(...alphabet), { maxLength: 200 })
      .map((chars) => chars.join(''))
      .filter((s) => s.length % 4 !== 1);
    fc.assert(
      fc.property(part, (text) => {
        expect(Buffer.from(text, 'base64url').equals(Buffer.from(joseBase64url.decode(text)))).toBe(true);
      }),
      { seed: 7515, numRuns: 2000 },
    );
  });

  it('decodes non-ASCII UTF-8 in both ways, and refuses invalid UTF-8 that is not ASCII', () => {
    const token = compact({ alg: 'RS256' }, { name: 'Zoë 東京 ✓' }, 'sig');
    expect(decodeCompactJwt(token, LIMIT).payload).toEqual({ name: 'Zoë 東京 ✓' });
    // 0xC3 alone is a truncated two-byte sequence; latin1 would have read it as "Ã".
    const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3]), Buffer.from('"}')]).toString('base64url');
    expectCode(`${b64({ alg: 'RS256' })}.${bad}.sig`, 'not-json', /not valid UTF-8/);
  });
});
