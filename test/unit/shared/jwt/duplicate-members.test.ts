/**
 * JWT-7's fast path (re-serialise and compare) agrees with the full AST walk on every input: compact
 * JSON without duplicates, the same with a member duplicated at any depth, and texts with whitespace or
 * escapes that the fast path must hand over to the walk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateMember } from '../../../../shared/jwt/duplicate-members';

/** Duplicates the first member of the innermost-first object found in a compact JSON text. */
function duplicateFirstMember(text: string): string {
  const match = /\{("(?:[^"\\]|\\.)*":(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null))([,}])/.exec(text);
  if (!match) return text;
  const [whole, member, end] = match;
  return text.replace(whole, `{${member},${member}${end === ',' ? ',' : '}'}`);
}

describe('JWT-7 duplicate members: fast path', () => {
  it('agrees with the AST walk on compact JSON with and without a duplicated member (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }), fc.boolean(), fc.boolean(), (value, duplicate, spaced) => {
        let text = JSON.stringify(value);
        if (duplicate) text = duplicateFirstMember(text);
        if (spaced) text = text.replace(/^\{/, '{ ');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return; // the injection can only produce valid JSON, but be safe
        }
        expect(findDuplicateMember(text, parsed)).toBe(findDuplicateMember(text));
      }),
      { seed: 20261122, numRuns: 400 },
    );
  });

  it('finds what the fast path must not miss', () => {
    for (const text of ['{"a":1,"a":1}', '{"a":1,"\\u0061":1}', '{"x":{"b":[1],"b":[1]}}', '{"a":1, "a":1}']) {
      expect(findDuplicateMember(text, JSON.parse(text)), text).toBeDefined();
    }
    expect(findDuplicateMember('{"a":1,"b":{"c":[1,2]}}', { a: 1, b: { c: [1, 2] } })).toBeUndefined();
  });
});
