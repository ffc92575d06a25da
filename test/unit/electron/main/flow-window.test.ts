import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureLocalTls } from '../../../../electron/core/server/tls/local-ca';
import { FakeEvent, FakeWebContents, fake } from './fake-electron';
import type { BrowserOpenOptions, BrowserOutcome } from '../../../../electron/core/flows/browser-launcher';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { FLOW_PARTITION, FlowWindowLauncher, matchesRedirect } = await import('../../../../electron/main/flow-window');

type FakeWindow = InstanceType<typeof fake.BrowserWindow>;

const AUTHORIZE = 'https://issuer.example/authorize?client_id=app&request_uri=urn%3Aexample';
const REDIRECT = 'https://myapp.com/callback';

/** A pending `open()`: its window, the flow session, and what it resolved with so far. */
interface Run {
  window: FakeWindow;
  contents: FakeWebContents;
  controller: AbortController;
  promise: Promise<BrowserOutcome>;
  outcome(): BrowserOutcome | undefined;
}

function open(redirectUri = REDIRECT, launcher = new FlowWindowLauncher(), url = AUTHORIZE, options?: BrowserOpenOptions): Run {
  const controller = new AbortController();
  let outcome: BrowserOutcome | undefined;
  const promise = launcher.open(url, redirectUri, controller.signal, options);
  void promise.then(
    (o) => (outcome = o),
    () => undefined,
  );
  const window = fake.BrowserWindow.instances.at(-1)!;
  return { window, contents: window.webContents, controller, promise, outcome: () => outcome };
}

/** Lets promise callbacks run, so `outcome()` shows whether the run resolved. */
const settle = () => new Promise<void>((done) => setImmediate(done));

/** The session of the last flow window opened (each run has its own unless it keeps the session). */
const flowSession = () => fake.BrowserWindow.instances.at(-1)!.webContents.session;

/** Emits a navigation event the way Electron ≥ 25 does (details on the event, the URL also as argument). */
function navigate(contents: FakeWebContents, name: 'will-navigate' | 'will-redirect', url: string, isMainFrame = true): FakeEvent {
  const event = new FakeEvent({ url, isMainFrame, isSameDocument: false });
  contents.emit(name, event, url, false, isMainFrame);
  return event;
}

beforeEach(() => fake.reset());
afterEach(() => vi.restoreAllMocks());

