import type { ThemePreference } from '../../../shared/schemas/settings';
/**
 * The theme preference on the page: `data-theme` on <html> sets its `color-scheme`, which picks each
 * token's light or dark value (styles/tokens.css); `system` removes it, so the OS or browser decides. In the
 * desktop app the main process also sets Electron's nativeTheme, so native controls and the window follow.
 */

/** Applies a theme preference at once. */
export function applyThemePreference(theme: ThemePreference): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = theme;
}
