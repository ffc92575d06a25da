/**
 * The application menu. Standard roles wherever one exists: they give the platform's shortcuts, and the
 * Edit roles are what make copy and paste work in text fields (on macOS a window without an Edit menu
 * cannot paste). Parley's own items (File's case commands, the theme, Settings, Help) call the commands
 * the shell hands in, so the template stays data a test can read and click. The words are the UI
 * language's (menu-strings.ts); the shell reinstalls the menu when the language or the theme changes.
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { Language, ThemePreference } from '../../shared/schemas/settings';
import type { MenuRole } from './menu-strings';
import { MENU_STRINGS, platformLabel, roleLabel } from './menu-strings';

/** The project's homepage (package.json `homepage`; a unit test keeps them equal). Help links are under it. */
export const PROJECT_HOMEPAGE = 'https://parley.invalid/';
/** Help › Documentation: the README on the project homepage. */
export const DOCUMENTATION_URL = new URL('#readme', PROJECT_HOMEPAGE).href;
/** Help › Report an issue. */
export const REPORT_ISSUE_URL = new URL('issues/new', PROJECT_HOMEPAGE).href;

/** What the menu's own items do (the shell implements them). */
export interface MenuCommands {
  importCase(): void;
  exportCase(): void;
  openDataFolder(): void;
  setTheme(theme: ThemePreference): void;
  openSettings(): void;
  openDocumentation(): void;
  reportIssue(): void;
  showLogs(): void;
}

/** What the menu shows for the current state. */
export interface MenuState {
  readonly theme: ThemePreference;
  /** The UI language (resolved: never `system`); the labels follow it (menu-strings.ts). */
  readonly language: Language;
}

/** The menu template for a platform. */
export function menuTemplate(platform: NodeJS.Platform, appName: string, commands: MenuCommands, state: MenuState): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const words = MENU_STRINGS[state.language];
  const label = (text: string): string => platformLabel(text, platform);
  // A standard role, labelled in the UI language where the language names it (else Electron's own label).
  const role = (name: MenuRole): MenuItemConstructorOptions => {
    const text = roleLabel(words, name, appName, platform);
    return text === undefined ? { role: name } : { role: name, label: text };
  };
  const settings: MenuItemConstructorOptions = { label: label(words.settings), accelerator: 'CmdOrCtrl+,', click: () => commands.openSettings() };
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: appName,
      submenu: [
        role('about'),
        { type: 'separator' },
        settings,
        { type: 'separator' },
        role('services'),
        { type: 'separator' },
        role('hide'),
        role('hideOthers'),
        role('unhide'),
        { type: 'separator' },
        role('quit'),
      ],
    });
  }
  const theme = (value: ThemePreference, text: string): MenuItemConstructorOptions => ({
    label: text,
    type: 'radio',
    checked: state.theme === value,
    click: () => commands.setTheme(value),
  });
  template.push(
    {
      label: label(words.file),
      submenu: [
        { label: words.importCase, accelerator: 'CmdOrCtrl+O', click: () => commands.importCase() },
        { label: words.exportCase, accelerator: 'CmdOrCtrl+E', click: () => commands.exportCase() },
        { type: 'separator' },
        { label: words.openDataFolder, click: () => commands.openDataFolder() },
        { type: 'separator' },
        ...(isMac ? [] : [settings, { type: 'separator' } as const]),
        isMac ? role('close') : role('quit'),
      ],
    },
    {
      label: label(words.edit),
      submenu: [
        role('undo'),
        role('redo'),
        { type: 'separator' },
        role('cut'),
        role('copy'),
        role('paste'),
        role('pasteAndMatchStyle'),
        role('delete'),
        { type: 'separator' },
        role('selectAll'),
      ],
    },
    {
      label: label(words.view),
      submenu: [
        theme('light', words.lightTheme),
        theme('dark', words.darkTheme),
        theme('system', words.systemTheme),
        { type: 'separator' },
        role('reload'),
        role('forceReload'),
        role('toggleDevTools'),
        { type: 'separator' },
        role('resetZoom'),
        role('zoomIn'),
        role('zoomOut'),
        { type: 'separator' },
        role('togglefullscreen'),
      ],
    },
    {
      label: label(words.window),
      submenu: isMac ? [role('minimize'), role('zoom'), { type: 'separator' }, role('front')] : [role('minimize'), role('close')],
    },
    {
      label: label(words.help),
      // On macOS the help role adds the system's menu search.
      ...(isMac ? { role: 'help' as const } : {}),
      submenu: [
        { label: words.documentation, click: () => commands.openDocumentation() },
        { label: words.reportIssue, click: () => commands.reportIssue() },
        { type: 'separator' },
        { label: words.showLogs, click: () => commands.showLogs() },
      ],
    },
  );
  return template;
}

/** Builds and installs the application menu (again when its state changes: the theme's radio items). */
export function installMenu(platform: NodeJS.Platform, appName: string, commands: MenuCommands, state: MenuState): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(platform, appName, commands, state)));
}
