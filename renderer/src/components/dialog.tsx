/**
 * A modal dialog: role="dialog", aria-modal, labelled by its title, focus moved in on open and back to
 * the opener on close, Tab kept inside, Esc closes. The rest of the app is made `inert` while it is open,
 * so neither the mouse, the keyboard nor assistive technology can reach what is behind it.
 */
import type { KeyboardEvent, ReactNode } from 'react';
import { useEffect, useEffectEvent, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Button } from './button';
import { cx } from './class-names';

/** Props of a Dialog. Render it only while it is open. */
export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom. */
  footer?: ReactNode;
  size?: 'md' | 'lg';
  /** Prevents Esc and the backdrop from closing (while an operation runs that must not be abandoned). */
  dismissible?: boolean;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('inert') && el.getClientRects().length > 0);
}

/** A modal dialog rendered over the app. */
export function Dialog({ title, description, onClose, children, footer, size = 'md', dismissible = true }: DialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const descriptionId = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const app = document.getElementById('root');
    app?.setAttribute('inert', '');
    const root = panel.current;
    if (root) {
      const preferred = root.querySelector<HTMLElement>('[data-autofocus]');
      const firstField = root.querySelector<HTMLElement>(
        '.dialog-body input:not([disabled]), .dialog-body textarea:not([disabled]), .dialog-body select:not([disabled])',
      );
      (preferred ?? firstField ?? focusables(root)[0] ?? root).focus();
    }
    return () => {
      app?.removeAttribute('inert');
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // Esc is handled on the document: focus can fall to <body> (a clicked button that became disabled),
  // and Esc must still close the dialog then.
  const onEscape = useEffectEvent((event: globalThis.KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    if (dismissible) onClose();
  });
  useEffect(() => {
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    keepTabInside(event, panel.current);
    submitOnEnter(event);
  };

  return createPortal(
    <div className="dialog-overlay" onKeyDown={onKeyDown}>
      <div className="dialog-backdrop" aria-hidden="true" onClick={dismissible ? onClose : undefined} />
      <div
        ref={panel}
        className={cx('dialog', size === 'lg' && 'dialog-lg')}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
      >
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <Button variant="ghost" size="sm" className="dialog-close" aria-label={t('common.close')} onClick={onClose} disabled={!dismissible}>
            <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </Button>
        </header>
        {description && (
          <p id={descriptionId} className="dialog-description">
            {description}
          </p>
        )}
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>,
    document.body,
  );
}

/**
 * Enter submits the dialog's form from any field, as it already does from a text field (the browser's implicit
 * submission): a select, a checkbox or a radio button submits too, through the form's submit button so a
 * disabled or busy one still blocks it. Textareas and the code editor keep Enter for a new line; buttons and
 * links keep it for themselves; an IME composition (Japanese input) keeps it to confirm the text.
 */
export function submitOnEnter(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Enter' || event.defaultPrevented || event.nativeEvent.isComposing) return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const field = event.target;
  const choice = field instanceof HTMLSelectElement || (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio'));
  if (!choice || !field.form) return;
  const form = field.form;
  // form.elements includes the footer's submit button, tied to the form by its `form` attribute.
  const submitter = [...form.elements].find((el): el is HTMLButtonElement => el instanceof HTMLButtonElement && el.type === 'submit');
  if (!submitter) return;
  event.preventDefault();
  if (submitter.disabled || submitter.getAttribute('aria-disabled') === 'true') return;
  form.requestSubmit(submitter);
}

/** Keeps Tab and Shift+Tab cycling through the focusable elements of a modal `container`. */
export function keepTabInside(event: KeyboardEvent<HTMLElement>, container: HTMLElement | null): void {
  if (event.key !== 'Tab' || !container) return;
  const items = focusables(container);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  const inside = active instanceof Node && container.contains(active) && active !== container;
  if (event.shiftKey && (!inside || active === first)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (!inside || active === last)) {
    event.preventDefault();
    first.focus();
  }
}
