/**
 * test/helpers/system-tools.ts: a test that needs a missing system tool fails in CI and is skipped with a
 * warning elsewhere, never silently. Proven on a real Vitest run of a one-test file in a scratch folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTool, gateFor, inCi } from './system-tools';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HELPER = join(REPO, 'test/helpers/system-tools.ts');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const MISSING = { name: 'no-such-tool', missing: 'not found on /nowhere', install: 'apt-get install -y no-such-tool' };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-tools-'));
  writeFileSync(join(dir, 'vitest.config.mjs'), 'export default {};\n');
  writeFileSync(
    join(dir, 'missing.test.ts'),
    `import { itNeeding } from ${JSON.stringify(HELPER)};\nitNeeding(${JSON.stringify(MISSING)})('needs the tool', () => {});\n`,
  );
  writeFileSync(
    join(dir, 'present.test.ts'),
    `import { commandTool, itNeeding } from ${JSON.stringify(HELPER)};\n` +
      `itNeeding(commandTool('node', ${JSON.stringify(dirname(process.execPath))}, 'n/a'))('runs with the tool', () => { throw new Error('the body ran'); });\n`,
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one test file of the scratch folder under Vitest, with CI set or not. */
function vitest(file: string, ci: string | undefined) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...(ci === undefined ? {} : { CI: ci }) };
  const result = spawnSync(process.execPath, [VITEST, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), file], { env, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('Test helpers › system tools', () => {
  it('in CI a test needing a missing tool fails, naming the tool and the command that installs it', () => {
    const run = vitest('missing.test.ts', 'true');
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain('missing system tool: no-such-tool (not found on /nowhere). CI must install it: apt-get install -y no-such-tool');
    expect(run.output).toMatch(/Tests\s+1 failed/);
  });

  it('elsewhere it is skipped with a warning that names the tool and the install command', () => {
    const run = vitest('missing.test.ts', undefined);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(
      '⚠ SKIPPED tests: missing system tool: no-such-tool (not found on /nowhere). Install it with: apt-get install -y no-such-tool',
    );
    expect(run.output).toMatch(/Tests\s+1 skipped/);
  });

  it('with the tool there, the test runs (here its body throws, so it fails)', () => {
    const run = vitest('present.test.ts', 'true');
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain('the body ran');
  });

  it('reads CI as CI services set it: any value but empty, 0 or false', () => {
    expect(['true', '1', 'yes', 'TRUE'].map((CI) => inCi({ CI }))).toEqual([true, true, true, true]);
    expect(['', '0', 'false', 'False', undefined].map((CI) => inCi({ CI }))).toEqual([false, false, false, false, false]);
  });

  it('finds a command only on the given PATH, and lists every missing tool with one install command each', () => {
    expect(commandTool('node', dirname(process.execPath), 'n/a').missing).toBeUndefined();
    expect(commandTool('node', dir, 'n/a').missing).toBe(`not found on ${dir}`);
    const gate = gateFor(
      [MISSING, { ...MISSING, name: 'other', install: 'apt-get install -y other' }, commandTool('node', dirname(process.execPath), 'n/a')],
      {},
    );
    expect(gate).toEqual({
      kind: 'skip',
      message: expect.stringContaining(
        'missing system tool: no-such-tool (not found on /nowhere); other (not found on /nowhere). Install it with: apt-get install -y no-such-tool && apt-get install -y other',
      ),
    });
  });
});
