/**
 * Tabs following the WAI-ARIA pattern: a tablist of buttons, arrow keys / Home / End move between them,
 * only the selected tab is in the Tab order (roving tabindex), and each panel is labelled by its tab.
 * Every tab's accessible description says how to move between them: Tab alone leaves the tablist, which
 * surprises keyboard users who have not met the pattern before.
 */
import type { KeyboardEvent, ReactNode } from 'react';
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** One tab. */
export interface TabItem<K extends string> {
  id: K;
  label: ReactNode;
  panel: ReactNode;
}

/** Props of Tabs. The selection is controlled by the parent. */
export interface TabsProps<K extends string> {
  label: string;
  tabs: readonly TabItem<K>[];
  selected: K;
  onSelect: (id: K) => void;
}

/** Accessible tabs. */
export function Tabs<K extends string>({ label, tabs, selected, onSelect }: TabsProps<K>) {
  const { t } = useTranslation();
  const base = useId();
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    const target = tabs[next];
    if (!target) return;
    event.preventDefault();
    onSelect(target.id);
    list.current?.querySelector<HTMLButtonElement>(`#${CSS.escape(`${base}-tab-${target.id}`)}`)?.focus();
  };

  return (
    <div className="tabs">
      <div ref={list} className="tablist" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            id={`${base}-tab-${tab.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab.id === selected}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            aria-describedby={`${base}-hint`}
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {/* Read as the tabs' description, never shown (hidden elements still count for aria-describedby). */}
      <span id={`${base}-hint`} hidden>
        {t('common.tabsHint')}
      </span>
      {tabs.map((tab) =>
        tab.id === selected ? (
          <div key={tab.id} id={`${base}-panel-${tab.id}`} role="tabpanel" className="tabpanel" aria-labelledby={`${base}-tab-${tab.id}`}>
            {tab.panel}
          </div>
        ) : null,
      )}
    </div>
  );
}
