import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEvent, fake } from './fake-electron';
import { opChannel } from '../../../../shared/ipc/bridge';
import { OP_NAMES } from '../../../../shared/ipc/contract';
import type { OpName } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';
import type * as CoreModule from '../../../../electron/core/host/core';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());
// The real core, with createCore observed so the options the shell passes can be checked.
vi.mock('../../../../electron/core/host/core', async (importOriginal) => {
  const actual = await importOriginal<typeof CoreModule>();
  return { ...actual, createCore: vi.fn(actual.createCore) };
});

const { startShell } = await import('../../../../electron/main/shell');
// The real conf-based store stands in for electron-store, which cannot load without the Electron binary.
const { confStoreFactory } = await import('../../../../electron/core/store/document-store');
const { createCore } = await import('../../../../electron/core/host/core');
const { FlowWindowLauncher } = await import('../../../../electron/main/flow-window');

type Shell = NonNullable<Awaited<ReturnType<typeof startShell>>>;

let dir: string;
let started: Shell | undefined;

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'parley-shell-'));
  started = undefined;
});

afterEach(async () => {
  await started?.core.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(env: NodeJS.ProcessEnv = { PARLEY_DATA_DIR: join(dir, 'data') }, platform: NodeJS.Platform = 'linux') {
  return startShell({ mainDir: '/opt/parley/out/main', env, platform, storeFactory: confStoreFactory });
}

async function boot(platform: NodeJS.Platform = 'linux'): Promise<Shell> {
  const shell = await start(undefined, platform);
  if (shell === undefined) throw new Error('the shell did not start');
  started = shell;
  return shell;
}

/** Calls an operation the way the preload does, from the main window's main frame. */
function fromWindow(shell: Shell, name: OpName, input: unknown = {}): Promise<Result<unknown>> {
  const contents = (shell.mainWindow() as unknown as InstanceType<typeof fake.BrowserWindow>).webContents;
  const handler = fake.ipcMain.handlers.get(opChannel(name));
  if (handler === undefined) throw new Error(`no handler for ${name}`);
  return handler({ sender: contents, senderFrame: contents.mainFrame }, input) as Promise<Result<unknown>>;
}

describe('Electron shell › startup', () => {
  it('registers the app scheme and the guards before ready, and touches protocol, safeStorage and windows only after', async () => {
    fake.app.notReadyYet();
    const starting = start();
    expect(fake.protocol.privileged).toHaveLength(1);
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.protocol.handlers.size).toBe(0);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);

    fake.app.becomeReady();
    started = await starting;
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    // safeStorage was asked after ready, so the vault is protected by it rather than a passphrase.
    expect(await fromWindow(started!, 'vault.status')).toMatchObject({ ok: true, value: { protector: 'safeStorage' } });
  });

  it('opens one sandboxed window with the bundled preload, loading app://parley/index.html', async () => {
    const shell = await boot();
    const window = shell.mainWindow() as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(fake.BrowserWindow.instances).toEqual([window]);
    expect(window.options['webPreferences']).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: '/opt/parley/out/preload/index.cjs',
    });
    expect(window.webContents.loaded).toEqual(['app://parley/index.html']);
  });

  it('wires every contract operation to the core, answering the window as the electron host', async () => {
    const shell = await boot();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(OP_NAMES.map(opChannel).sort());
    expect(await fromWindow(shell, 'app.info')).toMatchObject({
      ok: true,
      value: { name: 'Parley', mode: 'electron', version: '0.1.0-test', dataDir: join(dir, 'data') },
    });
  });

  it('keeps its data in PARLEY_DATA_DIR and moves userData there too', async () => {
    const shell = await boot();
    expect(shell.dataDir).toBe(join(dir, 'data'));
    expect(fake.app.getPath('userData')).toBe(join(dir, 'data'));
  });

  it("uses Electron's userData when PARLEY_DATA_DIR is not set", async () => {
    fake.app.setPath('userData', join(dir, 'userData'));
    const shell = await start({});
    started = shell;
    expect(shell?.dataDir).toBe(join(dir, 'userData'));
  });

  it('falls back to the passphrase protector when Linux offers only basic_text', async () => {
    fake.safeStorage.backend = 'basic_text';
    const shell = await boot('linux');
    expect(await fromWindow(shell, 'vault.status')).toMatchObject({ ok: true, value: { protector: 'passphrase' } });
  });

  it('installs the application menu and the deny-all permission handlers on the default session', async () => {
    await boot();
    expect(fake.Menu.installed).toBeDefined();
    expect(fake.session.defaultSession.request(null, 'media', { requestingUrl: 'app://parley/index.html', isMainFrame: true })).toBe(false);
  });

  it('quits at once when another instance already holds the lock, without opening a window', async () => {
    fake.app.singleInstanceLock = false;
    expect(await start()).toBeUndefined();
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('reports a core that cannot start and exits with status 1', async () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, '');
    expect(await start({ PARLEY_DATA_DIR: join(file, 'data') })).toBeUndefined();
    expect(fake.dialog.errors).toHaveLength(1);
    expect(fake.dialog.errors[0]?.title).toBe('Parley could not start');
    expect(fake.app.exitCodes).toEqual([1]);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });
});

