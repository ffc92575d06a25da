/**
 * The renderer's keyboard shortcuts (renderer/src/features/palette/shortcuts.ts) and the desktop menu's
 * accelerators are disjoint on every platform: a combination the menu owns is never also handled by the page,
 * so nothing fires twice in the Electron app (issue 19, "habits of a desktop tool").
 */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { menuTemplate } = await import('../../../../electron/main/menu');
const { SHORTCUTS } = await import('../../../../renderer/src/features/palette/shortcuts');

/** Electron's default accelerators of the roles the menu uses (electronjs.org/docs/latest/api/menu-item#roles). */
function roleAccelerators(role: string, platform: NodeJS.Platform): string[] {
  const mac = platform === 'darwin';
  const table: Record<string, string[]> = {
    undo: ['CmdOrCtrl+Z'],
    redo: mac ? ['Shift+Cmd+Z'] : ['Ctrl+Y', 'Shift+Ctrl+Z'],
    cut: ['CmdOrCtrl+X'],
    copy: ['CmdOrCtrl+C'],
    paste: ['CmdOrCtrl+V'],
    pasteAndMatchStyle: mac ? ['Alt+Shift+Cmd+V'] : ['Shift+Ctrl+V'],
    selectAll: ['CmdOrCtrl+A'],
    reload: ['CmdOrCtrl+R'],
    forceReload: ['Shift+CmdOrCtrl+R'],
    toggleDevTools: mac ? ['Alt+Cmd+I'] : ['Ctrl+Shift+I'],
    resetZoom: ['CmdOrCtrl+0'],
    zoomIn: ['CmdOrCtrl+Plus', 'CmdOrCtrl+='],
    zoomOut: ['CmdOrCtrl+-'],
    togglefullscreen: mac ? ['Ctrl+Cmd+F'] : ['F11'],
    minimize: ['CmdOrCtrl+M'],
    close: ['CmdOrCtrl+W'],
    quit: mac ? ['Cmd+Q'] : ['Ctrl+Q'],
    hide: ['Cmd+H'],
    hideOthers: ['Alt+Cmd+H'],
  };
  return table[role] ?? [];
}

/** An accelerator as a comparable string for a platform: modifiers resolved and sorted, key upper-cased. */
function normalise(accelerator: string, platform: NodeJS.Platform): string {
  const parts = accelerator.split('+').map((p) => p.trim());
  // "CmdOrCtrl+Plus" and "CmdOrCtrl+=" name keys; a lone "+" cannot occur in Electron's syntax.
  const key = (parts.pop() ?? '').toUpperCase();
  const mods = parts
    .map((m) =>
      /^(?:CmdOrCtrl|CommandOrControl)$/i.test(m)
        ? platform === 'darwin'
          ? 'Cmd'
          : 'Ctrl'
        : /^(?:Command|Cmd|Super|Meta)$/i.test(m)
          ? 'Cmd'
          : /^(?:Control|Ctrl)$/i.test(m)
            ? 'Ctrl'
            : /^(?:Alt|Option)$/i.test(m)
              ? 'Alt'
              : m,
    )
    .sort();
  return [...mods, key].join('+');
}

function menuAccelerators(items: readonly MenuItemConstructorOptions[], platform: NodeJS.Platform): string[] {
  return items.flatMap((item) => [
    ...(typeof item.accelerator === 'string' ? [item.accelerator] : []),
    ...(item.accelerator === undefined && item.role ? roleAccelerators(item.role, platform) : []),
    ...(Array.isArray(item.submenu) ? menuAccelerators(item.submenu, platform) : []),
  ]);
}

const noop = () => undefined;
const commands = {
  importCase: noop,
  exportCase: noop,
  openDataFolder: noop,
  setTheme: noop,
  openSettings: noop,
  openDocumentation: noop,
  reportIssue: noop,
  showLogs: noop,
};

describe('keyboard shortcuts › the menu and the page never share a combination', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`${platform}: no shortcut of the page is a menu accelerator`, () => {
      const menu = new Set(
        menuAccelerators(menuTemplate(platform, 'Parley', commands, { theme: 'system', language: 'en' }), platform).map((a) => normalise(a, platform)),
      );
      // The scan sees the menu's own items and its roles.
      expect(menu).toContain(normalise('CmdOrCtrl+O', platform));
      expect(menu).toContain(normalise('CmdOrCtrl+0', platform));
      const page = SHORTCUTS.flatMap((s) => s.accelerators).map((a) => normalise(a, platform));
      expect(page).toContain(normalise('CmdOrCtrl+K', platform));
      expect(page.filter((a) => menu.has(a))).toEqual([]);
    });
  }
});
