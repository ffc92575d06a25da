/**
 * Routing by the URL hash (`#/keys`, `#/server`, `#/settings`): no history server needed, works under a custom
 * protocol in Electron and behind the web bridge, and survives a reload.
 */
import { useSyncExternalStore } from 'react';

/** The screens that exist. Navigation shows exactly these. */
export const SCREENS = ['keys', 'compose', 'inspect', 'explain', 'flows', 'server', 'settings'] as const;
/** A screen. */
export type Screen = (typeof SCREENS)[number];

/** The screen a hash names; anything unknown falls back to Keys. */
export function screenFromHash(hash: string): Screen {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (SCREENS as readonly string[]).includes(name ?? '') ? (name as Screen) : 'keys';
}

/** The href of a screen. */
export function hrefFor(screen: Screen): string {
  return `#/${screen}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current screen, re-rendering on navigation. */
export function useScreen(): Screen {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return screenFromHash(hash);
}

/** The query of a hash (`#/inspect?token=…` → `token=…`), for screens that can be opened prefilled. */
export function queryFromHash(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/** The current hash, re-rendering on navigation. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
