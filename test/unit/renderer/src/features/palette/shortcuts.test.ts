import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { filterCommands, paletteCommands } from '../../../../../../renderer/src/features/palette/commands';
import type { KeyPress } from '../../../../../../renderer/src/features/palette/shortcuts';
import { isMacPlatform, shortcutFor, shortcutLabel } from '../../../../../../renderer/src/features/palette/shortcuts';

const press = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts › reading a key press', () => {
  it('Ctrl elsewhere, Cmd on macOS: Mod+Enter is the main action, Mod+K the palette, Mod+1…7 the screens', () => {
    expect(shortcutFor(press('Enter', 'Enter', { ctrlKey: true }), false, false)).toEqual({ kind: 'main' });
    expect(shortcutFor(press('Enter', 'Enter', { metaKey: true }), true, false)).toEqual({ kind: 'main' });
    // The other platform's modifier is not the shortcut.
    expect(shortcutFor(press('Enter', 'Enter', { metaKey: true }), false, false)).toBeNull();
    expect(shortcutFor(press('Enter', 'Enter', { ctrlKey: true }), true, false)).toBeNull();
    expect(shortcutFor(press('k', 'KeyK', { ctrlKey: true }), false, false)).toEqual({ kind: 'palette' });
    expect(shortcutFor(press('2', 'Digit2', { ctrlKey: true }), false, false)).toEqual({ kind: 'screen', screen: 'compose' });
    expect(shortcutFor(press('7', 'Digit7', { metaKey: true }), true, false)).toEqual({ kind: 'screen', screen: 'settings' });
    expect(shortcutFor(press('8', 'Digit8', { ctrlKey: true }), false, false)).toBeNull();
    // AZERTY: the digit row types "é" unshifted; the key's position is what counts.
    expect(shortcutFor(press('é', 'Digit2', { ctrlKey: true }), false, false)).toEqual({ kind: 'screen', screen: 'compose' });
    expect(shortcutFor(press('?', 'Slash', { shiftKey: true }), false, false)).toEqual({ kind: 'sheet' });
    expect(shortcutFor(press('/', 'Slash', { ctrlKey: true }), false, false)).toEqual({ kind: 'sheet' });
  });

  it('while typing in a field only Mod+Enter and Mod+K act; "?" and Mod+1 type as usual', () => {
    expect(shortcutFor(press('Enter', 'Enter', { ctrlKey: true }), false, true)).toEqual({ kind: 'main' });
    expect(shortcutFor(press('k', 'KeyK', { ctrlKey: true }), false, true)).toEqual({ kind: 'palette' });
    expect(shortcutFor(press('?', 'Slash', { shiftKey: true }), false, true)).toBeNull();
    expect(shortcutFor(press('/', 'Slash', { ctrlKey: true }), false, true)).toBeNull();
    expect(shortcutFor(press('1', 'Digit1', { ctrlKey: true }), false, true)).toBeNull();
  });

  it('leaves other combinations alone: Alt, a composing IME, plain keys', () => {
    expect(shortcutFor(press('Enter', 'Enter', { ctrlKey: true, altKey: true }), false, false)).toBeNull();
    expect(shortcutFor(press('Enter', 'Enter', { ctrlKey: true, isComposing: true }), false, true)).toBeNull();
    expect(shortcutFor(press('k', 'KeyK'), false, false)).toBeNull();
    expect(shortcutFor(press('Enter', 'Enter'), false, false)).toBeNull();
  });

  it('labels say which modifier: "Ctrl+K" elsewhere, "⌘K" on macOS', () => {
    expect(shortcutLabel('CmdOrCtrl+K', false)).toBe('Ctrl+K');
    expect(shortcutLabel('CmdOrCtrl+K', true)).toBe('⌘K');
    expect(shortcutLabel('CmdOrCtrl+Enter', false)).toBe('Ctrl+Enter');
    expect(shortcutLabel('Shift+/', true)).toBe('?');
    expect(isMacPlatform({ platform: 'MacIntel', userAgent: '' })).toBe(true);
    expect(isMacPlatform({ platform: 'Linux x86_64', userAgent: '' })).toBe(false);
  });
});

describe('command palette › commands', () => {
  const t = ((key: string, values?: Record<string, string>) => (values ? `${key}(${Object.values(values).join(',')})` : key)) as unknown as TFunction;
  const ran: string[] = [];
  const commands = paletteCommands({
    t,
    mac: false,
    navigate: (screen) => ran.push(`go:${screen}`),
    mainAction: { label: 'Sign', run: () => ran.push('main') },
    openSheet: () => ran.push('sheet'),
    startTour: () => ran.push('tour'),
    setTheme: (theme) => ran.push(`theme:${theme}`),
  });

  it('lists the main action first, every screen with its shortcut, and the actions; Lock only when it can be used', () => {
    expect(commands[0]).toMatchObject({ id: 'main', label: 'Sign', shortcut: 'Ctrl+Enter' });
    expect(commands.find((c) => c.id === 'screen:compose')).toMatchObject({ label: 'palette.goTo(nav.compose)', shortcut: 'Ctrl+2' });
    expect(commands.map((c) => c.id)).toEqual([
      'main',
      'screen:keys',
      'screen:compose',
      'screen:inspect',
      'screen:explain',
      'screen:flows',
      'screen:server',
      'screen:settings',
      'sheet',
      'tour',
      'theme:light',
      'theme:dark',
      'theme:system',
    ]);
  });

  it('filters by every word typed, ignoring case and accents', () => {
    const french = [
      { id: 'a', label: 'Aller à Paramètres', run: () => undefined },
      { id: 'b', label: 'Thème : Sombre', run: () => undefined },
    ];
    expect(filterCommands(french, 'parametres').map((c) => c.id)).toEqual(['a']);
    expect(filterCommands(french, 'THEME sombre').map((c) => c.id)).toEqual(['b']);
    expect(filterCommands(french, '  ').map((c) => c.id)).toEqual(['a', 'b']);
    expect(filterCommands(french, 'nothing')).toEqual([]);
    expect(filterCommands(commands, 'settings nav').map((c) => c.id)).toEqual(['screen:settings']);
  });

  it('runs what it says', () => {
    for (const command of commands) command.run();
    expect(ran).toEqual([
      'main',
      'go:keys',
      'go:compose',
      'go:inspect',
      'go:explain',
      'go:flows',
      'go:server',
      'go:settings',
      'sheet',
      'tour',
      'theme:light',
      'theme:dark',
      'theme:system',
    ]);
  });
});
