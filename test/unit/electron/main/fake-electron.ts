/**
 * A small recording fake of the `electron` module, used with `vi.mock('electron', ...)`. Electron owns
 * this boundary and its binary cannot run here, so the shell's wiring is exercised against this instead:
 * it records what the shell asks of Electron and lets a test emit what Electron would.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

type Listener = (...args: never[]) => unknown;

/** A minimal EventEmitter that records listeners per event name. */
export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.removeListener(name, wrapper);
      return listener(...args);
    }) as Listener;
    return this.on(name, wrapper);
  }

  removeListener(name: string, listener: Listener): this {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  listenerCount(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }

  /** Calls every listener of `name` with `args`; returns what they returned. */
  emit(name: string, ...args: unknown[]): unknown[] {
    return [...(this.listeners.get(name) ?? [])].map((l) => (l as (...a: unknown[]) => unknown)(...args));
  }
}

/** An Electron-style event with `preventDefault`, optionally carrying navigation details. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly details: Record<string, unknown> = {}) {
    Object.assign(this, details);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** A WebFrameMain: a URL and a parent (null for a main frame). */
export class FakeFrame {
  constructor(
    public url: string,
    readonly parent: FakeFrame | null = null,
  ) {}
}

/** What `onBeforeRequest` hands a listener: the request's URL, type and web contents. */
export interface FakeRequestDetails {
  url: string;
  resourceType?: string;
  webContentsId?: number;
  method?: string;
}

type BeforeRequestListener = (details: FakeRequestDetails, callback: (response: Record<string, unknown>) => void) => void;

/** A session's `webRequest`: holds the single `onBeforeRequest` listener, as Electron does (a new one replaces it). */
export class FakeWebRequest {
  beforeRequest: BeforeRequestListener | null = null;
  /** Every value passed to `onBeforeRequest`, in order (null when a listener was removed). */
  readonly installs: (BeforeRequestListener | null)[] = [];

  onBeforeRequest(filterOrListener: unknown, listener?: BeforeRequestListener | null): void {
    const value = (listener === undefined ? filterOrListener : listener) as BeforeRequestListener | null;
    this.beforeRequest = value;
    this.installs.push(value);
  }

  /**
   * Sends a request through the listener the way Electron does before it starts: returns the listener's
   * answer (`{}` lets it through, `{ cancel: true }` stops it), `'no-listener'` when none is installed, or
   * `'no-answer'` when the listener never called back (Electron would leave the request hanging).
   */
  request(details: FakeRequestDetails): Record<string, unknown> | 'no-listener' | 'no-answer' {
    if (this.beforeRequest === null) return 'no-listener';
    let answer: Record<string, unknown> | 'no-answer' = 'no-answer';
    this.beforeRequest({ method: 'GET', resourceType: 'mainFrame', ...details }, (response) => (answer = response));
    return answer;
  }

  /** The single `onCompleted` listener (null when removed or never installed). */
  completed: ((details: FakeRequestDetails & { statusCode: number }) => void) | null = null;

  onCompleted(filterOrListener: unknown, listener?: FakeWebRequest['completed']): void {
    this.completed = (listener === undefined ? filterOrListener : listener) as FakeWebRequest['completed'];
  }

  /** Reports a finished response to the `onCompleted` listener; false when none is installed. */
  complete(details: FakeRequestDetails & { statusCode: number }): boolean {
    if (this.completed === null) return false;
    this.completed({ method: 'GET', resourceType: 'mainFrame', ...details });
    return true;
  }
}

/** A permission handler pair and the device handler, as a session records them. */
export class FakeSession {
  readonly webRequest = new FakeWebRequest();
  permissionRequestHandler: ((...args: unknown[]) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;

  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = handler;
  }

  /** What was cleared, in order ('storage', 'cache', 'auth'). */
  readonly cleared: string[] = [];
  clearStorageData(): Promise<void> {
    this.cleared.push('storage');
    return Promise.resolve();
  }
  clearCache(): Promise<void> {
    this.cleared.push('cache');
    return Promise.resolve();
  }
  clearAuthCache(): Promise<void> {
    this.cleared.push('auth');
    return Promise.resolve();
  }

  /** What `resolveProxy` answers, as Chromium writes it ("DIRECT", "PROXY host:port"). */
  proxy = 'DIRECT';
  resolveProxy(url: string): Promise<string> {
    void url;
    return Promise.resolve(this.proxy);
  }

