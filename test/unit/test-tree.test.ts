/**
 * test/unit mirrors the source tree (issue 16 item 7): a test of `electron/core/server/steps.ts` lives in
 * `test/unit/electron/core/server/`, one of `renderer/src/state/…` in `test/unit/renderer/src/state/`. A folder of
 * tests about one module may be named after it (`test/unit/electron/core/server/dpop/` for `server/dpop.ts`), and
 * a folder's test-only helpers may sit in a `support/` folder beside them. Suites that cut across the tree have
 * their own folders beside test/unit: test/fuzz, test/robustness, test/interop, test/e2e.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const unit = join(repo, 'test', 'unit');

function folders(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path, ...folders(path)] : [];
  });
}

describe('test/unit', () => {
  it('mirrors the source tree: every folder is a source folder, a module named as a folder, or support/', () => {
    const strays = folders(unit)
      .map((dir) => relative(unit, dir))
      .filter((rel) => !rel.split('/').includes('support'))
      .filter((rel) => !(existsSync(join(repo, rel)) && statSync(join(repo, rel)).isDirectory()) && !existsSync(join(repo, `${rel}.ts`)));
    expect(strays).toEqual([]);
  });
});