describe('Electron shell › flow window', () => {
  it('opens a sandboxed, context-isolated window without preload or Node, in its own in-memory partition', () => {
    const { window, contents } = open();
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      partition: expect.stringMatching(/^parley-flow-/),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(prefs).not.toHaveProperty('preload');
    expect(String(prefs['partition'])).not.toMatch(/^persist:/);
    expect(contents.session).toBe(fake.session.fromPartition(String(prefs['partition'])));
    expect(contents.session).not.toBe(fake.session.defaultSession);
    expect(window.options['title']).toBe('Parley — sign in');
    expect(contents.loaded).toEqual([AUTHORIZE]);
  });

  it('is a child of the main window when there is one, and stands alone otherwise', () => {
    const main = new fake.BrowserWindow({});
    open(REDIRECT, new FlowWindowLauncher({ parent: () => main as never }));
    expect(fake.BrowserWindow.instances.at(-1)!.options['parent']).toBe(main);

    open(REDIRECT, new FlowWindowLauncher({ parent: () => undefined }));
    expect(fake.BrowserWindow.instances.at(-1)!.options).not.toHaveProperty('parent');

    main.close();
    open(REDIRECT, new FlowWindowLauncher({ parent: () => main as never }));
    expect(fake.BrowserWindow.instances.at(-1)!.options).not.toHaveProperty('parent');
  });

  it('keeps its title: pages cannot replace it', () => {
    const { window } = open();
    const event = new FakeEvent();
    window.emit('page-title-updated', event, 'Evil Corp login', true);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('Electron shell › flow window › capturing the redirect', () => {
  it('cancels the main-frame request to the redirect URI in onBeforeRequest and resolves with its URL', async () => {
    const run = open();
    const callback = `${REDIRECT}?code=abc&state=xyz&iss=https%3A%2F%2Fissuer.example%2F`;
    expect(flowSession().webRequest.request({ url: callback, resourceType: 'mainFrame', webContentsId: run.contents.id })).toEqual({ cancel: true });
    expect(await run.promise).toEqual({ callbackUrl: callback });
    expect(run.window.destroyed).toBe(true);
  });

  it('lets every other request through, answering each one', () => {
    const run = open();
    for (const url of [AUTHORIZE, 'https://issuer.example/u/login?state=1', 'https://cdn.example/logo.png', 'https://myapp.com/u/login']) {
      expect(flowSession().webRequest.request({ url, resourceType: 'mainFrame', webContentsId: run.contents.id }), url).toEqual({});
    }
    expect(run.window.destroyed).toBe(false);
  });

  it.each(['will-redirect', 'will-navigate'] as const)('stops a %s to the redirect URI before it loads and resolves with its URL', async (name) => {
    const run = open();
    const event = navigate(run.contents, name, `${REDIRECT}?code=abc&state=xyz`);
    expect(event.defaultPrevented).toBe(true);
    expect(await run.promise).toEqual({ callbackUrl: `${REDIRECT}?code=abc&state=xyz` });
    expect(run.window.destroyed).toBe(true);
  });

  it.each([
    ['https://myapp.com/callback', 'https://myapp.com/callback?code=abc&state=1'],
    ['https://myapp.com/callback', 'https://MyApp.com:443/callback?code=abc#frag'],
    ['https://myapp.com:443/callback', 'https://myapp.com/callback?code=abc'],
    ['http://127.0.0.1:53682/callback', 'http://127.0.0.1:53682/callback?code=abc'],
    ['http://localhost/cb', 'http://localhost:80/cb?code=abc'],
    ['com.example.app:/cb', 'com.example.app:/cb?code=abc&state=1'],
    ['com.example.app://oauth/cb', 'com.example.app://oauth/cb?code=abc'],
  ])('captures a redirect to %s (%s)', async (redirectUri, callback) => {
    const run = open(redirectUri);
    const event = navigate(run.contents, 'will-redirect', callback);
    expect(event.defaultPrevented).toBe(true);
    expect(await run.promise).toEqual({ callbackUrl: callback });
  });

  it('captures a custom-scheme redirect through onBeforeRequest too', async () => {
    const run = open('com.example.app:/cb');
    expect(flowSession().webRequest.request({ url: 'com.example.app:/cb?code=abc', webContentsId: run.contents.id })).toEqual({ cancel: true });
    expect(await run.promise).toEqual({ callbackUrl: 'com.example.app:/cb?code=abc' });
  });

  it.each([
    'https://myapp.com/u/login?state=1',
    'https://myapp.com/callback/extra?code=abc',
    'https://myapp.com/callbackx?code=abc',
    'https://myapp.com/?code=abc',
    'https://myapp.com:8443/callback?code=abc',
    'http://myapp.com/callback?code=abc',
    'https://evil.example/callback?code=abc',
    'https://sub.myapp.com/callback?code=abc',
    'com.example.app:/callback?code=abc',
    'not a url',
  ])('lets %s load without capturing it', async (url) => {
    const run = open();
    for (const name of ['will-navigate', 'will-redirect'] as const) expect(navigate(run.contents, name, url).defaultPrevented, name).toBe(false);
    expect(flowSession().webRequest.request({ url, webContentsId: run.contents.id })).toEqual({});
    await settle();
    expect(run.outcome()).toBeUndefined();
    expect(run.window.destroyed).toBe(false);
  });

  it('does not confuse custom schemes: com.other.app:/cb is not com.example.app:/cb', async () => {
    const run = open('com.example.app:/cb');
    expect(navigate(run.contents, 'will-redirect', 'com.other.app:/cb?code=abc').defaultPrevented).toBe(false);
    await settle();
    expect(run.outcome()).toBeUndefined();
  });

  it('resolves once, with the first interceptor that fires, and closes the window once', async () => {
    const run = open();
    navigate(run.contents, 'will-redirect', `${REDIRECT}?code=first`);
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=second`, webContentsId: run.contents.id })).toBe('no-listener');
    const late = navigate(run.contents, 'will-navigate', `${REDIRECT}?code=third`);
    expect(late.defaultPrevented).toBe(true);
    run.contents.emit('did-fail-load', new FakeEvent(), -20, 'ERR_BLOCKED_BY_CLIENT', `${REDIRECT}?code=fourth`, true);
    run.window.emit('closed');
    expect(await run.promise).toEqual({ callbackUrl: `${REDIRECT}?code=first` });
    expect(run.window.destroyCalls).toBe(1);
  });

  it('blocks a sub-frame from loading the redirect URI without taking it as the callback', async () => {
    const run = open();
    expect(navigate(run.contents, 'will-redirect', `${REDIRECT}?code=frame`, false).defaultPrevented).toBe(true);
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=img`, resourceType: 'image', webContentsId: run.contents.id })).toEqual({ cancel: true });
    await settle();
    expect(run.outcome()).toBeUndefined();
  });

  it('ignores requests of other web contents in the session', async () => {
    const run = open();
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=abc`, webContentsId: run.contents.id + 1000 })).toEqual({});
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=abc` })).toEqual({});
    await settle();
    expect(run.outcome()).toBeUndefined();
  });

  it('takes a main-frame load failure at the redirect URI as the callback when no interceptor saw it', async () => {
    const run = open('com.example.app:/cb');
    run.contents.emit('did-fail-load', new FakeEvent(), -301, 'ERR_UNKNOWN_URL_SCHEME', 'com.example.app:/cb?code=abc', true);
    expect(await run.promise).toEqual({ callbackUrl: 'com.example.app:/cb?code=abc' });
  });
});

