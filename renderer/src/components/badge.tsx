import type { ReactNode } from 'react';
import { cx } from './class-names';

/** Tone of a badge. */
export type BadgeTone = 'neutral' | 'accent' | 'warning' | 'danger' | 'success';

/** A small label: key type, usage, warning. */
export function Badge({ tone = 'neutral', children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={cx('badge', `badge-${tone}`)} title={title}>
      {children}
    </span>
  );
}
