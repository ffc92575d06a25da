import type { ReactNode } from 'react';
import { cx } from './class-names';
import { Button } from './button';

/** Props of a Banner. */
export interface BannerProps {
  tone: 'info' | 'warning' | 'error';
  title?: ReactNode;
  children?: ReactNode;
  /** When set, a dismiss button with this accessible name is shown. */
  dismissLabel?: string;
  onDismiss?: () => void;
  /** `alert` for errors the user just caused; otherwise the banner is a plain region. */
  role?: 'alert' | 'status';
}

/** A full-width message inside the page flow (warnings, errors next to a form). */
export function Banner({ tone, title, children, dismissLabel, onDismiss, role }: BannerProps) {
  return (
    <div className={cx('banner', `banner-${tone}`)} role={role}>
      <BannerIcon tone={tone} />
      <div className="banner-body">
        {title && <p className="banner-title">{title}</p>}
        {children}
      </div>
      {onDismiss && dismissLabel && (
        <Button variant="ghost" size="sm" className="banner-dismiss" aria-label={dismissLabel} onClick={onDismiss}>
          <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        </Button>
      )}
    </div>
  );
}

function BannerIcon({ tone }: { tone: BannerProps['tone'] }) {
  return (
    <svg className="icon banner-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {tone === 'info' ? (
        <>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path d="M8 7.2v4M8 4.8v.1" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </>
      ) : (
        <>
          <path d="M8 1.8l6.6 11.6H1.4z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
          <path d="M8 6.3v3.4M8 11.6v.1" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </>
      )}
    </svg>
  );
}
