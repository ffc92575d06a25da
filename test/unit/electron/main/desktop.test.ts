import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { FakeEvent, fake } from './fake-electron';
import { opChannel } from '../../../../shared/ipc/bridge';
import type { OpName } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';
import type { ShellCommand } from '../../../../shared/ipc/shell-commands';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { startShell } = await import('../../../../electron/main/shell');
const { confStoreFactory } = await import('../../../../electron/core/store/document-store');
const { DOCUMENTATION_URL, REPORT_ISSUE_URL } = await import('../../../../electron/main/menu');
const { WINDOW_BACKGROUND } = await import('../../../../electron/main/desktop');

type Shell = NonNullable<Awaited<ReturnType<typeof startShell>>>;
type FakeWindow = InstanceType<typeof fake.BrowserWindow>;

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';

let dir: string;
let started: Shell | undefined;

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'parley-desktop-'));
  started = undefined;
});
afterEach(async () => {
  await started?.core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function boot(options: { platform?: NodeJS.Platform; argv?: string[] } = {}): Promise<Shell> {
  const shell = await startShell({
    mainDir: '/opt/parley/out/main',
    env: { PARLEY_DATA_DIR: join(dir, 'data') },
    platform: options.platform ?? 'linux',
    storeFactory: confStoreFactory,
    argv: options.argv ?? ['/usr/bin/electron', '/src/parley'],
    cwd: dir,
  });
  if (shell === undefined) throw new Error('the shell did not start');
  started = shell;
  return shell;
}

const windowOf = (shell: Shell) => shell.mainWindow() as unknown as FakeWindow;

/** Calls an operation the way the preload does, from the main window's main frame. */
function fromWindow(shell: Shell, name: OpName, input: unknown = {}): Promise<Result<unknown>> {
  const contents = windowOf(shell).webContents;
  const handler = fake.ipcMain.handlers.get(opChannel(name));
  if (handler === undefined) throw new Error(`no handler for ${name}`);
  return handler({ sender: contents, senderFrame: contents.mainFrame }, input) as Promise<Result<unknown>>;
}

/** What the renderer takes from the mailbox (eventually: reading a case file is asynchronous). */
async function takeCommands(shell: Shell, count: number): Promise<ShellCommand[]> {
  const taken: ShellCommand[] = [];
  await vi.waitFor(async () => {
    const reply = await fromWindow(shell, 'shell.takeCommands');
    if (!reply.ok) throw new Error(reply.error.message);
    taken.push(...(reply.value as ShellCommand[]));
    expect(taken.length).toBeGreaterThanOrEqual(count);
  });
  return taken;
}

function menuItem(path: [string, string]): MenuItemConstructorOptions {
  const template = (fake.Menu.installed as { template: MenuItemConstructorOptions[] }).template;
  const menu = template.find((m) => m.label?.replace('&', '') === path[0]);
  const item = (menu?.submenu as MenuItemConstructorOptions[] | undefined)?.find((i) => i.label?.replace('&', '') === path[1]);
  if (item === undefined) throw new Error(`no menu item ${path.join(' › ')}`);
  return item;
}

const click = (path: [string, string]) => (menuItem(path).click as () => void)();

describe('desktop › one instance', () => {
  it('a second launch focuses the first and hands over its links and case files; odd arguments are logged', async () => {
    const shell = await boot();
    const window = windowOf(shell);
    window.minimized = true;
    const casePath = join(dir, 'Run 1.parleycase');
    writeFileSync(casePath, '{"format":"parley-case/1"}');
    const sentBefore = window.webContents.sent.length;

    fake.app.emit(
      'second-instance',
      new FakeEvent(),
      ['/usr/bin/electron', '/src/parley', '--some-switch', `parley://inspect?token=${JWT}`, 'Run 1.parleycase', 'notes.txt'],
      dir,
    );

    expect(window.minimized).toBe(false);
    expect(window.focused).toBeGreaterThanOrEqual(1);
    expect(await takeCommands(shell, 2)).toEqual([
      { command: 'inspect', token: JWT },
      { command: 'open-case', fileName: 'Run 1.parleycase', json: '{"format":"parley-case/1"}' },
    ]);
    // The window was told to take them.
    expect(window.webContents.sent.slice(sentBefore).some((m) => JSON.stringify(m.args).includes('shell.commands'))).toBe(true);
    const log = readFileSync(shell.logFile, 'utf8');
    expect(log).toContain('ignored command-line arguments (neither a parley:// link nor a .parleycase file): notes.txt');
    expect(log).not.toContain(JWT);
  });

  it('the first launch opens the links and case files on its own command line', async () => {
    const shell = await boot({ argv: ['/usr/bin/electron', '/src/parley', `parley://inspect?token=${JWT}`] });
    expect(await takeCommands(shell, 1)).toEqual([{ command: 'inspect', token: JWT }]);
  });

  it('a garbage link and a file that is not a case become a clear message, and nothing else happens', async () => {
    const shell = await boot();
    fake.app.emit(
      'second-instance',
      new FakeEvent(),
      ['/usr/bin/electron', '/src/parley', 'parley://inspect?token=%3Cscript%3E', join(dir, 'missing.parleycase')],
      dir,
    );
    expect(await takeCommands(shell, 2)).toEqual([
      {
        command: 'problem',
        problem: 'bad-link',
        subject: 'parley://inspect?token=…',
        detail: 'the token is not a compact JWT (base64url parts separated by dots)',
      },
      { command: 'problem', problem: 'unreadable-case', subject: 'missing.parleycase', detail: 'the file does not exist' },
    ]);
    expect(fake.BrowserWindow.instances).toHaveLength(1);
  });

  it('registers parley:// as the default protocol client when packaged', async () => {
    fake.app.isPackaged = true;
    await boot({ argv: ['/opt/Parley/parley'] });
    expect(fake.app.protocolClients).toEqual([['parley']]);
  });
});

describe('desktop › macOS open-url and open-file', () => {
  it('a link that launched the app (before ready) waits for the renderer', async () => {
    fake.app.notReadyYet();
    const starting = boot({ platform: 'darwin' });
    const event = new FakeEvent();
    fake.app.emit('open-url', event, `parley://inspect?token=${JWT}`);
    expect(event.defaultPrevented).toBe(true);
    fake.app.becomeReady();
    const shell = await starting;
    expect(await takeCommands(shell, 1)).toEqual([{ command: 'inspect', token: JWT }]);
  });

  it('a double-clicked case file goes the same way as File › Import case…; another file is refused', async () => {
    const shell = await boot({ platform: 'darwin' });
    const casePath = join(dir, 'a.parleycase');
    writeFileSync(casePath, 'not a case at all');
    const event = new FakeEvent();
    fake.app.emit('open-file', event, casePath);
    fake.app.emit('open-file', new FakeEvent(), join(dir, 'photo.png'));
    expect(event.defaultPrevented).toBe(true);
    const commands = await takeCommands(shell, 2);
    expect(commands).toEqual([
      { command: 'open-case', fileName: 'a.parleycase', json: 'not a case at all' },
      { command: 'problem', problem: 'not-a-case-file', subject: 'photo.png', detail: 'only .parleycase files are opened' },
    ]);
    // The renderer previews it with the core, which names the problem; nothing is imported.
    const preview = await fromWindow(shell, 'cases.preview', { json: 'not a case at all' });
    expect(preview).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('This file is not JSON'), details: { reason: 'not-json' } },
    });
  });

  it('opens a window for a link when macOS kept the app running without one', async () => {
    const shell = await boot({ platform: 'darwin' });
    windowOf(shell).close();
    expect(shell.mainWindow()).toBeUndefined();
    fake.app.emit('open-url', new FakeEvent(), `parley://inspect?token=${JWT}`);
    await vi.waitFor(() => expect(shell.mainWindow()).toBeDefined());
    expect(await takeCommands(shell, 1)).toEqual([{ command: 'inspect', token: JWT }]);
  });
});

