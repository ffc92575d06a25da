import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEvent, FakeSession, FakeWebContents, fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { applyPermissionPolicy, installPermissionPolicy, installWebContentsGuard } = await import('../../../../electron/main/security');

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'usb', 'serial', 'unknown'];

beforeEach(() => fake.reset());

function policy() {
  const session = new FakeSession();
  const app = new FakeWebContents(session);
  const other = new FakeWebContents(session);
  applyPermissionPolicy(session as never, (c) => c === (app as unknown));
  return { session, app, other };
}

describe('Electron shell › permissions', () => {
  it.each(PERMISSIONS)('denies the %s permission request, even from the app window', (permission) => {
    const { session, app } = policy();
    expect(session.request(app, permission, { requestingUrl: 'app://parley/index.html', isMainFrame: true })).toBe(false);
  });

  it.each(PERMISSIONS)('answers the %s permission check with false', (permission) => {
    const { session, app } = policy();
    expect(session.permissionCheckHandler?.(app, permission, 'app://parley', { isMainFrame: true, requestingUrl: 'app://parley/index.html' })).toBe(false);
  });

  it('never grants a device (HID, USB, serial)', () => {
    const { session } = policy();
    expect(session.devicePermissionHandler?.({ deviceType: 'usb', origin: 'app://parley' })).toBe(false);
  });

  it('grants only the sanitized clipboard write, only to the app window main frame on the app origin', () => {
    const { session, app, other } = policy();
    const ok = { requestingUrl: 'app://parley/index.html', isMainFrame: true };
    expect(session.request(app, 'clipboard-sanitized-write', ok)).toBe(true);
    expect(session.permissionCheckHandler?.(app, 'clipboard-sanitized-write', 'app://parley', { isMainFrame: true })).toBe(true);
    expect(session.request(other, 'clipboard-sanitized-write', ok)).toBe(false);
    expect(session.request(app, 'clipboard-sanitized-write', { ...ok, isMainFrame: false })).toBe(false);
    expect(session.request(app, 'clipboard-sanitized-write', { ...ok, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(session.permissionCheckHandler?.(null, 'clipboard-sanitized-write', 'app://parley', { isMainFrame: true })).toBe(false);
  });

  it('applies the same policy to every session created later, such as a flow window partition', () => {
    installPermissionPolicy(fake.session.defaultSession as never, () => false);
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
    const partition = new FakeSession();
    fake.app.emit('session-created', partition);
    expect(partition.request(null, 'media', { requestingUrl: 'https://issuer.example/', isMainFrame: true })).toBe(false);
  });
});

describe('Electron shell › every web contents', () => {
  it('refuses to attach a <webview>', () => {
    installWebContentsGuard();
    const contents = new FakeWebContents(new FakeSession());
    fake.app.emit('web-contents-created', new FakeEvent(), contents);
    const attach = new FakeEvent();
    contents.emit('will-attach-webview', attach, {}, { src: 'https://evil.example/' });
    expect(attach.defaultPrevented).toBe(true);
  });

  it('denies window.open by default', () => {
    installWebContentsGuard();
    const contents = new FakeWebContents(new FakeSession());
    fake.app.emit('web-contents-created', new FakeEvent(), contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual([]);
  });
});

describe('Electron shell › one webPreferences for every window (issue #13 item 9)', () => {
  it('creates the app window and a flow window with hardenedWebPreferences(), differing only in preload and partition', async () => {
    const { hardenedWebPreferences } = await import('../../../../electron/main/security');
    const { createMainWindow } = await import('../../../../electron/main/main-window');
    const { FlowWindowLauncher } = await import('../../../../electron/main/flow-window');
    const { TrustedSenders } = await import('../../../../electron/main/trusted-sender');

    createMainWindow({ preloadPath: '/app/out/preload/index.cjs', trusted: new TrustedSenders() });
    const controller = new AbortController();
    const outcome = new FlowWindowLauncher({ partition: 'parley-flow-test' }).open(
      'https://issuer.example/authorize',
      'https://myapp.com/callback',
      controller.signal,
      { runId: 'r1', keepSession: false },
    );
    const [appWindow, flowWindow] = fake.BrowserWindow.instances;
    expect(appWindow?.options['webPreferences']).toEqual(hardenedWebPreferences({ preload: '/app/out/preload/index.cjs' }));
    expect(flowWindow?.options['webPreferences']).toEqual(hardenedWebPreferences({ partition: 'parley-flow-test-r1' }));
    controller.abort();
    await outcome;

    const hardened = hardenedWebPreferences();
    expect(hardened).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(hardened).not.toHaveProperty('preload');
  });
});