describe('Electron shell › the keychain and the lock', () => {
  it('asks the keychain only after the main window exists, with the asynchronous safeStorage API only', async () => {
    const shell = await boot('darwin');
    expect(fake.safeStorage.calls.length).toBeGreaterThan(0);
    expect(fake.safeStorage.calls.filter((c) => c.windows === 0)).toEqual([]);
    // The keychain set the vault up at start, as before.
    expect(await fromWindow(shell, 'vault.status')).toMatchObject({ ok: true, value: { state: 'unlocked', protector: 'safeStorage' } });
  });

  it('turns a new vault to a passphrase when the keychain turns out to be basic_text, and says so to the window', async () => {
    fake.safeStorage.backend = 'basic_text';
    const shell = await boot('linux');
    expect(await fromWindow(shell, 'vault.status')).toMatchObject({ ok: true, value: { state: 'uninitialized', protector: 'passphrase' } });
  });

  it.each(['lock-screen', 'suspend'])('locks the vault when the OS emits %s, and the window hears it', async (name) => {
    const shell = await boot();
    expect(shell.core.vault.status().state).toBe('unlocked');
    const contents = (shell.mainWindow() as unknown as InstanceType<typeof fake.BrowserWindow>).webContents;
    contents.sent.length = 0;
    fake.powerMonitor.emit(name);
    expect(shell.core.vault.status().state).toBe('locked');
    expect(contents.sent.map((m) => m.args[0])).toContainEqual({ name: 'vault.changed', payload: expect.objectContaining({ state: 'locked' }) });
    expect(await fromWindow(shell, 'keys.list')).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });
});

describe('Electron shell › flows', () => {
  it('gives the core a flow-window launcher whose windows are children of the current main window', async () => {
    const shell = await boot();
    const launcher = vi.mocked(createCore).mock.lastCall?.[0].browserLauncher;
    expect(launcher).toBeInstanceOf(FlowWindowLauncher);

    const controller = new AbortController();
    const outcome = launcher!.open('https://issuer.example/authorize', 'https://myapp.com/callback', controller.signal);
    const flowWindow = fake.BrowserWindow.instances.at(-1)!;
    expect(flowWindow).not.toBe(shell.mainWindow());
    expect(flowWindow.options['parent']).toBe(shell.mainWindow());
    expect(flowWindow.options['webPreferences']).toMatchObject({ partition: expect.stringMatching(/^parley-flow-/), sandbox: true });
    expect(flowWindow.options['webPreferences']).not.toHaveProperty('preload');
    controller.abort();
    expect(await outcome).toEqual({ cancelled: true });
    expect(flowWindow.destroyed).toBe(true);
  });
});

