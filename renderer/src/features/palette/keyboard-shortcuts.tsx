/**
 * The shell's keyboard shortcuts (shortcuts.ts) and the two dialogs they open: the command palette and the
 * shortcuts sheet. Mounted once with the unlocked shell. Keys are read on the window in the capture phase,
 * so Mod+Enter reaches the screen's main action before the code editor takes it for a new line; a modal
 * dialog (the app is `inert` behind it) keeps its keys to itself.
 */
import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hrefFor } from '../../app/route';
import type { Screen } from '../../app/route';
import { applyThemePreference } from '../../app/theme';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import type { ThemePreference } from '../../../../shared/schemas/settings';
import { CommandPalette } from './command-palette';
import { mainActionButton, paletteCommands } from './commands';
import { isMacPlatform, isTypingTarget, shortcutFor } from './shortcuts';
import { ShortcutsSheet } from './shortcuts-sheet';

type Open = 'palette' | 'sheet' | null;

function navigate(screen: Screen): void {
  window.location.hash = hrefFor(screen);
}

/** The key handling, the palette and the sheet. */
export function KeyboardShortcuts() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Open>(null);
  const mac = useMemo(() => isMacPlatform(), []);

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || document.getElementById('root')?.hasAttribute('inert')) return;
    const action = shortcutFor(event, mac, isTypingTarget(event.target));
    if (!action) return;
    if (action.kind === 'main') {
      const button = mainActionButton();
      // No main action here (or it cannot run now): the keys keep their ordinary meaning.
      if (!button) return;
      button.click();
    } else if (action.kind === 'screen') navigate(action.screen);
    else setOpen(action.kind);
    event.preventDefault();
    event.stopPropagation();
  });
  useEffect(() => {
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const setTheme = (theme: ThemePreference) => {
    const store = useAppStore.getState();
    const previous = store.settings.values?.theme ?? 'system';
    applyThemePreference(theme);
    store.updateSettings({ theme }).catch((e: unknown) => {
      applyThemePreference(previous);
      store.pushToast({ kind: 'error', message: t('settings.theme.saveFailed'), detail: describeError(t, e).message });
    });
  };

  const commands = () => {
    const store = useAppStore.getState();
    const main = mainActionButton();
    return paletteCommands({
      t,
      mac,
      navigate,
      mainAction: main ? { label: main.textContent?.trim() ?? '', run: () => main.click() } : null,
      openSheet: () => setOpen('sheet'),
      startTour: () => store.startTour(),
      setTheme,
      ...(store.vault.status?.protector === 'passphrase'
        ? {
            lock: () =>
              void store.lockVault().catch((e: unknown) => {
                const { message, detail } = describeError(t, e);
                store.pushToast({ kind: 'error', message, detail });
              }),
          }
        : {}),
    });
  };

  if (open === 'palette') return <CommandPalette commands={commands()} onClose={() => setOpen((o) => (o === 'palette' ? null : o))} />;
  if (open === 'sheet') return <ShortcutsSheet mac={mac} onClose={() => setOpen(null)} />;
  return null;
}
