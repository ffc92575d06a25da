/**
 * "Export code" byte for byte: the programs of fixed runs (test/fixtures/code-export/cases.ts) against
 * the golden files beside them, which were written by the single-file module (shared/flows/code-export.ts
 * at 709be0e) before it became a folder (plan, one emitter per language, helper text). A change to what
 * a program says shows up here as a diff of that program; code-export.test.ts runs the programs.
 *
 * An intended change of the output: `PARLEY_WRITE_GOLDEN=1 npx vitest run test/unit/renderer/src/features/flows/export/code/code-export-golden.test.ts`
 * rewrites the files, whose diff is then reviewed with the change.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodeExport } from '../../../../../../../../renderer/src/features/flows/export/code';
import { CODE_LANGUAGES, exportCode } from '../../../../../../../../renderer/src/features/flows/export/code';
import { CODE_EXPORT_CASES } from '../../../../../../../fixtures/code-export/cases';

const DIR = fileURLToPath(new URL('../../../../../../../fixtures/code-export/', import.meta.url));
const WRITE = process.env['PARLEY_WRITE_GOLDEN'] === '1';

/** The golden file of a case's program: `<case>.<extension>.txt` (.txt: no linter or compiler reads it). */
function goldenName(name: string, exported: CodeExport): string {
  return `${name}.${exported.fileName.split('.').pop()!}.txt`;
}

const outputs = Object.entries(CODE_EXPORT_CASES).flatMap(([name, input]) =>
  CODE_LANGUAGES.map((language) => {
    const exported = exportCode(input, language);
    return { name, language, file: goldenName(name, exported), exported };
  }),
);

if (WRITE) {
  const meta: Record<string, Omit<CodeExport, 'code'>> = {};
  for (const { file, exported } of outputs) {
    const { code, ...rest } = exported;
    writeFileSync(`${DIR}${file}`, code);
    meta[file] = rest;
  }
  writeFileSync(`${DIR}exports.json`, `${JSON.stringify(meta, null, 2)}\n`);
}

const meta = JSON.parse(readFileSync(`${DIR}exports.json`, 'utf8')) as Record<string, Omit<CodeExport, 'code'>>;

describe('Export code › the same programs as before, byte for byte', () => {
  it.each(outputs.map((o) => [o.file, o] as const))('%s', (file, { exported }) => {
    const { code, ...rest } = exported;
    expect(code).toBe(readFileSync(`${DIR}${file}`, 'utf8'));
    // Members in the same order too: the JSON the dialog's data would serialise to is the same.
    expect(JSON.stringify(rest)).toBe(JSON.stringify(meta[file]));
  });

  it('has a golden file for every case and language, and none left over', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
    expect(files.sort()).toEqual(outputs.map((o) => o.file).sort());
    expect(Object.keys(meta).sort()).toEqual(outputs.map((o) => o.file).sort());
  });

  it('covers every kind, client authentication and language', () => {
    const inputs = Object.values(CODE_EXPORT_CASES);
    expect(new Set(inputs.map((i) => i.run.kind))).toEqual(new Set(['par+jar', 'par', 'jar', 'plain', 'client_credentials']));
    expect(new Set(inputs.map((i) => i.target.auth.method))).toEqual(new Set(['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt']));
    expect(new Set(outputs.map((o) => o.language))).toEqual(new Set(CODE_LANGUAGES));
  });
});