describe('Electron shell › flow window › ending a run', () => {
  it('resolves cancelled when the user closes the window', async () => {
    const run = open();
    run.window.close();
    expect(await run.promise).toEqual({ cancelled: true });
  });

  it('closes the window and resolves cancelled when the signal aborts', async () => {
    const run = open();
    run.controller.abort();
    expect(await run.promise).toEqual({ cancelled: true });
    expect(run.window.destroyed).toBe(true);
  });

  it('closes the window even when the page tries to keep it open with beforeunload', async () => {
    const run = open();
    const event = new FakeEvent();
    run.contents.emit('will-prevent-unload', event);
    expect(event.defaultPrevented).toBe(true);
    // The window is destroyed, not closed: no cancellable `close` is involved.
    run.window.on('close', (e: FakeEvent) => e.preventDefault());
    run.controller.abort();
    await run.promise;
    expect(run.window.destroyed).toBe(true);
  });

  it('opens no window when the signal was already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await new FlowWindowLauncher().open(AUTHORIZE, REDIRECT, controller.signal)).toEqual({ cancelled: true });
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it.each([
    [-105, 'ERR_NAME_NOT_RESOLVED', 'issuer_unreachable', /The sign-in page at issuer\.example could not be loaded \(ERR_NAME_NOT_RESOLVED \(-105\)\)/],
    [-102, 'ERR_CONNECTION_REFUSED', 'issuer_unreachable', /could not be loaded \(ERR_CONNECTION_REFUSED \(-102\)\)/],
    [-202, 'ERR_CERT_AUTHORITY_INVALID', 'tls_failure', /The TLS connection to issuer\.example failed \(ERR_CERT_AUTHORITY_INVALID \(-202\)\)/],
    [-118, 'ERR_CONNECTION_TIMED_OUT', 'timeout', /issuer\.example did not answer in time/],
  ])('ends the run with a named reason when the authorize page fails to load (%i %s)', async (code, description, expectedCode, message) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    FakeWebContents.failLoadsWith = new Error(`${description} (${code}) loading ${AUTHORIZE}`);
    const run = open();
    run.contents.emit('did-fail-load', new FakeEvent(), code, description, AUTHORIZE, true);
    await expect(run.promise).rejects.toMatchObject({ name: 'FlowStepError', code: expectedCode, message: expect.stringMatching(message) });
    expect(run.window.destroyed).toBe(true);
    expect(flowSession().webRequest.beforeRequest).toBeNull();
  });

  it('ignores ERR_ABORTED (a navigation Parley stopped) and sub-frame failures: the run keeps waiting', async () => {
    const run = open();
    run.contents.emit('did-fail-load', new FakeEvent(), -3, 'ERR_ABORTED', AUTHORIZE, true);
    run.contents.emit('did-fail-load', new FakeEvent(), -105, 'ERR_NAME_NOT_RESOLVED', 'https://ads.example/frame', false);
    await settle();
    expect(run.outcome()).toBeUndefined();
    expect(run.window.destroyed).toBe(false);
    run.window.close();
    expect(await run.promise).toEqual({ cancelled: true });
  });

  it.each([
    ['a callback', (run: Run) => navigate(run.contents, 'will-redirect', `${REDIRECT}?code=abc`)],
    ['the user closing the window', (run: Run) => run.window.close()],
    ['an abort', (run: Run) => run.controller.abort()],
  ])('removes the webRequest listener after %s', async (_name, end) => {
    const run = open();
    expect(flowSession().webRequest.beforeRequest).not.toBeNull();
    end(run);
    await run.promise;
    expect(flowSession().webRequest.beforeRequest).toBeNull();
    expect(flowSession().webRequest.installs.at(-1)).toBeNull();
  });

  it('opens a new window for the next run and captures its redirect', async () => {
    const launcher = new FlowWindowLauncher();
    const first = open(REDIRECT, launcher);
    first.window.close();
    await first.promise;

    const second = open('https://other.example/cb', launcher);
    expect(second.window).not.toBe(first.window);
    expect(flowSession().webRequest.request({ url: 'https://other.example/cb?code=2', webContentsId: second.contents.id })).toEqual({ cancel: true });
    expect(await second.promise).toEqual({ callbackUrl: 'https://other.example/cb?code=2' });
    expect(flowSession().webRequest.installs.filter((l) => l === null)).toHaveLength(1);
    expect(first.contents.session.webRequest.installs.filter((l) => l === null)).toHaveLength(1);
  });

  it('keeps two runs sharing a kept session apart, and the listener installed until both are done', async () => {
    const launcher = new FlowWindowLauncher();
    const a = open(REDIRECT, launcher, AUTHORIZE, { runId: 'a', keepSession: true });
    const b = open(REDIRECT, launcher, AUTHORIZE, { runId: 'b', keepSession: true });
    expect(a.contents.session).toBe(b.contents.session);
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=b`, webContentsId: b.contents.id })).toEqual({ cancel: true });
    expect(await b.promise).toEqual({ callbackUrl: `${REDIRECT}?code=b` });
    expect(a.window.destroyed).toBe(false);
    expect(flowSession().webRequest.beforeRequest).not.toBeNull();
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=a`, webContentsId: a.contents.id })).toEqual({ cancel: true });
    expect(await a.promise).toEqual({ callbackUrl: `${REDIRECT}?code=a` });
    expect(flowSession().webRequest.beforeRequest).toBeNull();
  });

  it.each([
    ['file:///etc/passwd', REDIRECT],
    ['javascript:alert(1)', REDIRECT],
    ['not a url', REDIRECT],
    [AUTHORIZE, '/callback'],
  ])('refuses to open %s (redirect %s) and opens no window', async (url, redirectUri) => {
    await expect(new FlowWindowLauncher().open(url, redirectUri, new AbortController().signal)).rejects.toMatchObject({
      name: 'FlowStepError',
      code: 'configuration',
    });
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });
});

