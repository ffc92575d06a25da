/**
 * The desktop habits around the main window: the menu's commands, the theme (native and the window's
 * background), and what the app is asked to open (links, case files, a second launch's arguments). The
 * decisions are in plain modules (launch-args.ts, open-requests.ts); this file only carries them to
 * Electron and to the renderer, through the core's command mailbox.
 */
import { app, dialog, nativeTheme, shell } from 'electron';
import type { BrowserWindow } from 'electron';
import type { Dispatch } from '../core/operations/dispatch';
import type { ShellCommand, ShellCommandMailbox } from '../../shared/ipc/shell-commands';
import { isHttpsUrl } from './app-origin';
import type { LaunchRequest } from './launch-args';
import { CASE_EXTENSION, requestsFromArgv } from './launch-args';
import type { MenuCommands } from './menu';
import { DOCUMENTATION_URL, REPORT_ISSUE_URL, installMenu } from './menu';
import { MENU_STRINGS } from './menu-strings';
import { commandFor } from './open-requests';
import type { Language, ThemePreference } from '../../shared/schemas/settings';
import type { LanguagePreference } from '../../shared/i18n/language';
import { resolveLanguage } from '../../shared/i18n/language';

/** The window background of each theme: the renderer's `--bg` (renderer/src/styles/tokens.css). */
export const WINDOW_BACKGROUND = { light: '#ffffff', dark: '#111113' } as const;

/** The background matching what the OS and the theme preference make of the page. */
export function themedBackground(): string {
  return nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}

/** What the desktop side needs from the shell. */
export interface DesktopDeps {
  readonly platform: NodeJS.Platform;
  readonly dataDir: string;
  /** The log file Help › Show logs reveals. */
  readonly logFile: string;
  readonly mailbox: ShellCommandMailbox;
  mainWindow(): BrowserWindow | undefined;
  /** Brings the main window forward, opening one when there is none (macOS keeps running without). */
  showMainWindow(): void;
  readonly log: (line: string) => void;
}

/** The shell's desktop side. The core (for the theme and language settings) joins once it exists. */
export class Desktop {
  readonly #deps: DesktopDeps;
  #dispatch: Dispatch | undefined;
  #theme: ThemePreference = 'system';
  #language: LanguagePreference = 'system';
  /** Opens in order: a link's file read must not let a later link overtake it. */
  #queue: Promise<void> = Promise.resolve();

  constructor(deps: DesktopDeps) {
    this.#deps = deps;
    // The OS switched between light and dark while following the system: repaint the window's background too.
    nativeTheme.on('updated', () => this.#paintBackground());
  }

  /** Connects the core: the saved theme applies, and the menu appears in the saved UI language. */
  attachCore(dispatch: Dispatch, theme: ThemePreference, language: LanguagePreference = 'system'): void {
    this.#dispatch = dispatch;
    this.#language = language;
    this.applyTheme(theme);
  }

  /** Applies a theme preference natively (the page's `prefers-color-scheme` follows) and reinstalls the menu. */
  applyTheme(theme: ThemePreference): void {
    this.#theme = theme;
    nativeTheme.themeSource = theme;
    this.#paintBackground();
    this.#installMenu();
  }

  /** Follows a UI language preference (Settings): the menu's labels switch at once. */
  applyLanguage(language: LanguagePreference): void {
    this.#language = language;
    this.#installMenu();
  }

  /** The UI language the menu shows: the preference, or the first system language Parley has (as the renderer picks). */
  get menuLanguage(): Language {
    return resolveLanguage(this.#language, app.getPreferredSystemLanguages());
  }

  #installMenu(): void {
    installMenu(this.#deps.platform, 'Parley', this.menuCommands(), { theme: this.#theme, language: this.menuLanguage });
  }

  #paintBackground(): void {
    const window = this.#deps.mainWindow();
    if (window !== undefined && !window.isDestroyed()) window.setBackgroundColor(themedBackground());
  }

  /** Hands a command to the renderer and brings the window forward. */
  post(command: ShellCommand): void {
    this.#deps.mailbox.post(command);
    this.#deps.showMainWindow();
  }

  /** Opens what was asked (in order), each as a command for the renderer. */
  open(requests: readonly LaunchRequest[]): Promise<void> {
    for (const request of requests) {
      this.#queue = this.#queue
        .then(async () => this.post(await commandFor(request, this.#deps.log)))
        .catch((e: unknown) => this.#deps.log(`[parley] could not open a request: ${e instanceof Error ? e.message : String(e)}`));
    }
    return this.#queue;
  }

  /** A command line (first launch or a second one): links and case files opened, anything else logged. */
  openArgv(argv: readonly string[], cwd: string, skip: number): Promise<void> {
    const { requests, ignored } = requestsFromArgv(argv, { skip, cwd });
    if (ignored.length > 0)
      this.#deps.log(`[parley] ignored command-line arguments (neither a parley:// link nor a ${CASE_EXTENSION} file): ${ignored.join(' ')}`);
    return this.open(requests);
  }

  /** The application menu's commands. */
  menuCommands(): MenuCommands {
    return {
      importCase: () => void this.#importCase(),
      exportCase: () => this.post({ command: 'export-case' }),
      openDataFolder: () => void this.#openPath(this.#deps.dataDir),
      setTheme: (theme) => void this.#saveTheme(theme),
      openSettings: () => this.post({ command: 'open-settings' }),
      openDocumentation: () => void this.#openExternal(DOCUMENTATION_URL),
      reportIssue: () => void this.#openExternal(REPORT_ISSUE_URL),
      showLogs: () => shell.showItemInFolder(this.#deps.logFile),
    };
  }

  /** The theme the menu shows. */
  get theme(): ThemePreference {
    return this.#theme;
  }

  /** The language preference the menu follows. */
  get language(): LanguagePreference {
    return this.#language;
  }

  async #importCase(): Promise<void> {
    const window = this.#deps.mainWindow();
    const words = MENU_STRINGS[this.menuLanguage];
    const options = {
      title: words.importDialogTitle,
      properties: ['openFile' as const],
      // Older exports are .json files: a file chosen here is the user's choice, so both are offered.
      filters: [{ name: words.caseFileType, extensions: [CASE_EXTENSION.slice(1), 'json'] }],
    };
    const picked = window === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
    const path = picked.filePaths[0];
    if (picked.canceled || path === undefined) return;
    await this.open([{ kind: 'case', path }]);
  }

  async #saveTheme(theme: ThemePreference): Promise<void> {
    if (this.#dispatch === undefined) return this.applyTheme(theme);
    // Through the core, like the Settings screen: it is remembered, and `settings.changed` reaches every window (and applyTheme).
    const reply = await this.#dispatch('settings.update', { theme });
    if (!reply.ok) this.#deps.log(`[parley] the theme was not saved: ${reply.error.message}`);
  }

  async #openPath(path: string): Promise<void> {
    const failure = await shell.openPath(path);
    if (failure !== '') this.#deps.log(`[parley] could not open ${path}: ${failure}`);
  }

  async #openExternal(url: string): Promise<void> {
    // Only https leaves the app for the system browser.
    if (!isHttpsUrl(url)) return this.#deps.log(`[parley] not opened (not https): ${url}`);
    try {
      await shell.openExternal(url);
    } catch (e) {
      this.#deps.log(`[parley] could not open ${url} in the system browser: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