describe('desktop › menu commands', () => {
  it('File › Import case… opens the chosen file through the same path; cancelled, nothing', async () => {
    const shell = await boot();
    click(['File', 'Import Case…']);
    await vi.waitFor(() => expect(fake.dialog.openDialogs).toHaveLength(1));
    expect(fake.dialog.openDialogs[0]?.parent).toBe(shell.mainWindow());
    expect(fake.dialog.openDialogs[0]?.options).toMatchObject({ filters: [{ extensions: ['parleycase', 'json'] }] });

    const path = join(dir, 'older-export.json');
    writeFileSync(path, '{"format":"parley-case/1"}');
    fake.dialog.openDialogPaths = [path];
    click(['File', 'Import Case…']);
    expect(await takeCommands(shell, 1)).toEqual([{ command: 'open-case', fileName: 'older-export.json', json: '{"format":"parley-case/1"}' }]);
  });

  it('File › Export case… and Settings… are handed to the renderer', async () => {
    const shell = await boot();
    click(['File', 'Export Case…']);
    click(['File', 'Settings…']);
    expect(await takeCommands(shell, 2)).toEqual([{ command: 'export-case' }, { command: 'open-settings' }]);
  });

  it('File › Open data folder opens the data directory; Help › Show logs reveals the log file', async () => {
    const shell = await boot();
    click(['File', 'Open Data Folder']);
    click(['Help', 'Show Logs']);
    await vi.waitFor(() => expect(fake.shell.openedPaths).toEqual([shell.dataDir]));
    expect(fake.shell.revealed).toEqual([shell.logFile]);
    expect(shell.logFile).toBe(join(dir, 'data', 'logs', 'parley.log'));
    expect(existsSync(shell.logFile)).toBe(true);
  });

  it('Help › Documentation and Report an issue open the project pages in the system browser', async () => {
    await boot();
    click(['Help', 'Documentation']);
    click(['Help', 'Report an Issue…']);
    await vi.waitFor(() => expect(fake.shell.opened).toEqual([DOCUMENTATION_URL, REPORT_ISSUE_URL]));
  });
});

