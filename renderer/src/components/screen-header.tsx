/** The header every screen opens with: its title (focused on navigation, hence tabIndex -1), a one-line intro, and the screen's actions. */
import type { ReactNode } from 'react';

/** Props of a ScreenHeader. */
export interface ScreenHeaderProps {
  title: ReactNode;
  /** The intro below the title. */
  subtitle: ReactNode;
  /** The screen's actions, at the header's end. */
  children?: ReactNode;
}

/** The screen's header. */
export function ScreenHeader({ title, subtitle, children }: ScreenHeaderProps) {
  return (
    <header className="screen-header">
      <div>
        <h1 className="screen-title" tabIndex={-1}>
          {title}
        </h1>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </header>
  );
}