describe('Electron shell › flow window › one session per run', () => {
  it('gives two runs two fresh in-memory partitions named after the runs, and clears each when its run ends', async () => {
    const launcher = new FlowWindowLauncher();
    const first = open(REDIRECT, launcher, AUTHORIZE, { runId: 'run-1', keepSession: false });
    navigate(first.contents, 'will-redirect', `${REDIRECT}?code=1`);
    await first.promise;
    const second = open(REDIRECT, launcher, AUTHORIZE, { runId: 'run-2', keepSession: false });

    const partitions = [first, second].map((run) => (run.window.options['webPreferences'] as { partition: string }).partition);
    expect(partitions).toEqual(['parley-flow-run-1', 'parley-flow-run-2']);
    expect(second.contents.session).not.toBe(first.contents.session);
    // The first run's cookies and storage are gone once it ended; the second's session is untouched while it runs.
    await settle();
    expect(first.contents.session.cleared).toEqual(expect.arrayContaining(['storage', 'cache', 'auth']));
    expect(second.contents.session.cleared).toEqual([]);
    second.window.close();
    await second.promise;
    await settle();
    expect(second.contents.session.cleared).toContain('storage');
  });

  it('gives runs opened without a run id distinct sessions too', () => {
    const launcher = new FlowWindowLauncher();
    const a = open(REDIRECT, launcher);
    const b = open(REDIRECT, launcher);
    expect(a.contents.session).not.toBe(b.contents.session);
  });

  it('shares one partition, never cleared, between runs of a target that keeps its session', async () => {
    const launcher = new FlowWindowLauncher();
    const first = open(REDIRECT, launcher, AUTHORIZE, { runId: 'run-1', keepSession: true });
    navigate(first.contents, 'will-redirect', `${REDIRECT}?code=1`);
    await first.promise;
    const second = open(REDIRECT, launcher, AUTHORIZE, { runId: 'run-2', keepSession: true });
    expect((second.window.options['webPreferences'] as { partition: string }).partition).toBe(FLOW_PARTITION);
    expect(second.contents.session).toBe(first.contents.session);
    await settle();
    expect(first.contents.session.cleared).toEqual([]);
    expect(flowSession().webRequest.request({ url: `${REDIRECT}?code=2`, webContentsId: second.contents.id })).toEqual({ cancel: true });
    expect(await second.promise).toEqual({ callbackUrl: `${REDIRECT}?code=2` });
  });
});