describe('desktop › theme', () => {
  it('View › Dark theme is saved, applied natively, repaints the window and tells the renderer', async () => {
    const shell = await boot();
    const window = windowOf(shell);
    expect(window.options['backgroundColor']).toBe(WINDOW_BACKGROUND.light);
    const sentBefore = window.webContents.sent.length;

    click(['View', 'Dark Theme']);
    await vi.waitFor(() => expect(fake.nativeTheme.themeSource).toBe('dark'));
    expect(window.backgrounds.at(-1)).toBe(WINDOW_BACKGROUND.dark);
    expect(await fromWindow(shell, 'settings.get')).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(menuItem(['View', 'Dark Theme']).checked).toBe(true);
    expect(window.webContents.sent.slice(sentBefore).some((m) => JSON.stringify(m.args).includes('settings.changed'))).toBe(true);
  });

  it('the next launch creates its window with the saved theme and its background: no white flash', async () => {
    const first = await boot();
    expect(await fromWindow(first, 'settings.update', { theme: 'dark' })).toMatchObject({ ok: true });
    await first.core.close();
    started = undefined;

    fake.reset();
    const second = await boot();
    expect(fake.nativeTheme.themeSource).toBe('dark');
    expect(windowOf(second).options['backgroundColor']).toBe(WINDOW_BACKGROUND.dark);
    expect(menuItem(['View', 'Dark Theme']).checked).toBe(true);
  });

  it('following the system, the window background follows the OS when it switches', async () => {
    const shell = await boot();
    fake.nativeTheme.systemDark = true;
    fake.nativeTheme.emit('updated');
    expect(windowOf(shell).backgrounds.at(-1)).toBe(WINDOW_BACKGROUND.dark);
  });

  it('the Settings screen and the menu share the setting: a change from the window updates the menu', async () => {
    const shell = await boot();
    await fromWindow(shell, 'settings.update', { theme: 'light' });
    expect(fake.nativeTheme.themeSource).toBe('light');
    expect(menuItem(['View', 'Light Theme']).checked).toBe(true);
  });
});

describe('desktop › menu language', () => {
  const menuLabels = () => (fake.Menu.installed as { template: MenuItemConstructorOptions[] }).template.map((m) => m.label);

  it('the menu follows the UI language: a change in Settings relabels it at once, and the next launch keeps it', async () => {
    const shell = await boot();
    expect(menuLabels()).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(await fromWindow(shell, 'settings.update', { language: 'ja-JP' })).toMatchObject({ ok: true });
    expect(menuLabels()).toEqual(['ファイル(&F)', '編集(&E)', '表示(&V)', 'ウィンドウ(&W)', 'ヘルプ(&H)']);
    // File › Import case… asks in the same language.
    const importItem = ((fake.Menu.installed as { template: MenuItemConstructorOptions[] }).template[0]!.submenu as MenuItemConstructorOptions[])[0]!;
    expect(importItem.label).toBe('ケースをインポート…');
    (importItem.click as () => void)();
    await vi.waitFor(() => expect(fake.dialog.openDialogs).toHaveLength(1));
    expect(fake.dialog.openDialogs[0]?.options).toMatchObject({ title: 'ケースをインポート', filters: [{ name: 'Parleyケース' }] });
    await fromWindow(shell, 'settings.update', { language: 'fr-CA' });
    expect(menuLabels()).toEqual(['&Fichier', '&Édition', '&Affichage', 'Fe&nêtre', 'Ai&de']);
    await shell.core.close();
    started = undefined;

    fake.reset();
    await boot();
    expect(menuLabels()).toEqual(['&Fichier', '&Édition', '&Affichage', 'Fe&nêtre', 'Ai&de']);
  });

  it('"System default" follows the OS languages, as the renderer does (the first one Parley has)', async () => {
    fake.app.systemLanguages = ['de-DE', 'ja', 'fr-CA'];
    const shell = await boot();
    expect(menuLabels()).toEqual(['ファイル(&F)', '編集(&E)', '表示(&V)', 'ウィンドウ(&W)', 'ヘルプ(&H)']);
    await fromWindow(shell, 'settings.update', { language: 'en' });
    expect(menuLabels()).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    await fromWindow(shell, 'settings.update', { language: 'system' });
    expect(menuLabels()[0]).toBe('ファイル(&F)');
  });
});

describe('desktop › log file', () => {
  it("keeps the main process's console in logs/parley.log, redacted", async () => {
    const shell = await boot();
    console.error('[parley] test line with a token', JWT, 'and client_secret=hunter2');
    const log = readFileSync(shell.logFile, 'utf8');
    expect(log).toMatch(/INFO {2}\[parley\] Parley 0\.1\.0-test starting \(linux\)/);
    expect(log).toContain('ERROR [parley] test line with a token [token [redacted]] and client_secret=[redacted]');
    expect(log).not.toContain(JWT);
    expect(log).not.toContain('hunter2');
  });
});
