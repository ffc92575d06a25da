import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './button';
import { copyText } from './clipboard';
import { useAppStore } from '../state/store';

/** Props of a CopyButton. */
export interface CopyButtonProps {
  text: string;
  /** The accessible name, naming what is copied ("Copy thumbprint"). The visible text stays short. */
  label: string;
  size?: 'md' | 'sm';
  className?: string;
}

/** Copies `text` and says so for a moment, visibly and to screen readers. */
export function CopyButton({ text, label, size = 'sm', className }: CopyButtonProps) {
  const { t } = useTranslation();
  const pushToast = useAppStore((s) => s.pushToast);
  const [copied, setCopied] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const onClick = async () => {
    try {
      await copyText(text);
      setCopied(true);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setCopied(false), 1600);
    } catch {
      pushToast({ kind: 'error', message: t('common.copyFailed') });
    }
  };

  return (
    <>
      <Button variant="ghost" size={size} className={className} aria-label={label} onClick={() => void onClick()}>
        <CopyIcon done={copied} />
        <span>{copied ? t('common.copied') : t('common.copy')}</span>
      </Button>
      <span role="status" className="sr-only">
        {copied ? t('common.copied') : ''}
      </span>
    </>
  );
}

function CopyIcon({ done }: { done: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {done ? (
        <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <>
          <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M10.5 3.5v-.5A1.5 1.5 0 0 0 9 1.5H3A1.5 1.5 0 0 0 1.5 3v6A1.5 1.5 0 0 0 3 10.5h.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        </>
      )}
    </svg>
  );
}
