/**
 * test/fixtures holds copies of the reference files beside the repository (../shared) that the tests read,
 * made by `npm run fixtures:refresh` (scripts/refresh-fixtures.mjs) from test/fixtures/manifest.json. No
 * test reads ../shared itself, so a clone without it runs (and never silently skips) every test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(REPO, 'test/fixtures');
const SHARED = resolve(REPO, '../shared');
const SCRIPT = join(REPO, 'scripts/refresh-fixtures.mjs');

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { sets: Record<string, { from: string; files: string[] }> };

/** Every file under `dir`, as paths relative to it, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort();
}

function refresh(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-fixtures-'));
  scratch.push(dir);
  return dir;
}

describe('Test fixtures › copies of ../shared', () => {
  it('each set folder holds exactly the files of the manifest', () => {
    for (const [name, set] of Object.entries(manifest.sets)) {
      expect(tree(join(FIXTURES, name)), name).toEqual([...set.files].sort());
    }
  });

  it('the copies are what `npm run fixtures:refresh` makes from ../shared (without ../shared: they are all there)', () => {
    if (!existsSync(SHARED)) {
      // Nothing to compare with: the copies are the reference. Say so rather than pass quietly.
      console.warn(`\n⚠ ${SHARED} is absent: test/fixtures was checked for presence only, not against its source.\n`);
      for (const [name, set] of Object.entries(manifest.sets)) {
        for (const file of set.files) expect(statSync(join(FIXTURES, name, file)).size, `${name}/${file}`).toBeGreaterThan(0);
      }
      return;
    }
    const out = tempDir();
    const result = refresh('--from', SHARED, '--to', out);
    expect(result.status, result.stderr).toBe(0);
    const fresh = tree(out);
    // Only the manifest's sets are copies; test/fixtures/code-export holds Parley's own golden programs.
    const copies = tree(FIXTURES).filter((p) => Object.keys(manifest.sets).some((set) => p.startsWith(`${set}/`)));
    expect(fresh).toEqual(copies);
    for (const file of fresh) {
      expect(readFileSync(join(FIXTURES, file)).equals(readFileSync(join(out, file))), `${file} differs from ../shared: run npm run fixtures:refresh`).toBe(
        true,
      );
    }
  });

  it('a refresh from a folder without the sources names what is missing and copies nothing', () => {
    const out = tempDir();
    const result = refresh('--from', tempDir(), '--to', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('source file(s) missing');
    expect(result.stderr).toContain(join('spec', 'server-rules.md'));
    expect(readdirSync(out)).toEqual([]);
  });

  it('no test reads a file beside the repository: every relative URL in test/ stays inside it', () => {
    const offenders: string[] = [];
    const testDir = join(REPO, 'test');
    for (const file of tree(testDir).filter((p) => /\.tsx?$/.test(p))) {
      const text = readFileSync(join(testDir, file), 'utf8');
      for (const match of text.matchAll(/new URL\(\s*'(\.\.?\/[^']*)'\s*,\s*import\.meta\.url\s*\)/g)) {
        const target = resolve(dirname(join(testDir, file)), match[1]!);
        if (relative(REPO, target).startsWith('..')) offenders.push(`${file}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
