import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { fake } from './fake-electron';
import type { MenuCommands } from '../../../electron/main/menu';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { DOCUMENTATION_URL, PROJECT_HOMEPAGE, REPORT_ISSUE_URL, installMenu, menuTemplate } = await import('../../../electron/main/menu');
type Commands = MenuCommands;

/** Commands that record which one was clicked. */
function recordingCommands(): { commands: Commands; calls: string[] } {
  const calls: string[] = [];
  const commands: Commands = {
    importCase: () => calls.push('importCase'),
    exportCase: () => calls.push('exportCase'),
    openDataFolder: () => calls.push('openDataFolder'),
    setTheme: (theme) => calls.push(`setTheme:${theme}`),
    openSettings: () => calls.push('openSettings'),
    openDocumentation: () => calls.push('openDocumentation'),
    reportIssue: () => calls.push('reportIssue'),
    showLogs: () => calls.push('showLogs'),
  };
  return { commands, calls };
}

const template = (platform: NodeJS.Platform, theme: 'system' | 'light' | 'dark' = 'system') => menuTemplate(platform, 'Parley', recordingCommands().commands, { theme });
const items = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => item?.submenu as MenuItemConstructorOptions[];
const roles = (item: MenuItemConstructorOptions | undefined): unknown[] => items(item).map((i) => i.role).filter((r) => r !== undefined);
const labels = (item: MenuItemConstructorOptions | undefined): unknown[] => items(item).map((i) => i.label).filter((l) => l !== undefined);
const byLabel = (t: MenuItemConstructorOptions[], label: string) => t.find((i) => i.label === label || i.label === `&${label}`);

/** Clicks a menu item the way Electron does (the handler gets the item, the window and the event). */
function click(item: MenuItemConstructorOptions | undefined): void {
  if (item?.click === undefined) throw new Error(`no click handler on ${String(item?.label)}`);
  (item.click as () => void)();
}

beforeEach(() => fake.reset());

describe('Electron shell › application menu', () => {
  it('has an Edit menu with every standard editing role, so copy and paste work in text fields', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(roles(byLabel(template(platform), 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
    }
  });

  it('puts an app menu first on macOS only, with Settings… (Cmd+,) in it', () => {
    const mac = template('darwin');
    expect(mac[0]?.label).toBe('Parley');
    expect(roles(mac[0])).toContain('quit');
    expect(items(mac[0]).find((i) => i.label === 'Settings…')).toMatchObject({ accelerator: 'CmdOrCtrl+,' });
    expect(labels(byLabel(mac, 'File'))).not.toContain('Settings…');
    expect(template('linux')[0]?.label).toBe('&File');
  });

  it('File: Import case…, Export case…, Open data folder, then Settings… (Ctrl+,) and quit outside macOS', () => {
    const file = byLabel(template('win32'), 'File');
    expect(labels(file)).toEqual(['Import Case…', 'Export Case…', 'Open Data Folder', '&Settings…']);
    expect(items(file).find((i) => i.label === '&Settings…')).toMatchObject({ accelerator: 'CmdOrCtrl+,' });
    expect(roles(file)).toEqual(['quit']);
    expect(roles(byLabel(template('darwin'), 'File'))).toEqual(['close']);
  });

  it('View: Light, Dark and System theme as radio items, the current one checked, then reload, dev tools and zoom', () => {
    const view = byLabel(template('linux', 'dark'), 'View');
    const themes = items(view).filter((i) => i.type === 'radio');
    expect(themes.map((i) => [i.label, i.checked])).toEqual([
      ['Light Theme', false],
      ['Dark Theme', true],
      ['System Theme', false],
    ]);
    expect(roles(view)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut']));
    expect(roles(byLabel(template('linux'), 'Window'))).toContain('minimize');
  });

  it('Help: Documentation, Report an issue, Show logs (the help role on macOS)', () => {
    expect(labels(byLabel(template('linux'), 'Help'))).toEqual(['Documentation', 'Report an Issue…', 'Show Logs']);
    expect(byLabel(template('darwin'), 'Help')?.role).toBe('help');
  });

  it("each of Parley's own items calls its command", () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const { commands, calls } = recordingCommands();
      const t = menuTemplate(platform, 'Parley', commands, { theme: 'system' });
      const find = (menu: string, label: string) => items(byLabel(t, menu)).find((i) => i.label === label || i.label === `&${label}`);
      click(find('File', 'Import Case…'));
      click(find('File', 'Export Case…'));
      click(find('File', 'Open Data Folder'));
      click(find(platform === 'darwin' ? 'Parley' : 'File', 'Settings…'));
      click(find('View', 'Light Theme'));
      click(find('View', 'Dark Theme'));
      click(find('View', 'System Theme'));
      click(find('Help', 'Documentation'));
      click(find('Help', 'Report an Issue…'));
      click(find('Help', 'Show Logs'));
      expect(calls).toEqual(['importCase', 'exportCase', 'openDataFolder', 'openSettings', 'setTheme:light', 'setTheme:dark', 'setTheme:system', 'openDocumentation', 'reportIssue', 'showLogs']);
    }
  });

  it('links Help to https pages under the homepage package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { homepage: string };
    expect(PROJECT_HOMEPAGE).toBe(pkg.homepage);
    expect(DOCUMENTATION_URL).toBe(`${pkg.homepage}#readme`);
    expect(REPORT_ISSUE_URL.startsWith(pkg.homepage)).toBe(true);
    expect(new URL(DOCUMENTATION_URL).protocol).toBe('https:');
  });

  it('installs the menu as the application menu', () => {
    const { commands } = recordingCommands();
    installMenu('linux', 'Parley', commands, { theme: 'light' });
    const installed = (fake.Menu.installed as { template: MenuItemConstructorOptions[] }).template;
    expect(labels(byLabel(installed, 'File'))).toContain('Import Case…');
    expect(items(byLabel(installed, 'View')).find((i) => i.checked)?.label).toBe('Light Theme');
  });
});
