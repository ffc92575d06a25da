import { cx } from './class-names';

/** A small decorative spinner; pair it with text or a label that says what is happening. */
export function Spinner({ className }: { className?: string }) {
  return <span className={cx('spinner', className)} aria-hidden="true" />;
}
