import type { ReactNode } from 'react';
import { useId } from 'react';
import { CopyButton } from './copy-button';

/** Props of a CodeBlock. */
export interface CodeBlockProps {
  title: string;
  code: string;
  /** Accessible name of the copy button ("Copy public JWK"). */
  copyLabel: string;
  /** Extra buttons beside Copy (Download, for instance). */
  actions?: ReactNode;
  /** Caps the height; longer content scrolls. */
  maxHeight?: number;
}

/** Monospace, selectable, scrollable text with a title and a copy button. */
export function CodeBlock({ title, code, copyLabel, actions, maxHeight }: CodeBlockProps) {
  const titleId = useId();
  return (
    <section className="code-block">
      <header className="code-block-header">
        <h4 id={titleId} className="code-block-title">
          {title}
        </h4>
        <div className="code-block-actions">
          {actions}
          <CopyButton text={code} label={copyLabel} />
        </div>
      </header>
      {/* Focusable so keyboard users can scroll long PEM blocks. */}
      <pre className="code" tabIndex={0} aria-labelledby={titleId} style={maxHeight ? { maxHeight } : undefined}>
        <code>{code}</code>
      </pre>
    </section>
  );
}