describe('Electron shell › private-key export (issue #13 item 3)', () => {
  /** Boots the shell (a keychain vault) and generates a key through the window. */
  async function withKey(platform: NodeJS.Platform = 'linux'): Promise<{ shell: Shell; id: string }> {
    const shell = await boot(platform);
    const generated = await fromWindow(shell, 'keys.generate', { name: 'Signing key', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    if (!generated.ok) throw new Error('generate failed');
    return { shell, id: (generated.value as { id: string }).id };
  }

  const exportInput = (id: string) => ({ id, confirm: true, passphrase: 'export passphrase', vaultPassphrase: 'anything the renderer says' });

  it('asks in a native message box of the main window; declined, no key leaves the vault', async () => {
    const { shell, id } = await withKey();
    fake.dialog.messageBoxResponse = 0; // Cancel
    const reply = await fromWindow(shell, 'keys.exportPrivate', exportInput(id));
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(JSON.stringify(reply)).not.toContain('PRIVATE KEY');
    expect(fake.dialog.messageBoxes).toHaveLength(1);
    expect(fake.dialog.messageBoxes[0]?.parent).toBe(shell.mainWindow());
    expect(fake.dialog.messageBoxes[0]?.options).toMatchObject({ message: 'Export the private key "Signing key"?', cancelId: 0, defaultId: 0 });
  });

  it('accepted, the key is exported; every export asks again and is audited in security.log', async () => {
    const { shell, id } = await withKey();
    fake.dialog.messageBoxResponse = 1; // Export private key
    const reply = await fromWindow(shell, 'keys.exportPrivate', exportInput(id));
    if (!reply.ok) throw new Error(`export refused: ${reply.error.message}`);
    const content = (reply.value as { content: string }).content;
    expect(createPrivateKey({ key: content, passphrase: 'export passphrase' }).asymmetricKeyType).toBe('ec');
    await fromWindow(shell, 'keys.exportPrivate', exportInput(id));
    expect(fake.dialog.messageBoxes).toHaveLength(2);

    const audit = readFileSync(join(shell.dataDir, 'security.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toMatchObject([
      { event: 'key.exportPrivate', outcome: 'exported', host: 'electron', key: { id, name: 'Signing key' } },
      { event: 'key.exportPrivate', outcome: 'exported', host: 'electron', key: { id, name: 'Signing key' } },
    ]);
  });

  it('on macOS with Touch ID, also asks for a fingerprint: cancelled, no key; passed, the key', async () => {
    const { shell, id } = await withKey('darwin');
    fake.dialog.messageBoxResponse = 1;
    fake.systemPreferences.touchId = true;
    fake.systemPreferences.touchIdPasses = false;
    expect(await fromWindow(shell, 'keys.exportPrivate', exportInput(id))).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    fake.systemPreferences.touchIdPasses = true;
    expect(await fromWindow(shell, 'keys.exportPrivate', exportInput(id))).toMatchObject({
      ok: true,
      value: { content: expect.stringContaining('ENCRYPTED PRIVATE KEY') },
    });
    expect(fake.systemPreferences.touchIdPrompts).toEqual(['export the private key "Signing key"', 'export the private key "Signing key"']);
  });
});

describe('Electron shell › lifecycle', () => {
  it('focuses the existing window when a second instance starts', async () => {
    const shell = await boot();
    const window = shell.mainWindow() as unknown as InstanceType<typeof fake.BrowserWindow>;
    window.minimized = true;
    fake.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
  });

  it('quits when the last window closes, except on macOS', async () => {
    await boot('linux');
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(1);
    await started?.core.close();

    fake.reset();
    await boot('darwin');
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(0);
  });

  it('opens a new window on activate once the previous one was closed (macOS dock)', async () => {
    const shell = await boot('darwin');
    const first = shell.mainWindow() as unknown as InstanceType<typeof fake.BrowserWindow>;
    fake.app.emit('activate');
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    first.close();
    expect(shell.mainWindow()).toBeUndefined();
    fake.app.emit('activate');
    expect(fake.BrowserWindow.instances).toHaveLength(2);
    expect(shell.mainWindow()).toBe(fake.BrowserWindow.instances[1]);
  });

  it('holds the exit until the core has closed, then quits for real', async () => {
    await boot();
    const first = new FakeEvent();
    fake.app.emit('will-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(1));
    const second = new FakeEvent();
    fake.app.emit('will-quit', second);
    expect(second.defaultPrevented).toBe(false);
    started = undefined; // already closed by the shell
  });
});
