/**
 * Tests that need a program npm cannot install (Python with PyJWT, curl, openssl). A missing one never
 * skips a test silently: in CI (`CI` set, as .ci/run does) the test fails, naming the tool and the command
 * that installs it; elsewhere the test is skipped with a warning that says the same, so a developer's
 * machine still runs the rest of the suite.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { it } from 'vitest';

/** A program some tests need, and whether it is here. */
export interface SystemTool {
  /** What the tests need, as a person reads it: `curl`, `/usr/bin/python3 with jwt, requests and cryptography`. */
  name: string;
  /** Why it is not usable (not found, an import error…), or undefined when it is. */
  missing: string | undefined;
  /** The command that installs it, as CI installs it (Debian). */
  install: string;
}

/** The first executable `name` in a PATH-style list of folders. */
export function findExecutable(name: string, path: string): string | undefined {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** A command looked up on `path` (the PATH the tests give the programs they run). */
export function commandTool(command: string, path: string, install: string): SystemTool {
  return { name: command, missing: findExecutable(command, path) ? undefined : `not found on ${path}`, install };
}

/** Whether CI is asking: `CI` set to anything but an empty string, `0` or `false`. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

export type ToolGate = { kind: 'run' } | { kind: 'fail'; message: string } | { kind: 'skip'; message: string };

/** What tests needing `tools` do here: run, fail (CI) or skip with a warning (elsewhere). */
export function gateFor(tools: readonly SystemTool[], env: NodeJS.ProcessEnv = process.env): ToolGate {
  const missing = tools.filter((t) => t.missing !== undefined);
  if (missing.length === 0) return { kind: 'run' };
  const what = missing.map((t) => `${t.name} (${t.missing})`).join('; ');
  const install = [...new Set(missing.map((t) => t.install))].join(' && ');
  return inCi(env)
    ? { kind: 'fail', message: `missing system tool: ${what}. CI must install it: ${install}` }
    : { kind: 'skip', message: `SKIPPED tests: missing system tool: ${what}. Install it with: ${install} (in CI, with CI set, these tests fail instead)` };
}

type TestBody = () => Promise<void> | void;
const warned = new Set<string>();

/**
 * `it` for tests that need `tools`: the plain `it` when they are all here; otherwise, in CI, a test that
 * fails with the install command, and elsewhere a skipped test announced by a console warning.
 */
export function itNeeding(...tools: SystemTool[]): (name: string, body: TestBody, timeout?: number) => void {
  const gate = gateFor(tools);
  if (gate.kind === 'run') return (name, body, timeout) => it(name, body, timeout);
  if (gate.kind === 'fail') {
    return (name, _body, timeout) =>
      it(
        name,
        () => {
          throw new Error(gate.message);
        },
        timeout,
      );
  }
  if (!warned.has(gate.message)) {
    warned.add(gate.message);
    console.warn(`\n⚠ ${gate.message}\n`);
  }
  return (name, body, timeout) =>
    it.skip(
      `${name} [skipped: needs ${tools
        .filter((t) => t.missing)
        .map((t) => t.name)
        .join(', ')}]`,
      body,
      timeout,
    );
}
