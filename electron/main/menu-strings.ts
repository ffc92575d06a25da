/**
 * The native menu's words in each UI language (en, fr-CA, ja-JP), as plain data: no Electron here, so the
 * labels can be read and checked without it, and menu.ts builds the template from them. The terms are the
 * renderer catalogues' own (Importer un cas / ケースをインポート, Journaux / ログ, Thème clair / ライト),
 * kept beside the catalogues by test/unit/electron/main/menu.test.ts.
 *
 * `&` marks a Windows/Linux access key; macOS shows no access keys, so menu.ts drops the `&` there (and the
 * Japanese "(&F)" suffix, the platform's convention for access keys on non-Latin labels).
 *
 * Standard roles (undo, copy, quit…) carry Electron's English label unless a language names them: English
 * keeps Electron's defaults (which follow the platform: Quit/Exit, Zoom on macOS), the others name each.
 */
import type { Language } from '../../shared/schemas/settings';

/** The standard roles the menu uses (Electron's role names); each may get a label in a language. */
export const MENU_ROLES = [
  'about',
  'services',
  'hide',
  'hideOthers',
  'unhide',
  'quit',
  'close',
  'undo',
  'redo',
  'cut',
  'copy',
  'paste',
  'pasteAndMatchStyle',
  'delete',
  'selectAll',
  'reload',
  'forceReload',
  'toggleDevTools',
  'resetZoom',
  'zoomIn',
  'zoomOut',
  'togglefullscreen',
  'minimize',
  'zoom',
  'front',
] as const;
/** A standard role the menu uses. */
export type MenuRole = (typeof MENU_ROLES)[number];

/** One language's menu words. */
export interface MenuStrings {
  file: string;
  edit: string;
  view: string;
  window: string;
  help: string;
  importCase: string;
  exportCase: string;
  openDataFolder: string;
  settings: string;
  lightTheme: string;
  darkTheme: string;
  systemTheme: string;
  documentation: string;
  reportIssue: string;
  showLogs: string;
  /** File › Import case…: the open dialog's title and its file filter. */
  importDialogTitle: string;
  caseFileType: string;
  /** Labels for standard roles; `{app}` is the application's name. */
  roles: Partial<Record<MenuRole, string>>;
}

export const MENU_STRINGS: Readonly<Record<Language, MenuStrings>> = {
  en: {
    file: '&File',
    edit: '&Edit',
    view: '&View',
    window: '&Window',
    help: '&Help',
    importCase: 'Import Case…',
    exportCase: 'Export Case…',
    openDataFolder: 'Open Data Folder',
    settings: '&Settings…',
    lightTheme: 'Light Theme',
    darkTheme: 'Dark Theme',
    systemTheme: 'System Theme',
    documentation: 'Documentation',
    reportIssue: 'Report an Issue…',
    showLogs: 'Show Logs',
    importDialogTitle: 'Import case',
    caseFileType: 'Parley case',
    roles: {},
  },
  'fr-CA': {
    file: '&Fichier',
    edit: '&Édition',
    view: '&Affichage',
    window: 'Fe&nêtre',
    help: 'Ai&de',
    importCase: 'Importer un cas…',
    exportCase: 'Exporter le cas…',
    openDataFolder: 'Ouvrir le dossier de données',
    settings: '&Paramètres…',
    lightTheme: 'Thème clair',
    darkTheme: 'Thème sombre',
    systemTheme: 'Thème du système',
    documentation: 'Documentation',
    reportIssue: 'Signaler un problème…',
    showLogs: 'Afficher les journaux',
    importDialogTitle: 'Importer un cas',
    caseFileType: 'Cas Parley',
    roles: {
      about: 'À propos de {app}',
      services: 'Services',
      hide: 'Masquer {app}',
      hideOthers: 'Masquer les autres',
      unhide: 'Tout afficher',
      quit: 'Quitter {app}',
      close: 'Fermer la fenêtre',
      undo: 'Annuler',
      redo: 'Rétablir',
      cut: 'Couper',
      copy: 'Copier',
      paste: 'Coller',
      pasteAndMatchStyle: 'Coller et adapter le style',
      delete: 'Supprimer',
      selectAll: 'Tout sélectionner',
      reload: 'Recharger',
      forceReload: 'Forcer le rechargement',
      toggleDevTools: 'Outils de développement',
      resetZoom: 'Taille réelle',
      zoomIn: 'Zoom avant',
      zoomOut: 'Zoom arrière',
      togglefullscreen: 'Plein écran',
      minimize: 'Réduire',
      zoom: 'Zoom',
      front: 'Tout ramener au premier plan',
    },
  },
  'ja-JP': {
    file: 'ファイル(&F)',
    edit: '編集(&E)',
    view: '表示(&V)',
    window: 'ウィンドウ(&W)',
    help: 'ヘルプ(&H)',
    importCase: 'ケースをインポート…',
    exportCase: 'ケースをエクスポート…',
    openDataFolder: 'データフォルダーを開く',
    settings: '設定(&S)…',
    lightTheme: 'ライトテーマ',
    darkTheme: 'ダークテーマ',
    systemTheme: 'システムのテーマ',
    documentation: 'ドキュメント',
    reportIssue: '問題を報告…',
    showLogs: 'ログを表示',
    importDialogTitle: 'ケースをインポート',
    caseFileType: 'Parleyケース',
    roles: {
      about: '{app}について',
      services: 'サービス',
      hide: '{app}を非表示',
      hideOthers: 'ほかを非表示',
      unhide: 'すべてを表示',
      quit: '{app}を終了',
      close: 'ウィンドウを閉じる',
      undo: '元に戻す',
      redo: 'やり直す',
      cut: '切り取り',
      copy: 'コピー',
      paste: '貼り付け',
      pasteAndMatchStyle: 'ペーストしてスタイルを合わせる',
      delete: '削除',
      selectAll: 'すべてを選択',
      reload: '再読み込み',
      forceReload: '強制的に再読み込み',
      toggleDevTools: '開発者ツール',
      resetZoom: '実際のサイズ',
      zoomIn: '拡大',
      zoomOut: '縮小',
      togglefullscreen: 'フルスクリーン',
      minimize: 'しまう',
      zoom: 'ズーム',
      front: 'すべてを手前に移動',
    },
  },
};

/** A label as a platform shows it: macOS has no access keys, so "&File" is "File" and "ファイル(&F)" is "ファイル". */
export function platformLabel(label: string, platform: NodeJS.Platform): string {
  if (platform !== 'darwin') return label;
  return label.replace(/\(&[^)]\)/g, '').replace(/&(.)/g, '$1');
}

/** A standard role's label in a language, or undefined for Electron's own (English) label. */
export function roleLabel(strings: MenuStrings, role: MenuRole, appName: string, platform: NodeJS.Platform): string | undefined {
  const label = strings.roles[role];
  return label === undefined ? undefined : platformLabel(label.replaceAll('{app}', appName), platform);
}
