/** The app frame once the vault is unlocked: a left sidebar (brand, navigation, jobs, Lock) and the screen. */
import type { MouseEvent, ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button';
import { describeError } from '../i18n/errors';
import { JobsIndicator } from '../features/keys/jobs-indicator';
import { DraftsNotice } from '../features/drafts/drafts-notice';
import { KeyboardShortcuts } from '../features/palette/keyboard-shortcuts';
import { StoreNoticesBanner } from '../features/vault/store-notices-banner';
import { TourOffer } from '../features/tour/tour-offer';
import { useAppStore } from '../state/store';
import { Brand } from './brand';
import { ScreenView, ShellCommands, TourPanel, preloadAllScreens } from './screens';
import type { Screen } from './route';
import { hrefFor, useScreen } from './route';
import { screenName } from './screen-name';

/** The signed-in frame. */
export function Shell() {
  const { t } = useTranslation();
  const screen = useScreen();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const tourOpen = useAppStore((s) => s.tour.open);
  // The screen on the page: a screen's code may still be loading after navigating (app/screens.tsx).
  const [shown, setShown] = useState<Screen | null>(null);

  // Once the first screen is on the page, fetch the others' code while idle.
  const firstShown = shown !== null;
  useEffect(() => (firstShown ? preloadAllScreens() : undefined), [firstShown]);

  // After navigating, move focus to the new screen's heading so keyboard and screen-reader users land there.
  useEffect(() => {
    if (shown === null) return;
    if (first.current) {
      first.current = false;
      return;
    }
    // A navigation made from the guided tour's panel (its Run button) leaves focus in the panel.
    if (document.activeElement?.closest('.tour-panel')) return;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [shown]);

  const title = screenName(t, screen);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  // The skip link moves focus itself: its href must not reach the hash router (`#main` is not a screen).
  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    // Every screen's title takes focus (tabindex -1), as after navigating; `main` itself stays out of focus so a
    // click on its background does not move focus away from where it was.
    main.current?.querySelector<HTMLElement>('h1[tabindex]')?.focus();
  };

  return (
    <div className={tourOpen ? 'shell shell-with-tour' : 'shell'}>
      {/* First in the Tab order, shown only while focused: keyboard users get past the navigation in one key. */}
      <a className="skip-link" href="#main" onClick={skipToMain}>
        {t('nav.skipToContent')}
      </a>
      <aside className="sidebar">
        <Brand />
        <nav className="nav" aria-label={t('nav.label')}>
          <ul>
            <NavItem screen="keys" current={screen} label={t('nav.keys')} icon={<KeyIcon />} />
            <NavItem screen="compose" current={screen} label={t('nav.compose')} icon={<ComposeIcon />} />
            <NavItem screen="inspect" current={screen} label={t('nav.inspect')} icon={<InspectIcon />} />
            <NavItem screen="explain" current={screen} label={t('nav.explain')} icon={<ExplainIcon />} />
            <NavItem screen="flows" current={screen} label={t('nav.flows')} icon={<FlowsIcon />} />
            <NavItem screen="server" current={screen} label={t('nav.server')} icon={<ServerIcon />} />
            <NavItem screen="settings" current={screen} label={t('nav.settings')} icon={<GearIcon />} />
          </ul>
        </nav>
        <div className="sidebar-spacer" />
        <JobsIndicator />
        <div className="sidebar-footer">
          <LockButton />
        </div>
      </aside>
      <main ref={main} id="main" className="main">
        <StoreNoticesBanner />
        <DraftsNotice />
        <TourOffer />
        <ScreenView screen={screen} onShown={setShown} />
      </main>
      <TourPanel />
      <ShellCommands />
      <KeyboardShortcuts />
    </div>
  );
}

function NavItem({ screen, current, label, icon }: { screen: Screen; current: Screen; label: string; icon: ReactNode }) {
  return (
    <li>
      <a className="nav-link" href={hrefFor(screen)} aria-current={screen === current ? 'page' : undefined}>
        {icon}
        <span>{label}</span>
      </a>
    </li>
  );
}

function LockButton() {
  const { t } = useTranslation();
  const protector = useAppStore((s) => s.vault.status?.protector);
  const lockVault = useAppStore((s) => s.lockVault);
  const pushToast = useAppStore((s) => s.pushToast);
  // With the OS keychain there is no passphrase to unlock with again, so locking is offered only with a passphrase.
  if (protector !== 'passphrase') return null;
  const onLock = async () => {
    try {
      await lockVault();
    } catch (e) {
      const { message, detail } = describeError(t, e);
      pushToast({ kind: 'error', message, detail });
    }
  };
  return (
    <Button variant="secondary" className="lock-button" onClick={() => void onLock()}>
      <LockIcon />
      {t('vault.lock')}
    </Button>
  );
}

function ComposeIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M10.8 2.2l3 3L6 13H3v-3z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      <path d="M9 4l3 3" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}

function KeyIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="5" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M8 8h6.5M12 8v2.5M14.5 8v2" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  );
}

function InspectIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="7" cy="7" r="4.25" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M10.2 10.2l3.6 3.6" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

function ExplainIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M3 3.5h10M3 6.5h7M3 9.5h5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
      <circle cx="11.5" cy="11.5" r="2.6" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M11.5 10.6v1.1M11.5 12.9v.05" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  );
}

function FlowsIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="3.5" cy="4" r="1.8" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <circle cx="12.5" cy="12" r="1.8" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M5.3 4h4.2a2.5 2.5 0 0 1 0 5h-3a2.5 2.5 0 0 0 0 5h4.2" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  );
}

function ServerIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="2" y="2.5" width="12" height="4.5" rx="1.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="2" y="9" width="12" height="4.5" rx="1.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M4.6 4.75h.1M4.6 11.25h.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function GearIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path
        d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
      />
    </svg>
  );
}

function LockIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}
