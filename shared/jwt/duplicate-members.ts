/**
 * JWT-7: duplicate member names. `JSON.parse` silently keeps the last of two equal names, while other
 * parsers keep the first; a token whose meaning depends on the parser is rejected instead. momoa's AST
 * keeps every member (with escape sequences already resolved), so `{"a":1,"\u0061":2}` is caught too.
 */
import { parse } from '@humanwhocodes/momoa';
import type { ValueNode } from '@humanwhocodes/momoa';

/**
 * The path of the first duplicated member name in a JSON text (e.g. `claims.id_token.acr`), or
 * `undefined` when every object's names are unique. Returns `undefined` when momoa cannot parse the
 * text either: the caller has already run `JSON.parse`, which is what decides "not JSON". `parsed` is
 * that `JSON.parse(json)` result, when the caller has it (it enables the fast path).
 */
export function findDuplicateMember(json: string, parsed?: unknown): string | undefined {
  // Fast path (most JWTs are compact JSON as their library wrote it): when re-serialising the parsed
  // value gives back the very same text, no object in it can have lost a duplicated member, since
  // JSON.parse keeps one of two equal names and the output would be shorter. Anything else — whitespace,
  // escapes, other number spellings, or a real duplicate — takes the full AST walk below.
  if (parsed !== undefined && JSON.stringify(parsed) === json) return undefined;
  let body: ValueNode;
  try {
    body = parse(json, { mode: 'json' }).body;
  } catch {
    return undefined;
  }
  // Iterative walk: a deeply nested payload must not be able to overflow the stack.
  const stack: { node: ValueNode; path: string }[] = [{ node: body, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, path } = item;
    if (node.type === 'Object') {
      const seen = new Set<string>();
      for (const member of node.members) {
        const name = member.name.type === 'String' ? member.name.value : member.name.name;
        const memberPath = path === '' ? name : `${path}.${name}`;
        if (seen.has(name)) return memberPath;
        seen.add(name);
        stack.push({ node: member.value, path: memberPath });
      }
    } else if (node.type === 'Array') {
      node.elements.forEach((element, i) => stack.push({ node: element.value, path: `${path}[${i}]` }));
    }
  }
  return undefined;
}