describe('Electron shell › flow window › an error status without a page', () => {
  const fail379 = (run: Run) => run.contents.emit('did-fail-load', new FakeEvent(), -379, 'ERR_HTTP_RESPONSE_CODE_FAILURE', AUTHORIZE, true);

  it('names an empty 4xx/5xx answer (-379) with the status webRequest saw, not "unreachable"', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const run = open();
    expect(flowSession().webRequest.complete({ url: AUTHORIZE, resourceType: 'mainFrame', webContentsId: run.contents.id, statusCode: 500 })).toBe(true);
    fail379(run);
    const error = await run.promise.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FlowStepError', code: 'http_error' });
    expect((error as Error).message).toMatch(
      /The sign-in page at issuer\.example answered with HTTP 500 and no page \(ERR_HTTP_RESPONSE_CODE_FAILURE \(-379\)\)/,
    );
    expect((error as Error).message).not.toMatch(/could not be loaded|running/);
    expect(flowSession().webRequest.completed).toBeNull();
  });

  it('takes the status from did-navigate too, and ignores other contents and sub-resources', async () => {
    const run = open();
    flowSession().webRequest.complete({ url: 'https://issuer.example/logo.png', resourceType: 'image', webContentsId: run.contents.id, statusCode: 404 });
    flowSession().webRequest.complete({ url: AUTHORIZE, resourceType: 'mainFrame', webContentsId: run.contents.id + 1000, statusCode: 502 });
    run.contents.emit('did-navigate', new FakeEvent(), AUTHORIZE, 403, 'Forbidden');
    fail379(run);
    await expect(run.promise).rejects.toMatchObject({ code: 'http_error', message: expect.stringMatching(/answered with HTTP 403 and no page/) });
  });

  it('says "an error status" when no status was seen', async () => {
    const run = open();
    fail379(run);
    await expect(run.promise).rejects.toMatchObject({ code: 'http_error', message: expect.stringMatching(/answered with an error status and no page/) });
  });
});

