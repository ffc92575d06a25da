/**
 * The screens, each a chunk of its own (issue 19, "the renderer, lighter"): the first chunk holds React,
 * i18next with English, the store, the vault screen and the shell; a screen's code (and what only it uses:
 * CodeMirror, zod's schemas, the rule catalogues) comes when it is first shown. Behind the vault screen, the
 * one the URL names is fetched while the user types the passphrase (app.tsx), and once the shell has shown its
 * first screen the others are fetched while the window is idle, so switching screens later does not wait. The tour's panel and the desktop shell's commands
 * are chunks of their own too.
 */
import type { ComponentType } from 'react';
import { Suspense, lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/spinner';
import { useAppStore } from '../state/store';
import type { Screen } from './route';
import { SCREENS } from './route';

type ScreenModule = Promise<{ default: ComponentType }>;

const IMPORTS: Record<Screen, () => ScreenModule> = {
  keys: () => import('../features/keys/keys-screen').then((m) => ({ default: m.KeysScreen })),
  compose: () => import('../features/compose/compose-screen').then((m) => ({ default: m.ComposeScreen })),
  inspect: () => import('../features/inspect/inspect-screen').then((m) => ({ default: m.InspectScreen })),
  explain: () => import('../features/explain/explain-screen').then((m) => ({ default: m.ExplainScreen })),
  flows: () => import('../features/flows/flows-screen').then((m) => ({ default: m.FlowsScreen })),
  server: () => import('../features/server/server-screen').then((m) => ({ default: m.ServerScreen })),
  settings: () => import('../features/settings/settings-screen').then((m) => ({ default: m.SettingsScreen })),
};

/** One fetch per screen, shared by the preloads and React.lazy; a failed fetch is tried again next time. */
const loading = new Map<Screen, ScreenModule>();
function load(screen: Screen): ScreenModule {
  let module = loading.get(screen);
  if (!module) {
    module = IMPORTS[screen]();
    loading.set(screen, module);
    module.catch(() => loading.delete(screen));
  }
  return module;
}

/** Starts fetching a screen's code (errors surface when it is shown, through the error boundary). */
export function preloadScreen(screen: Screen): void {
  load(screen).catch(() => undefined);
}

/** Fetches a screen's code once the window is idle; returns a cancel. */
export function preloadScreenWhenIdle(screen: Screen): () => void {
  return whenIdle(() => preloadScreen(screen));
}

/** Fetches every screen's code once the window is idle; returns a cancel. */
export function preloadAllScreens(): () => void {
  return whenIdle(() => {
    for (const screen of SCREENS) preloadScreen(screen);
  });
}

function whenIdle(run: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(run, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(run, 200);
  return () => window.clearTimeout(handle);
}

const LAZY = {} as Record<Screen, ComponentType>;
for (const screen of SCREENS) LAZY[screen] = lazy(() => load(screen));

/** How long a screen may take to arrive before "Loading…" is shown: a quick one then never flashes it. */
const LOADING_DELAY_MS = 400;

function ScreenLoading() {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setVisible(true), LOADING_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, []);
  return (
    <p className="muted boot-loading" role="status" aria-busy="true">
      {visible ? (
        <>
          <Spinner /> {t('common.loading')}
        </>
      ) : null}
    </p>
  );
}

/** Calls back once the screen it follows is on the page (effects inside a Suspense boundary wait for it). */
function Shown({ screen, onShown }: { screen: Screen; onShown: (screen: Screen) => void }) {
  useEffect(() => onShown(screen), [screen, onShown]);
  return null;
}

const LazyTourPanel = lazy(() => import('../features/tour/tour-panel').then((m) => ({ default: m.TourPanel })));
const LazyShellCommands = lazy(() => import('./shell-commands').then((m) => ({ default: m.ShellCommands })));

/** The guided tour's panel, its code (which starts flows) fetched only once the tour is opened. */
export function TourPanel() {
  const open = useAppStore((s) => s.tour.open);
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <LazyTourPanel />
    </Suspense>
  );
}

/**
 * The desktop shell's commands (import a case, export a run), fetched after the first screen: they wait in
 * the core's mailbox meanwhile, and with them comes the case import's code (rules, explanations).
 */
export function ShellCommands() {
  return (
    <Suspense fallback={null}>
      <LazyShellCommands />
    </Suspense>
  );
}

/** The current screen; `onShown` is told when it is on the page, its code loaded. */
export function ScreenView({ screen, onShown }: { screen: Screen; onShown: (screen: Screen) => void }) {
  const View = LAZY[screen];
  // One boundary per screen (keyed): without the key, leaving a screen for one whose code is still loading
  // only hides the old screen, and coming back before the new one arrives shows the same hidden instance
  // again, never remounted, so it keeps the data it loaded before (e.g. Compose's stale client list).
  return (
    <Suspense key={screen} fallback={<ScreenLoading />}>
      <View />
      <Shown screen={screen} onShown={onShown} />
    </Suspense>
  );
}
