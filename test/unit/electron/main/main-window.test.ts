import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEvent, fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { createMainWindow, focusWindow } = await import('../../../../electron/main/main-window');
const { TrustedSenders } = await import('../../../../electron/main/trusted-sender');
const { shellPaths } = await import('../../../../electron/main/paths');

const PRELOAD = '/app/out/preload/index.cjs';

function open() {
  const trusted = new TrustedSenders();
  const window = createMainWindow({ preloadPath: PRELOAD, trusted }) as unknown as InstanceType<typeof fake.BrowserWindow>;
  return { window, contents: window.webContents, trusted };
}

beforeEach(() => fake.reset());

describe('Electron shell › app window', () => {
  it('runs the renderer sandboxed, context-isolated, without Node integration, with the bundled preload', () => {
    const { window } = open();
    expect(window.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: PRELOAD,
    });
  });

  it('finds the preload at out/preload/index.cjs and the renderer at out/renderer, next to out/main', () => {
    expect(shellPaths('/app/out/main')).toEqual({ preload: '/app/out/preload/index.cjs', renderer: '/app/out/renderer' });
  });

  it('loads the renderer from the app origin, not from file://', () => {
    const { contents } = open();
    expect(contents.loaded).toEqual(['app://parley/index.html']);
  });

  it('stays hidden until the first paint is ready', () => {
    const { window } = open();
    expect(window.options['show']).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(1);
  });

  it('registers its web contents as a trusted IPC sender', () => {
    const { contents, trusted } = open();
    expect(trusted.has(contents as never)).toBe(true);
    contents.destroy();
    expect(trusted.has(contents as never)).toBe(false);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('denies %s to another origin', (name) => {
    const { contents } = open();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'http://127.0.0.1:3000/']) {
      const event = new FakeEvent({ url });
      contents.emit(name, event, url);
      expect(event.defaultPrevented, url).toBe(true);
    }
  });

  it('lets the app navigate within its own origin', () => {
    const { contents } = open();
    const event = new FakeEvent({ url: 'app://parley/index.html#/keys' });
    contents.emit('will-navigate', event, event.details['url']);
    expect(event.defaultPrevented).toBe(false);
  });

  it('denies window.open and opens https links in the system browser instead', () => {
    const { contents } = open();
    expect(contents.windowOpenHandler?.({ url: 'https://datatracker.ietf.org/doc/html/rfc9126' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://datatracker.ietf.org/doc/html/rfc9126']);
  });

  it.each(['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://parley/index.html', 'not a url'])(
    'denies window.open of %s without handing it to the system',
    (url) => {
      const { contents } = open();
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
      expect(fake.shell.opened).toEqual([]);
    },
  );

  it('restores and focuses the window when a second instance starts', () => {
    const { window } = open();
    window.minimized = true;
    focusWindow(window as never);
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
  });
});
