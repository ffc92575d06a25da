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
 * text either: the caller has already run `JSON.parse`, which is what decides "not JSON".
 */
export function findDuplicateMember(json: string): string | undefined {
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
