import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { fake } from './fake-electron';
import type { MenuCommands } from '../../../../electron/main/menu';
import type { Language } from '../../../../shared/schemas/settings';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { DOCUMENTATION_URL, PROJECT_HOMEPAGE, REPORT_ISSUE_URL, installMenu, menuTemplate } = await import('../../../../electron/main/menu');
const { MENU_STRINGS } = await import('../../../../electron/main/menu-strings');
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

const template = (platform: NodeJS.Platform, theme: 'system' | 'light' | 'dark' = 'system', language: Language = 'en') =>
  menuTemplate(platform, 'Parley', recordingCommands().commands, { theme, language });
const items = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => item?.submenu as MenuItemConstructorOptions[];
const roles = (item: MenuItemConstructorOptions | undefined): unknown[] =>
  items(item)
    .map((i) => i.role)
    .filter((r) => r !== undefined);
const labels = (item: MenuItemConstructorOptions | undefined): unknown[] =>
  items(item)
    .map((i) => i.label)
    .filter((l) => l !== undefined);
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
      const t = menuTemplate(platform, 'Parley', commands, { theme: 'system', language: 'en' });
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
      expect(calls).toEqual([
        'importCase',
        'exportCase',
        'openDataFolder',
        'openSettings',
        'setTheme:light',
        'setTheme:dark',
        'setTheme:system',
        'openDocumentation',
        'reportIssue',
        'showLogs',
      ]);
    }
  });

  it('links Help to https pages under the homepage package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { homepage: string };
    expect(PROJECT_HOMEPAGE).toBe(pkg.homepage);
    expect(DOCUMENTATION_URL).toBe(`${pkg.homepage}#readme`);
    expect(REPORT_ISSUE_URL.startsWith(pkg.homepage)).toBe(true);
    expect(new URL(DOCUMENTATION_URL).protocol).toBe('https:');
  });

  it('installs the menu as the application menu', () => {
    const { commands } = recordingCommands();
    installMenu('linux', 'Parley', commands, { theme: 'light', language: 'en' });
    const installed = (fake.Menu.installed as { template: MenuItemConstructorOptions[] }).template;
    expect(labels(byLabel(installed, 'File'))).toContain('Import Case…');
    expect(items(byLabel(installed, 'View')).find((i) => i.checked)?.label).toBe('Light Theme');
  });
});

/** Every label of a template, submenus included (what a user reads in the menu bar). */
function allLabels(t: MenuItemConstructorOptions[]): string[] {
  return t.flatMap((i) => [...(i.label === undefined ? [] : [i.label]), ...allLabels((i.submenu as MenuItemConstructorOptions[] | undefined) ?? [])]);
}

/** The renderer's catalogue for a language, flattened to `a.b.c` keys. */
function catalogue(language: Language): Map<string, string> {
  const flat = new Map<string, string>();
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value === 'string') flat.set(prefix, value);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(JSON.parse(readFileSync(new URL(`../../../../renderer/src/i18n/locales/${language}.json`, import.meta.url), 'utf8')) as unknown, '');
  return flat;
}

