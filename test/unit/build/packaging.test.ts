/**
 * `npm run dist`, proven offline: in a scratch copy of the project, `npm run build` then electron-builder
 * with the project's own config builds the unpacked Linux app against a stand-in Electron distribution
 * (-c.electronDist). The test then reads what a user would install: app.asar's contents and size, the
 * fuses in the packaged executable, and the packaged main and preload bundles, booted under the fake
 * `electron` from a directory with no node_modules at all.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { extractAll, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fake } from '../electron/main/fake-electron';
import { OP_NAMES } from '../../../shared/ipc/contract';
import type { ParleyBridge } from '../../../shared/ipc/bridge';
import { opChannel } from '../../../shared/ipc/bridge';
import { BOOT_SCRIPT, TSX_IMPORT, childEnv, makeScratchProject, removeScratch, run, scratchDir, writeStandInDist } from './support/scratch';
import type { BootReport } from './support/boot-with-fake-electron';

const ELECTRON_VERSION = (JSON.parse(readFileSync(join(process.cwd(), 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const MAX_ASAR_BYTES = 10 * 1024 * 1024;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 45's fuse wire as shipped: RunAsNode, NodeOptions, CLI inspect and file:// privileges on. */
const SHIPPED_WIRE = '10110001';

let root: string;
let project: string;
let appDir: string;
let asarFile: string;
let entries: string[];

beforeAll(async () => {
  root = scratchDir('package');
  project = makeScratchProject(root);
  const env = childEnv({
    // Anything electron-builder would fetch goes to a scratch cache, and it finds nothing to sign with.
    ELECTRON_BUILDER_CACHE: join(root, 'builder-cache'),
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  });

  const build = await run('npm', ['run', 'build'], { cwd: project, env });
  if (build.code !== 0) throw new Error(`npm run build failed:\n${build.output}`);

  // A stand-in Electron distribution: the executable (carrying a fuse wire, as the real binary does) and
  // the files electron-builder expects next to it.
  const electronDist = join(root, 'electron-dist');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  mkdirSync(join(electronDist, 'locales'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, SHIPPED_WIRE.length]), Buffer.from(SHIPPED_WIRE)]);
  writeStandInDist(electronDist, ELECTRON_VERSION, wire);

  const builder = await run(
    process.execPath,
    [
      join(project, 'node_modules/electron-builder/cli.js'),
      '--config',
      'build/electron-builder.yml',
      '--linux',
      '--dir',
      `-c.electronDist=${electronDist}`,
      `-c.electronVersion=${ELECTRON_VERSION}`,
    ],
    { cwd: project, env, timeoutMs: 300_000 },
  );
  if (builder.code !== 0) throw new Error(`electron-builder failed:\n${builder.output}`);

  const unpacked = readdirSync(join(project, 'dist')).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
  if (unpacked === undefined) throw new Error(`no unpacked Linux app in dist/:\n${builder.output}`);
  appDir = join(project, 'dist', unpacked);
  asarFile = join(appDir, 'resources/app.asar');
  entries = listPackage(asarFile, { isPack: false }).map((entry) => entry.replaceAll('\\', '/'));
}, 600_000);

afterAll(() => {
  if (root !== undefined) removeScratch(root);
});

