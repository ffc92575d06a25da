/**
 * The keyboard shortcuts (README "Shortcuts"), as data and a pure reading of a key event, so a unit test
 * checks them against the desktop menu's accelerators (electron/main/menu.ts): a key combination is either
 * the menu's or the page's, never both, so nothing fires twice in the Electron app.
 *
 * Cmd on macOS, Ctrl elsewhere (the labels say which). While typing in a text field only the main action
 * (Mod+Enter) and the palette (Mod+K) work; the others are ordinary typing there ("?", Mod+/ toggles a
 * comment in the code editor, Mod+1 is nothing a field needs but would surprise).
 */
import type { Screen } from '../../app/route';
import { SCREENS } from '../../app/route';

/** What a shortcut does. */
export type ShortcutAction = { kind: 'main' } | { kind: 'palette' } | { kind: 'sheet' } | { kind: 'screen'; screen: Screen };

/** A shortcut as the sheet lists it and as Electron would write it (`CmdOrCtrl+K`). */
export interface ShortcutSpec {
  readonly action: ShortcutAction;
  /** The keys after the modifier, as Electron's accelerator syntax names them. */
  readonly accelerators: readonly string[];
}

/** Every shortcut, in the order the sheet lists them. */
export const SHORTCUTS: readonly ShortcutSpec[] = [
  { action: { kind: 'main' }, accelerators: ['CmdOrCtrl+Enter'] },
  { action: { kind: 'palette' }, accelerators: ['CmdOrCtrl+K'] },
  { action: { kind: 'sheet' }, accelerators: ['Shift+/', 'CmdOrCtrl+/'] },
  ...SCREENS.map((screen, i) => ({ action: { kind: 'screen', screen } as const, accelerators: [`CmdOrCtrl+${i + 1}`] })),
];

/** True on macOS (the renderer's own view: the page runs where the user's keyboard is). */
export function isMacPlatform(nav: Pick<Navigator, 'platform' | 'userAgent'> = navigator): boolean {
  return /Mac|iPhone|iPad/i.test(nav.platform || nav.userAgent);
}

/** How a shortcut reads for the user: `⌘K` on macOS, `Ctrl+K` elsewhere (`?` stays `?`). */
export function shortcutLabel(accelerator: string, mac: boolean): string {
  if (accelerator === 'Shift+/') return '?';
  const key = accelerator.replace(/^CmdOrCtrl\+/, '');
  const shown = key === 'Enter' ? (mac ? '↩' : 'Enter') : key;
  return mac ? `⌘${shown}` : `Ctrl+${shown}`;
}

/** What a key event asks for, the part of it a shortcut reads. */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly isComposing?: boolean;
}

/** The shortcut a key press is, if any. `typing`: focus is in a text field or the code editor. */
export function shortcutFor(press: KeyPress, mac: boolean, typing: boolean): ShortcutAction | null {
  if (press.isComposing || press.altKey) return null;
  const mod = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (mod) {
    if (press.key === 'Enter' && !press.shiftKey) return { kind: 'main' };
    if (press.code === 'KeyK' || press.key.toLowerCase() === 'k') return press.shiftKey ? null : { kind: 'palette' };
    if (typing) return null;
    if (press.key === '/' || press.code === 'Slash') return { kind: 'sheet' };
    // The digit keys by position: on AZERTY keyboards the digits are shifted, and the key is "&", "é"…
    const digit = /^Digit([1-9])$/.exec(press.code)?.[1] ?? (/^[1-9]$/.test(press.key) ? press.key : undefined);
    const screen = digit === undefined ? undefined : SCREENS[Number(digit) - 1];
    return screen && !press.shiftKey ? { kind: 'screen', screen } : null;
  }
  if (typing || press.ctrlKey || press.metaKey) return null;
  return press.key === '?' ? { kind: 'sheet' } : null;
}

/** True when keys typed at `target` are text (a text field, a select's type-ahead, the code editor). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
}