describe('Electron shell › application menu in the UI language', () => {
  it('ja-JP: every menu, item and standard role in Japanese, access keys as "(&F)" outside macOS', () => {
    const linux = template('linux', 'system', 'ja-JP');
    expect(linux.map((m) => m.label)).toEqual(['ファイル(&F)', '編集(&E)', '表示(&V)', 'ウィンドウ(&W)', 'ヘルプ(&H)']);
    expect(labels(byLabel(linux, 'ファイル(&F)'))).toEqual([
      'ケースをインポート…',
      'ケースをエクスポート…',
      'データフォルダーを開く',
      '設定(&S)…',
      'Parleyを終了',
    ]);
    expect(labels(byLabel(linux, '編集(&E)'))).toEqual([
      '元に戻す',
      'やり直す',
      '切り取り',
      'コピー',
      '貼り付け',
      'ペーストしてスタイルを合わせる',
      '削除',
      'すべてを選択',
    ]);
    expect(labels(byLabel(linux, 'ヘルプ(&H)'))).toEqual(['ドキュメント', '問題を報告…', 'ログを表示']);
    // The roles stay (their shortcuts and behaviour are Electron's); only the words change.
    expect(roles(byLabel(linux, '編集(&E)'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
    // macOS shows no access keys.
    const mac = template('darwin', 'system', 'ja-JP');
    expect(mac.map((m) => m.label)).toEqual(['Parley', 'ファイル', '編集', '表示', 'ウィンドウ', 'ヘルプ']);
    expect(labels(mac[0])).toEqual(['Parleyについて', '設定…', 'サービス', 'Parleyを非表示', 'ほかを非表示', 'すべてを表示', 'Parleyを終了']);
    // Not one English word left in the menus (the app's name and "Parley" aside).
    for (const t of [linux, mac]) expect(allLabels(t).filter((l) => /[A-Za-z]{2,}/.test(l.replace(/Parley/g, '')))).toEqual([]);
  });

  it('fr-CA: every menu, item and standard role in French, with its access key', () => {
    const linux = template('linux', 'dark', 'fr-CA');
    expect(linux.map((m) => m.label)).toEqual(['&Fichier', '&Édition', '&Affichage', 'Fe&nêtre', 'Ai&de']);
    expect(labels(byLabel(linux, 'Fichier'))).toEqual([
      'Importer un cas…',
      'Exporter le cas…',
      'Ouvrir le dossier de données',
      '&Paramètres…',
      'Quitter Parley',
    ]);
    expect(
      items(byLabel(linux, 'Affichage'))
        .filter((i) => i.type === 'radio')
        .map((i) => [i.label, i.checked]),
    ).toEqual([
      ['Thème clair', false],
      ['Thème sombre', true],
      ['Thème du système', false],
    ]);
    expect(labels(byLabel(linux, 'Ai&de'))).toEqual(['Documentation', 'Signaler un problème…', 'Afficher les journaux']);
    const mac = template('darwin', 'system', 'fr-CA');
    expect(mac.map((m) => m.label)).toEqual(['Parley', 'Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
    expect(labels(mac[0])).toContain('Paramètres…');
    // Each access key is used once per menu bar (Windows jumps to the first on a clash).
    const keys = linux.map((m) => /&(.)/.exec(m.label ?? '')?.[1]?.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("each language's items still call their commands (the words change, not what they do)", () => {
    for (const language of ['fr-CA', 'ja-JP'] as const) {
      const { commands, calls } = recordingCommands();
      const t = menuTemplate('linux', 'Parley', commands, { theme: 'system', language });
      for (const item of [...items(t[0]), ...items(t[2]), ...items(t[4])].filter((i) => i.click !== undefined)) click(item);
      expect(calls).toEqual([
        'importCase',
        'exportCase',
        'openDataFolder',
        'openSettings',
        'setTheme:light',
        'setTheme:dark',
        'setTheme:system',
        'openDocumentation',
        'reportIssue',
        'showLogs',
      ]);
    }
  });

  it("uses the renderer catalogues' terms for the same things (one term per concept)", () => {
    for (const language of ['en', 'fr-CA', 'ja-JP'] as const) {
      const ui = catalogue(language);
      const words = MENU_STRINGS[language];
      const bare = (label: string) => label.replace(/\(&.\)|&|…/g, '');
      expect(bare(words.importCase).toLowerCase(), language).toBe(ui.get('flows.case.import')!.toLowerCase());
      expect(bare(words.exportCase).toLowerCase(), language).toBe(ui.get('flows.case.export')!.toLowerCase());
      expect(bare(words.settings), language).toBe(ui.get('nav.settings'));
      expect(words.showLogs.toLowerCase(), language).toContain(ui.get('server.tabs.logs')!.toLowerCase());
      expect(words.importDialogTitle, language).toBe(ui.get('flows.case.import'));
    }
  });

  it('the strings module is plain data: it imports nothing from Electron', () => {
    const source = readFileSync(new URL('../../../../electron/main/menu-strings.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from ['"]electron['"]/);
    expect(Object.keys(MENU_STRINGS).sort()).toEqual(['en', 'fr-CA', 'ja-JP']);
  });
});