describe('Electron shell › flow window › what the sign-in page may do', () => {
  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen'])(
    'denies the %s permission on the flow session',
    (permission) => {
      const { contents } = open();
      expect(flowSession().request(contents, permission, { requestingUrl: 'https://issuer.example/u/login', isMainFrame: true })).toBe(false);
      expect(flowSession().permissionCheckHandler?.(contents, permission, 'https://issuer.example', { isMainFrame: true })).toBe(false);
    },
  );

  it('never grants a device', () => {
    open();
    expect(flowSession().devicePermissionHandler?.({ deviceType: 'usb', origin: 'https://issuer.example' })).toBe(false);
  });

  it('denies window.open without handing anything to the system browser', () => {
    const { contents } = open();
    for (const url of ['https://issuer.example/help', 'http://example.com/', 'file:///etc/passwd']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.shell.opened).toEqual([]);
    expect(fake.BrowserWindow.instances).toHaveLength(1);
  });

  it('rejects a bad certificate instead of letting Electron ask or accept it', () => {
    const { contents } = open();
    const event = new FakeEvent();
    const answers: boolean[] = [];
    contents.emit(
      'certificate-error',
      event,
      'https://issuer.example/',
      'net::ERR_CERT_AUTHORITY_INVALID',
      {},
      (trusted: boolean) => answers.push(trusted),
      true,
    );
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([false]);
  });

  it('accepts exactly the embedded server’s https leaf at its origin, and nothing else (issue #15)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-flow-tls-'));
    try {
      const { certPem } = await ensureLocalTls(dir);
      const other = await ensureLocalTls(join(dir, 'other'));
      const embedded = 'https://127.0.0.1:4747';
      const launcher = new FlowWindowLauncher({ trustedCertificate: (url) => (new URL(url).origin === embedded ? certPem : null) });
      const { contents } = open(REDIRECT, launcher, `${embedded}/authorize?client_id=x`);
      const answer = (url: string, data: string): boolean[] => {
        const answers: boolean[] = [];
        // Electron hands the certificate as PEM with its own line breaks.
        contents.emit(
          'certificate-error',
          new FakeEvent(),
          url,
          'net::ERR_CERT_AUTHORITY_INVALID',
          { data },
          (trusted: boolean) => answers.push(trusted),
          true,
        );
        return answers;
      };
      expect(answer(`${embedded}/u/login`, certPem.replace(/\n/g, '\r\n'))).toEqual([true]);
      expect(answer(`${embedded}/u/login`, other.certPem)).toEqual([false]);
      expect(answer('https://issuer.example/authorize', certPem)).toEqual([false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Electron shell › flow window › matchesRedirect', () => {
  it('compares scheme, host, port and path, ignoring the query and fragment', () => {
    expect(matchesRedirect('https://myapp.com/callback?code=1#x', 'https://myapp.com/callback')).toBe(true);
    expect(matchesRedirect('https://myapp.com:443/callback', 'https://myapp.com/callback')).toBe(true);
    expect(matchesRedirect('https://myapp.com/callback', 'http://myapp.com/callback')).toBe(false);
    expect(matchesRedirect('https://myapp.com/Callback', 'https://myapp.com/callback')).toBe(false);
    expect(matchesRedirect('https://myapp.com:444/callback', 'https://myapp.com/callback')).toBe(false);
    expect(matchesRedirect('com.example.app:/cb?code=1', 'com.example.app:/cb')).toBe(true);
    expect(matchesRedirect('com.example.app://cb', 'com.example.app:/cb')).toBe(false);
    expect(matchesRedirect('garbage', 'garbage')).toBe(false);
  });
});