  /** What the request handler answers for a permission (undefined when no handler is installed). */
  request(contents: unknown, permission: string, details: { requestingUrl: string; isMainFrame: boolean }): boolean | undefined {
    let answer: boolean | undefined;
    this.permissionRequestHandler?.(contents, permission, (granted: boolean) => (answer = granted), details);
    return answer;
  }
}

/** Chromium's name for a Node network failure, as `net.request` would report it. */
function chromiumErrorFor(error: unknown): string {
  let current: unknown = error;
  let code = '';
  for (let i = 0; i < 4 && current && !code; i++) {
    const c = (current as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
    current = (current as { cause?: unknown }).cause;
  }
  if (code === 'ECONNREFUSED') return 'net::ERR_CONNECTION_REFUSED';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'net::ERR_NAME_NOT_RESOLVED';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'net::ERR_CERT_DATE_INVALID';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'net::ERR_CERT_COMMON_NAME_INVALID';
  if (/SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|CERT_UNTRUSTED/.test(code)) return 'net::ERR_CERT_AUTHORITY_INVALID';
  return 'net::ERR_FAILED';
}

/**
 * Electron's ClientRequest (`net.request`), carried out by Node's fetch on the same URL. Like Electron's,
 * with `redirect: 'manual'` a 3xx is announced as `redirect` (status, method, Location, headers) and the
 * request dies with "Redirect was cancelled" unless it is aborted or followed; failures arrive as an
 * `error` whose message is Chromium's `net::ERR_…`.
 */
export class FakeClientRequest extends FakeEmitter {
  readonly headers: Record<string, string> = {};
  readonly chunks: string[] = [];
  aborted = false;
  readonly #controller = new AbortController();

  constructor(readonly options: Record<string, unknown>) {
    super();
  }

  setHeader(name: string, value: string): void {
    // Chromium refuses headers it manages itself.
    if (['host', 'connection', 'content-length'].includes(name.toLowerCase())) throw new Error('net::ERR_INVALID_ARGUMENT');
    this.headers[name] = value;
  }
  write(chunk: string): void {
    this.chunks.push(chunk);
  }
  abort(): void {
    this.aborted = true;
    this.#controller.abort();
  }
  end(): void {
    const method = String(this.options['method'] ?? 'GET');
    const init: RequestInit = { method, headers: this.headers, redirect: 'manual', signal: this.#controller.signal };
    if (this.chunks.length > 0) init.body = this.chunks.join('');
    fetch(String(this.options['url']), init).then(
      (response) => {
        const headers: Record<string, string[]> = {};
        response.headers.forEach((value, name) => (headers[name] = [...(headers[name] ?? []), value]));
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location !== null && this.options['redirect'] === 'manual') {
          void response.body?.cancel();
          this.emit('redirect', response.status, method, new URL(location, String(this.options['url'])).href, headers);
          if (!this.aborted) this.emit('error', new Error('Redirect was cancelled'));
          return;
        }
        const incoming = Object.assign(response.body ? Readable.fromWeb(response.body as WebReadableStream) : Readable.from([]), {
          statusCode: response.status,
          statusMessage: response.statusText,
          headers,
        });
        this.emit('response', incoming);
      },
      (error: unknown) => {
        if (!this.aborted) this.emit('error', new Error(chromiumErrorFor(error)));
      },
    );
  }
}

let nextContentsId = 1;

/** A WebContents: records `send`, loads, and the window-open handler. */
export class FakeWebContents extends FakeEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame('');
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly loaded: string[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;

  constructor(readonly session: FakeSession) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.mainFrame.url = url;
    const failure = FakeWebContents.failLoadsWith;
    return failure === undefined ? Promise.resolve() : Promise.reject(failure);
  }
  /** When set, every `loadURL` rejects with it, as Electron's does when the page fails to load. */
  static failLoadsWith: Error | undefined;
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** nativeTheme: the preference the shell sets, and what the OS prefers when it follows the system. */
export class FakeNativeTheme extends FakeEmitter {
  themeSource: 'system' | 'light' | 'dark' = 'system';
  /** What the OS prefers when the source is `system`. */
  systemDark = false;
  get shouldUseDarkColors(): boolean {
    return this.themeSource === 'system' ? this.systemDark : this.themeSource === 'dark';
  }
}

/** The single fake, reset between tests. Its shape mirrors the parts of `electron` the shell uses. */
export const fake = createFake();

function createFake() {
  const defaultSession = new FakeSession();

  class FakeBrowserWindow extends FakeEmitter {
    static readonly instances: FakeBrowserWindow[] = [];
    readonly webContents: FakeWebContents;
    destroyed = false;
    shown = 0;
    focused = 0;
    minimized = false;
    /** How many times `destroy()` was called. */
    destroyCalls = 0;
    maximized = false;
    /** The window's normal bounds (from the constructor's options, then as a test moves it). */
    bounds: { x: number; y: number; width: number; height: number };
    /** Every `setBackgroundColor` call, in order. */
    readonly backgrounds: string[] = [];

    constructor(readonly options: Record<string, unknown>) {
      super();
      // Like Electron, `webPreferences.partition` puts the window's contents in that partition's session.
      const partition = (options['webPreferences'] as { partition?: unknown } | undefined)?.partition;
      this.webContents = new FakeWebContents(typeof partition === 'string' ? state.session.fromPartition(partition) : defaultSession);
      const n = (key: string, fallback: number): number => (typeof options[key] === 'number' ? (options[key] as number) : fallback);
      this.bounds = { x: n('x', 100), y: n('y', 100), width: n('width', 800), height: n('height', 600) };
      FakeBrowserWindow.instances.push(this);
      // Electron emits web-contents-created while the window is being constructed.
      state.app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
    static getAllWindows(): FakeBrowserWindow[] {
      return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
    }
    loadURL(url: string): Promise<void> {
      return this.webContents.loadURL(url);
    }
    show(): void {
      this.shown++;
    }
    focus(): void {
      this.focused++;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    restore(): void {
      this.minimized = false;
    }
    /** Like Electron, maximising also shows the window. */
    maximize(): void {
      this.maximized = true;
      this.shown++;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    getBounds(): { x: number; y: number; width: number; height: number } {
      return { ...this.bounds };
    }
    getNormalBounds(): { x: number; y: number; width: number; height: number } {
      return { ...this.bounds };
    }
    setBackgroundColor(color: string): void {
      this.backgrounds.push(color);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    /** What the user's close button does: `close` (which a listener may prevent), then `closed`. */
    close(): void {
      if (this.destroyed) return;
      const event = new FakeEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.webContents.destroy();
      this.emit('closed');
    }
    /** Force-closes: no `close` event, but always `closed`. */
    destroy(): void {
      this.destroyCalls++;
      if (this.destroyed) return;
      this.destroyed = true;
      this.webContents.destroy();
      this.emit('closed');
    }
  }

  const partitions = new Map<string, FakeSession>();

  const state = {
    app: Object.assign(new FakeEmitter(), {
      paths: new Map<string, string>([
        ['userData', '/fake/userData'],
        ['logs', '/fake/userData/logs'],
      ]),
      singleInstanceLock: true,
      quitCalls: 0,
      exitCodes: [] as number[],
      ready: true,
      readyResolve: undefined as (() => void) | undefined,
      readyPromise: Promise.resolve(),
      /** Makes the next `whenReady()` wait until `becomeReady()`, as a freshly launched process does. */
      notReadyYet(): void {
        this.ready = false;
        this.readyPromise = new Promise<void>((done) => (this.readyResolve = done));
      },
      becomeReady(): void {
        this.ready = true;
        this.readyResolve?.();
      },
      isReady(): boolean {
        return this.ready;
      },
      getPath(name: string): string {
        const value = this.paths.get(name);
        if (value === undefined) throw new Error(`no path ${name}`);
        return value;
      },
      setPath(name: string, value: string): void {
        this.paths.set(name, value);
      },
      isPackaged: false,
      /** Every `setAsDefaultProtocolClient` call's arguments. */
      protocolClients: [] as unknown[][],
      setAsDefaultProtocolClient(...args: unknown[]): boolean {
        this.protocolClients.push(args);
        return true;
      },
      /** Without a path: Electron's default, userData/logs (Linux, Windows). */
      setAppLogsPath(path?: string): void {
        this.paths.set('logs', path ?? `${this.getPath('userData')}/logs`);
      },
      getVersion: () => '0.1.0-test',
      getName: () => 'Parley',
      /** The OS's ordered UI languages (Electron ≥ 21); a test sets them to follow a `system` preference. */
      systemLanguages: ['en-US'] as string[],
      getPreferredSystemLanguages(): string[] {
        return [...this.systemLanguages];
      },
      requestSingleInstanceLock(): boolean {
        return this.singleInstanceLock;
      },
      quit(): void {
        this.quitCalls++;
      },
      exit(code = 0): void {
        this.exitCodes.push(code);
      },
      whenReady(): Promise<void> {
        return this.readyPromise;
      },
    }),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
      handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
        // Electron throws on a second handler for the same channel; so does the fake.
        if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        this.handlers.set(channel, handler);
      },
      removeHandler(channel: string): void {
        this.handlers.delete(channel);
      },
    },
    ipcRenderer: Object.assign(new FakeEmitter(), {
      invocations: [] as { channel: string; args: unknown[] }[],
      reply: (async () => ({ ok: true, value: 'reply' })) as (channel: string, ...args: unknown[]) => Promise<unknown>,
      invoke(channel: string, ...args: unknown[]): Promise<unknown> {
        this.invocations.push({ channel, args });
        return this.reply(channel, ...args);
      },
    }),
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown): void {
        this.exposed.set(key, api);
      },
    },
    protocol: {
      privileged: [] as unknown[],
      handlers: new Map<string, (request: Request) => Promise<Response>>(),
      registerSchemesAsPrivileged(schemes: unknown[]): void {
        this.privileged.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
        this.handlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession,
      /** One session per partition name, created on first use (and announced as Electron does). */
      fromPartition(partition: string): FakeSession {
        let found = partitions.get(partition);
        if (found === undefined) {
          found = new FakeSession();
          partitions.set(partition, found);
          state.app.emit('session-created', found);
        }
        return found;
      },
      partitions,
    },
    net: {
      /** Every `net.request` made (Chromium's network stack), in order. */
      requests: [] as FakeClientRequest[],
      request(options: Record<string, unknown>): FakeClientRequest {
        const request = new FakeClientRequest(options);
        this.requests.push(request);
        return request;
      },
    },
    shell: {
      opened: [] as string[],
      openExternal(url: string): Promise<void> {
        this.opened.push(url);
        return Promise.resolve();
      },
      /** Paths handed to `openPath` (the system's file manager); it answers '' (success). */
      openedPaths: [] as string[],
      openPath(path: string): Promise<string> {
        this.openedPaths.push(path);
        return Promise.resolve('');
      },
      /** Paths handed to `showItemInFolder`. */
      revealed: [] as string[],
      showItemInFolder(path: string): void {
        this.revealed.push(path);
      },
    },
    nativeTheme: new FakeNativeTheme(),
    screen: {
      /** Each display's work area; the first is the primary. */
      workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }] as { x: number; y: number; width: number; height: number }[],
      getAllDisplays(): { id: number; workArea: { x: number; y: number; width: number; height: number } }[] {
        return this.workAreas.map((workArea, id) => ({ id, workArea, bounds: workArea }));
      },
      getPrimaryDisplay(): { id: number; workArea: { x: number; y: number; width: number; height: number } } {
        const workArea = this.workAreas[0] ?? { x: 0, y: 0, width: 1920, height: 1080 };
        return { id: 0, workArea };
      },
    },
    Menu: {
      installed: undefined as unknown,
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu(menu: unknown): void {
        this.installed = menu;
      },
    },
    dialog: {
      errors: [] as { title: string; content: string }[],
      showErrorBox(title: string, content: string): void {
        this.errors.push({ title, content });
      },
      /** Every message box shown: its parent window (if any) and options. */
      messageBoxes: [] as { parent: unknown; options: Record<string, unknown> }[],
      /** The button index the user clicks in the next message boxes (0 = the first button). */
      messageBoxResponse: 0,
      /** What the next open dialogs answer (the file the user picks, or none: cancelled). */
      openDialogPaths: [] as string[],
      openDialogs: [] as { parent: unknown; options: Record<string, unknown> }[],
      showOpenDialog(parentOrOptions: unknown, maybeOptions?: Record<string, unknown>): Promise<{ canceled: boolean; filePaths: string[] }> {
        const [parent, options] = maybeOptions === undefined ? [undefined, parentOrOptions as Record<string, unknown>] : [parentOrOptions, maybeOptions];
        this.openDialogs.push({ parent, options });
        return Promise.resolve({ canceled: this.openDialogPaths.length === 0, filePaths: [...this.openDialogPaths] });
      },
      showMessageBox(parentOrOptions: unknown, maybeOptions?: Record<string, unknown>): Promise<{ response: number; checkboxChecked: boolean }> {
        const [parent, options] = maybeOptions === undefined ? [undefined, parentOrOptions as Record<string, unknown>] : [parentOrOptions, maybeOptions];
        this.messageBoxes.push({ parent, options });
        return Promise.resolve({ response: this.messageBoxResponse, checkboxChecked: false });
      },
    },
    systemPreferences: {
      touchId: false,
      /** What Touch ID answers: passes, or the user cancels. */
      touchIdPasses: true,
      touchIdPrompts: [] as string[],
      canPromptTouchID(): boolean {
        return this.touchId;
      },
      promptTouchID(reason: string): Promise<void> {
        this.touchIdPrompts.push(reason);
        return this.touchIdPasses ? Promise.resolve() : Promise.reject(new Error('Touch ID cancelled'));
      },
    },
    /** The OS's power and lock events ('lock-screen', 'suspend'…), emitted by a test. */
    powerMonitor: new FakeEmitter(),
    // Only the asynchronous API: Electron 45 deprecates encryptString, decryptString and isEncryptionAvailable.
    safeStorage: {
      available: true,
      backend: 'gnome_libsecret' as string,
      /** The keychain's key generation: what an older one sealed decrypts with `shouldReEncrypt`. */
      generation: 1,
      /** Every keychain call, with how many windows existed then (a Keychain prompt wants the app behind it). */
      calls: [] as { method: string; windows: number }[],
      record(method: string): void {
        this.calls.push({ method, windows: state.BrowserWindow.getAllWindows().length });
      },
      // Like Electron: unavailable, and the Linux backend unknown, until the app is ready.
      isAsyncEncryptionAvailable(): Promise<boolean> {
        this.record('isAsyncEncryptionAvailable');
        return Promise.resolve(this.available && state.app.ready);
      },
      getSelectedStorageBackend(): string {
        return state.app.ready ? this.backend : 'unknown';
      },
      // Reversible but not identity, so a test can tell wrapped from plain, and which generation sealed it.
      encryptStringAsync(plain: string): Promise<Buffer> {
        this.record('encryptStringAsync');
        return Promise.resolve(Buffer.from(`sealed${this.generation}:${plain}`, 'utf8'));
      },
      decryptStringAsync(sealed: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
        this.record('decryptStringAsync');
        const text = sealed.toString('utf8');
        const match = /^sealed(\d+):/.exec(text);
        if (match === null) return Promise.reject(new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'));
        return Promise.resolve({ result: text.slice(match[0].length), shouldReEncrypt: Number(match[1]) < this.generation });
      },
    },
  };

  return {
    ...state,
    /** Back to a freshly started process. */
    reset(): void {
      state.app.listeners.clear();
      state.app.paths = new Map([
        ['userData', '/fake/userData'],
        ['logs', '/fake/userData/logs'],
      ]);
      state.app.isPackaged = false;
      state.app.systemLanguages = ['en-US'];
      state.app.protocolClients = [];
      state.app.singleInstanceLock = true;
      state.app.quitCalls = 0;
      state.app.exitCodes = [];
      state.app.ready = true;
      state.app.readyResolve = undefined;
      state.app.readyPromise = Promise.resolve();
      FakeBrowserWindow.instances.length = 0;
      FakeWebContents.failLoadsWith = undefined;
      partitions.clear();
      state.ipcMain.handlers.clear();
      state.ipcRenderer.listeners.clear();
      state.ipcRenderer.invocations = [];
      state.ipcRenderer.reply = async () => ({ ok: true, value: 'reply' });
      state.contextBridge.exposed.clear();
      state.protocol.privileged = [];
      state.protocol.handlers.clear();
      defaultSession.permissionRequestHandler = null;
      defaultSession.permissionCheckHandler = null;
      defaultSession.devicePermissionHandler = null;
      defaultSession.webRequest.beforeRequest = null;
      defaultSession.webRequest.installs.length = 0;
      defaultSession.proxy = 'DIRECT';
      state.net.requests = [];
      state.shell.opened = [];
      state.shell.openedPaths = [];
      state.shell.revealed = [];
      state.nativeTheme.listeners.clear();
      state.nativeTheme.themeSource = 'system';
      state.nativeTheme.systemDark = false;
      state.screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1080 }];
      state.dialog.openDialogPaths = [];
      state.dialog.openDialogs = [];
      state.Menu.installed = undefined;
      state.dialog.errors = [];
      state.dialog.messageBoxes = [];
      state.dialog.messageBoxResponse = 0;
      state.systemPreferences.touchId = false;
      state.systemPreferences.touchIdPasses = true;
      state.systemPreferences.touchIdPrompts = [];
      state.safeStorage.available = true;
      state.safeStorage.backend = 'gnome_libsecret';
      state.safeStorage.generation = 1;
      state.powerMonitor.listeners.clear();
      state.safeStorage.calls = [];
    },
  };
}

/** The module object handed to `vi.mock('electron', ...)`. */
export function electronModule(): Record<string, unknown> {
  return { ...fake, default: fake };
}
