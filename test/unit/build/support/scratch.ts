/**
 * Scratch copies of the project for the desktop tests, and the stand-ins those tests put where Electron's
 * binary would be. Nothing here touches the real node_modules/electron: a scratch project gets its own
 * copy of `electron` (and of `electron-vite`, which looks `electron` up from where it is installed), and
 * links to every other installed package.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const BOOT_SCRIPT = fileURLToPath(new URL('./boot-with-fake-electron.ts', import.meta.url));
/** tsx, so the boot script can import the TypeScript fake. */
export const TSX_IMPORT = pathToFileURL(join(REPO, 'node_modules/tsx/dist/esm/index.mjs')).href;

/** What a clone carries that the build and electron-builder read. */
const PROJECT_FILES = [
  'package.json',
  'electron.vite.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'tsconfig.test.json',
  'LICENSE',
];
const PROJECT_DIRS = ['electron', 'renderer', 'shared', 'build'];
/** Installed packages a scratch project gets as copies rather than links (see the file comment). */
const COPIED_PACKAGES = new Set(['electron', 'electron-vite']);

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
}

/**
 * A copy of the project as a fresh clone has it after `npm install`: sources, config, and a node_modules
 * whose `electron` has no downloaded binary (no dist/, no path.txt).
 */
export function makeScratchProject(root: string): string {
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  for (const file of PROJECT_FILES) if (existsSync(join(REPO, file))) cpSync(join(REPO, file), join(project, file));
  for (const dir of PROJECT_DIRS) cpSync(join(REPO, dir), join(project, dir), { recursive: true });

  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name === '.bin' || name.startsWith('.')) continue;
    const from = join(REPO, 'node_modules', name);
    if (COPIED_PACKAGES.has(name)) {
      cpSync(from, join(modules, name), {
        recursive: true,
        // A developer's checkout may already hold the downloaded binary; a fresh clone does not.
        filter: (src) => !(name === 'electron' && (src === join(from, 'dist') || src === join(from, 'path.txt'))),
      });
    } else {
      symlinkSync(from, join(modules, name), 'junction');
    }
  }
  // .bin links are relative (../pkg/cli.js), so recreated here they point into this node_modules.
  const bin = join(modules, '.bin');
  mkdirSync(bin);
  for (const name of readdirSync(join(REPO, 'node_modules/.bin'))) {
    const from = join(REPO, 'node_modules/.bin', name);
    // npm links them on POSIX and writes relative .cmd/.ps1 shims on Windows: either way, relative.
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), join(bin, name));
    else cpSync(from, join(bin, name));
  }
  return project;
}

/** Runs a command to completion, capturing its output. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, output });
    });
  });
}

/** The environment for a child: the parent's, minus whatever could send Electron's installer elsewhere. */
export function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_config_electron_|npm_package_config_electron_|electron_|ELECTRON_)/i.test(key)) continue;
    if (/^(https?_proxy|all_proxy|no_proxy|NODE_OPTIONS)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * The stand-in "Electron" executable: a shell script that boots the app it is given with Node and the
 * fake `electron` module. `wire` (optional) embeds Electron's fuse sentinel and a fuse wire in a comment,
 * so @electron/fuses can find and flip them as it does in the real binary.
 */
export function standInExecutable(wire?: Buffer): Buffer {
  const launcher = `#!/bin/sh\nexec '${process.execPath}' --import '${TSX_IMPORT}' '${BOOT_SCRIPT}' "$@"\n`;
  if (wire === undefined) return Buffer.from(launcher);
  return Buffer.concat([Buffer.from(launcher), Buffer.from('# fuses: '), wire, Buffer.from('\n')]);
}

/** Where Electron's zip keeps its executable, per platform (as node_modules/electron/install.js expects). */
export function executablePathInDist(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
}

/** Writes a stand-in Electron distribution: the executable and the `version` file a real one carries. */
export function writeStandInDist(dir: string, version: string, wire?: Buffer): string {
  const executable = join(dir, executablePathInDist());
  mkdirSync(dirname(executable), { recursive: true });
  writeFileSync(executable, standInExecutable(wire));
  chmodSync(executable, 0o755);
  writeFileSync(join(dir, 'version'), version);
  return executable;
}

/**
 * Zips a directory's contents, keeping the executable bit: with Info-ZIP's `zip` where it is installed
 * (Linux distributions, macOS), else with Python's zipfile, which records the same Unix modes.
 */
export function zipDirectory(dir: string, zipFile: string): void {
  const zip = spawnSync('zip', ['-q', '-r', '-X', zipFile, '.'], { cwd: dir, encoding: 'utf8' });
  if (zip.error === undefined) {
    if (zip.status !== 0) throw new Error(`zip failed with status ${zip.status}: ${zip.stderr}`);
    return;
  }
  const python = spawnSync('python3', ['-m', 'zipfile', '-c', zipFile, ...readdirSync(dir)], { cwd: dir, encoding: 'utf8' });
  if (python.error !== undefined) {
    throw new Error(`the desktop tests need \`zip\` or \`python3\` to make the stand-in Electron zip (${zip.error.message}; ${python.error.message})`);
  }
  if (python.status !== 0) throw new Error(`python3 -m zipfile failed with status ${python.status}: ${python.stderr}`);
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
