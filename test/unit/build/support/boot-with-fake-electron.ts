/**
 * Boots a BUILT Electron main bundle under plain Node, with `electron` resolved to the recording fake
 * (test/unit/electron/main/fake-electron.ts). It stands in for the Electron binary in the desktop tests: the
 * stand-in executable of the start-path test runs it, and so do the built-bundle and packaging tests.
 *
 *   node --import tsx boot-with-fake-electron.ts <app dir | main file>
 *
 * Like `electron .`, a directory argument means "the app whose package.json `main` to run". Once the
 * main window has loaded, it asks the app what a renderer would (the window's URL, the page behind
 * `app://`, `app.info` and `vault.status` over the fake IPC), writes that report as JSON to
 * PARLEY_STANDIN_REPORT, quits the app the way Electron does (`will-quit`) and exits.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeEvent, fake } from '../../electron/main/fake-electron';
import { opChannel } from '../../../../shared/ipc/bridge';
import type { OpName } from '../../../../shared/ipc/contract';

/** What the boot saw; the tests assert on it. */
export interface BootReport {
  entry: string;
  loaded: string[];
  preload: { path: string; exists: boolean } | null;
  appPage: { status: number; contentType: string | null; hasRoot: boolean } | null;
  appInfo: unknown;
  vaultStatus: unknown;
  quit: boolean;
  errors: string[];
}

const REPORT_FILE = process.env['PARLEY_STANDIN_REPORT'];
const WAIT_MS = 60_000;

/** `electron <dir>` runs the package's `main`; `electron <file>` runs the file. */
function entryOf(arg: string | undefined): string {
  const target = resolve(arg ?? '.');
  if (!statSync(target).isDirectory()) return target;
  const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { main?: string };
  return resolve(target, pkg.main ?? 'index.js');
}

/** Every `import … from 'electron'` in the bundle (named or default) gets the one fake instance. */
function routeElectronToFake(): void {
  (globalThis as Record<string, unknown>)['__parleyFakeElectron'] = fake;
  const names = Object.keys(fake).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  const shim = ['const fake = globalThis.__parleyFakeElectron;', 'export default fake;', ...names.map((n) => `export const ${n} = fake.${n};`)].join('\n');
  const hooks = `
    const shim = ${JSON.stringify(shim)};
    export async function resolve(specifier, context, next) {
      if (specifier === 'electron') return { url: 'parley-fake:electron', shortCircuit: true };
      return next(specifier, context);
    }
    export async function load(url, context, next) {
      if (url === 'parley-fake:electron') return { format: 'module', source: shim, shortCircuit: true };
      return next(url, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

async function main(): Promise<void> {
  const entry = entryOf(process.argv[2]);
  const errors: string[] = [];
  const report: BootReport = { entry, loaded: [], preload: null, appPage: null, appInfo: null, vaultStatus: null, quit: false, errors };
  const finish = (code: number): never => {
    if (REPORT_FILE !== undefined) writeFileSync(REPORT_FILE, JSON.stringify(report, null, 2));
    else console.log(JSON.stringify(report, null, 2));
    process.exit(code);
  };
  try {
    fake.reset();
    // Electron's main process says so; electron-store reads it.
    Object.assign(process, { type: 'browser' });
    routeElectronToFake();
    await import(pathToFileURL(entry).href);

    const window = await waitFor('the main window to load a page', () => fake.BrowserWindow.instances.find((w) => w.webContents.loaded.length > 0));
    report.loaded = [...window.webContents.loaded];
    const preload = (window.options['webPreferences'] as { preload?: unknown } | undefined)?.preload;
    report.preload = typeof preload === 'string' ? { path: preload, exists: existsSync(preload) } : null;

    const appHandler = fake.protocol.handlers.get('app');
    if (appHandler !== undefined && report.loaded[0] !== undefined) {
      const response = await appHandler(new Request(report.loaded[0]));
      const body = await response.text();
      report.appPage = { status: response.status, contentType: response.headers.get('content-type'), hasRoot: body.includes('id="root"') };
    }

    const call = async (name: OpName): Promise<unknown> => {
      const handler = await waitFor(`the ${name} handler`, () => fake.ipcMain.handlers.get(opChannel(name)));
      return handler({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, {});
    };
    report.appInfo = await call('app.info');
    report.vaultStatus = await call('vault.status');

    // Quit as Electron does: the shell holds `will-quit` until its core has closed, then quits.
    fake.app.emit('will-quit', new FakeEvent());
    await waitFor('the app to quit', () => (fake.app.quitCalls > 0 ? true : undefined));
    report.quit = true;
    finish(0);
  } catch (e) {
    errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    finish(1);
  }
}

await main();
