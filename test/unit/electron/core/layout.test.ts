/**
 * The core's layering (docs/architecture.md, "One core, three hosts"): host/core.ts composes the parts and
 * the operations; every operation's handler is in operations/<domain>.ts; the domains (vault, server,
 * flows, cases, faults…) import neither the operations nor the host. Read from the sources' own imports
 * with TypeScript's parser (ts.preProcessFile), so a type-only import counts too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../../../shared/ipc/contract';

const core = fileURLToPath(new URL('../../../../electron/core/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The core-relative folder ("host", "operations", "vault"…) or file ("clock.ts") each relative import of `file` lands in. */
function importedParts(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(core, resolve(dirname(file), name)).split(/[\\/]/)[0] ?? '');
}

/** Every core file with the parts of the core it imports, grouped by the part it is in. */
function importsByPart(): Map<string, { file: string; imports: string[] }[]> {
  const byPart = new Map<string, { file: string; imports: string[] }[]>();
  for (const file of sources(core)) {
    const part = relative(core, file).split(/[\\/]/)[0] ?? '';
    const list = byPart.get(part) ?? [];
    list.push({ file: relative(core, file), imports: importedParts(file) });
    byPart.set(part, list);
  }
  return byPart;
}

describe('Core › layout', () => {
  it('has one operations module per domain of the contract, beside the dispatcher', () => {
    const domains = [...new Set(OP_NAMES.map((name) => name.split('.')[0]!))];
    const missing = domains.filter((domain) => !existsSync(join(core, 'operations', `${domain}.ts`)));
    expect(missing).toEqual([]);
    expect(existsSync(join(core, 'operations', 'dispatch.ts'))).toBe(true);
  });

  it('keeps the domains free of the operations and the host: host → operations → domains', () => {
    const backReferences: string[] = [];
    for (const [part, files] of importsByPart()) {
      const forbidden = part === 'host' ? [] : part === 'operations' ? ['host'] : ['host', 'operations'];
      for (const { file, imports } of files) {
        for (const target of imports) if (forbidden.includes(target)) backReferences.push(`${file} → ${target}/`);
      }
    }
    expect(backReferences).toEqual([]);
  });

  it('leaves the host only the wiring: no handler table outside operations/', () => {
    const outside = [...importsByPart()].filter(([part]) => part !== 'operations').flatMap(([, files]) => files.map((f) => f.file));
    // A handler is keyed by its operation's name, quoted: `'keys.sign': (input) => …`.
    const withHandlers = outside.filter((file) => OP_NAMES.some((name) => readFileSync(join(core, file), 'utf8').includes(`'${name}': (`)));
    expect(withHandlers).toEqual([]);
  });
});