describe('Desktop › packaged app (electron-builder --linux --dir)', () => {
  it('puts the build and package.json in app.asar, and nothing else', () => {
    for (const needed of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
      expect(entries, needed).toContain(needed);
    }
    const unexpected = entries.filter((entry) => !(entry === '/package.json' || entry === '/out' || entry.startsWith('/out/')));
    expect(unexpected).toEqual([]);
    // Renderer packages are in the renderer bundle, the main process's in the main bundle: none ships again.
    expect(entries.filter((entry) => entry.includes('node_modules'))).toEqual([]);
    expect(entries.filter((entry) => /\.(ts|tsx|map)$/.test(entry))).toEqual([]);
  });

  it('keeps app.asar within 10 MB', () => {
    expect(statSync(asarFile).size).toBeLessThanOrEqual(MAX_ASAR_BYTES);
  });

  it('names the executable, ships the license, and packs a package.json with no runtime dependencies', () => {
    expect(existsSync(join(appDir, 'parley'))).toBe(true);
    const extracted = join(root, 'package-json-check');
    extractAll(asarFile, extracted);
    const pkg = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['main']).toBe('out/main/index.js');
    expect(pkg['license']).toBe('MIT');
    expect(Object.keys((pkg['dependencies'] as Record<string, string> | undefined) ?? {})).toEqual([]);
    expect(readFileSync(join(project, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it("flips Electron's fuses in the packaged executable", async () => {
    const fuses = await getCurrentFuseWire(join(appDir, 'parley'));
    const state = (option: FuseV1Options): string => String.fromCharCode(fuses[option] as number);
    // A fuse is one byte of the wire: '1' on, '0' off.
    const [on, off] = ['1', '0'];
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      enableCookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      enableNodeOptionsEnvironmentVariable: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      enableNodeCliInspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      enableEmbeddedAsarIntegrityValidation: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      onlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      grantFileProtocolExtraPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      runAsNode: off,
      enableCookieEncryption: on,
      enableNodeOptionsEnvironmentVariable: off,
      enableNodeCliInspectArguments: off,
      enableEmbeddedAsarIntegrityValidation: on,
      onlyLoadAppFromAsar: on,
      grantFileProtocolExtraPrivileges: off,
    });
  });

  it('boots the packaged main bundle with no node_modules beside it: window on app://, vault answering', async () => {
    const extracted = join(root, 'extracted-app');
    extractAll(asarFile, extracted);
    const reportFile = join(root, 'packaged.report.json');
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, ['--import', TSX_IMPORT, BOOT_SCRIPT, extracted], {
        cwd: root,
        env: childEnv({ PARLEY_DATA_DIR: join(root, 'packaged-data'), PARLEY_STANDIN_REPORT: reportFile }),
        stdio: 'inherit',
      });
      child.on('error', fail);
      child.on('close', done);
    });
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BootReport;
    expect(report.errors).toEqual([]);
    expect(code).toBe(0);
    expect(report.entry).toBe(join(extracted, 'out/main/index.js'));
    expect(report.loaded).toEqual(['app://parley/index.html']);
    expect(report.preload).toEqual({ path: join(extracted, 'out/preload/index.cjs'), exists: true });
    expect(report.appPage).toEqual({ status: 200, contentType: 'text/html; charset=utf-8', hasRoot: true });
    expect(report.vaultStatus).toMatchObject({ ok: true, value: { state: 'uninitialized' } });
    expect(report.quit).toBe(true);
  }, 120_000);

  it('packs a preload that runs sandboxed (requiring only electron) and exposes the whole contract', async () => {
    const extracted = join(root, 'extracted-preload');
    extractAll(asarFile, extracted);
    const source = readFileSync(join(extracted, 'out/preload/index.cjs'), 'utf8');
    fake.reset();
    const required: string[] = [];
    // A sandboxed preload gets a `require` that knows `electron` (and a few polyfilled built-ins) only.
    const sandboxRequire = (name: string): unknown => {
      required.push(name);
      if (name === 'electron') return fake;
      throw new Error(`a sandboxed preload cannot require '${name}'`);
    };
    const module = { exports: {} };
    runInNewContext(`(function (exports, require, module) {\n${source}\n})`, {}, { filename: 'index.cjs' })(module.exports, sandboxRequire, module);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['parley']);
    const bridge = fake.contextBridge.exposed.get('parley') as ParleyBridge;
    expect(bridge.host).toBe('electron');
    // Every operation of the contract reaches the main process on its own channel.
    for (const name of OP_NAMES) await bridge.invoke(name, {} as never);
    expect(fake.ipcRenderer.invocations.map((i) => i.channel)).toEqual(OP_NAMES.map(opChannel));
  });
});
