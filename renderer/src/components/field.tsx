/**
 * Labelled form controls. Every control has a visible <label>; hints and errors are tied to it with
 * aria-describedby, and an error also sets aria-invalid.
 */
import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useId } from 'react';
import { cx } from './class-names';

interface FieldChrome {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
}

function describedBy(hintId: string, errorId: string, hint: ReactNode, error: ReactNode): string | undefined {
  const ids = [hint ? hintId : null, error ? errorId : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldFoot({ hintId, errorId, hint, error }: { hintId: string; errorId: string; hint: ReactNode; error: ReactNode }) {
  return (
    <>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

/** A labelled single-line input. */
export function TextField({
  label,
  hint,
  error,
  className,
  id,
  ref,
  ...input
}: FieldChrome & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  return (
    <div className={cx('field', className)}>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <input
        ref={ref}
        id={inputId}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
        {...input}
      />
      <FieldFoot hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({ label, hint, error, className, id, ...area }: FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const areaId = id ?? auto;
  const hintId = `${areaId}-hint`;
  const errorId = `${areaId}-error`;
  return (
    <div className={cx('field', className)}>
      <label htmlFor={areaId} className="field-label">
        {label}
      </label>
      <textarea
        id={areaId}
        className="input textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
        {...area}
      />
      <FieldFoot hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}

/** A labelled select. */
export function SelectField({ label, hint, error, className, id, children, ...select }: FieldChrome & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const selectId = id ?? auto;
  const hintId = `${selectId}-hint`;
  const errorId = `${selectId}-error`;
  return (
    <div className={cx('field', className)}>
      <label htmlFor={selectId} className="field-label">
        {label}
      </label>
      <select
        id={selectId}
        className="input select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
        {...select}
      >
        {children}
      </select>
      <FieldFoot hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}

/** A checkbox with its label on the right and an optional hint below. */
export function CheckboxField({ label, hint, className, id, ...input }: Omit<FieldChrome, 'error'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = `${inputId}-hint`;
  return (
    <div className={cx('check', className)}>
      <input id={inputId} type="checkbox" aria-describedby={hint ? hintId : undefined} {...input} />
      <div>
        <label htmlFor={inputId} className="check-label">
          {label}
        </label>
        {hint && (
          <p id={hintId} className="field-hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
