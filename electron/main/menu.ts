/**
 * The application menu. Standard roles wherever one exists: they give the platform's shortcuts, and the
 * Edit roles are what make copy and paste work in text fields (on macOS a window without an Edit menu
 * cannot paste). Parley's own items (File's case commands, the theme, Settings, Help) call the commands
 * the shell hands in, so the template stays data a test can read and click.
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { ThemePreference } from '../../shared/schemas/settings';

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
}

/** The menu template for a platform. */
export function menuTemplate(platform: NodeJS.Platform, appName: string, commands: MenuCommands, state: MenuState): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const settings: MenuItemConstructorOptions = { label: isMac ? 'Settings…' : '&Settings…', accelerator: 'CmdOrCtrl+,', click: () => commands.openSettings() };
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        settings,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  const theme = (value: ThemePreference, label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: state.theme === value,
    click: () => commands.setTheme(value),
  });
  template.push(
    {
      label: isMac ? 'File' : '&File',
      submenu: [
        { label: 'Import Case…', accelerator: 'CmdOrCtrl+O', click: () => commands.importCase() },
        { label: 'Export Case…', accelerator: 'CmdOrCtrl+E', click: () => commands.exportCase() },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => commands.openDataFolder() },
        { type: 'separator' },
        ...(isMac ? [] : [settings, { type: 'separator' } as const]),
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: isMac ? 'Edit' : '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: isMac ? 'View' : '&View',
      submenu: [
        theme('light', 'Light Theme'),
        theme('dark', 'Dark Theme'),
        theme('system', 'System Theme'),
        { type: 'separator' },
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: isMac ? 'Window' : '&Window',
      submenu: isMac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      label: isMac ? 'Help' : '&Help',
      // On macOS the help role adds the system's menu search.
      ...(isMac ? { role: 'help' as const } : {}),
      submenu: [
        { label: 'Documentation', click: () => commands.openDocumentation() },
        { label: 'Report an Issue…', click: () => commands.reportIssue() },
        { type: 'separator' },
        { label: 'Show Logs', click: () => commands.showLogs() },
      ],
    },
  );
  return template;
}

/** Builds and installs the application menu (again when its state changes: the theme's radio items). */
export function installMenu(platform: NodeJS.Platform, appName: string, commands: MenuCommands, state: MenuState): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(platform, appName, commands, state)));
}
