import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { installMenu, menuTemplate } = await import('../../../electron/main/menu');

const roles = (item: MenuItemConstructorOptions | undefined): unknown[] =>
  (item?.submenu as MenuItemConstructorOptions[]).map((i) => i.role).filter((r) => r !== undefined);
const byLabel = (template: MenuItemConstructorOptions[], label: string) => template.find((i) => i.label === label);

beforeEach(() => fake.reset());

describe('Electron shell › application menu', () => {
  it('has an Edit menu with every standard editing role, so copy and paste work in text fields', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(roles(byLabel(menuTemplate(platform, 'Parley'), 'Edit'))).toEqual([
        'undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll',
      ]);
    }
  });

  it('puts an app menu first on macOS only', () => {
    expect(menuTemplate('darwin', 'Parley')[0]?.label).toBe('Parley');
    expect(roles(menuTemplate('darwin', 'Parley')[0])).toContain('quit');
    expect(menuTemplate('linux', 'Parley')[0]?.label).toBe('File');
  });

  it('offers quit in the File menu outside macOS', () => {
    expect(roles(byLabel(menuTemplate('win32', 'Parley'), 'File'))).toEqual(['quit']);
  });

  it('has View (reload, dev tools, zoom) and Window menus', () => {
    const template = menuTemplate('linux', 'Parley');
    expect(roles(byLabel(template, 'View'))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut']));
    expect(roles(byLabel(template, 'Window'))).toContain('minimize');
  });

  it('installs the menu as the application menu', () => {
    installMenu('linux', 'Parley');
    expect(fake.Menu.installed).toEqual({ template: menuTemplate('linux', 'Parley') });
  });
});
