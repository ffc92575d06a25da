/**
 * The command palette (Mod+K): a modal dialog holding a combobox and its listbox (the ARIA 1.2 combobox
 * pattern with `aria-activedescendant`): typing filters, ↑/↓ move, Enter runs, Esc closes (the dialog's).
 * Focus stays in the text field; the active option is announced through aria-activedescendant.
 */
import type { KeyboardEvent } from 'react';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/dialog';
import { cx } from '../../components/class-names';
import type { PaletteCommand } from './commands';
import { filterCommands } from './commands';

/** The palette over `commands`; a chosen command runs once the palette has closed. */
export function CommandPalette({ commands, onClose }: { commands: readonly PaletteCommand[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const optionId = (i: number) => `${listId}-option-${i}`;
  const shown = useMemo(() => filterCommands(commands, query), [commands, query]);
  const current = Math.min(active, shown.length - 1);

  const choose = (command: PaletteCommand | undefined) => {
    if (!command) return;
    onClose();
    // After the dialog has closed: the app is no longer inert (a main action's button can be pressed) and
    // focus is back where it was, so a navigation's focus move to the new screen's title is the last one.
    window.setTimeout(() => command.run(), 0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    const move = (to: number) => {
      event.preventDefault();
      if (shown.length === 0) return;
      const next = (to + shown.length) % shown.length;
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
    };
    if (event.key === 'ArrowDown') move(current + 1);
    else if (event.key === 'ArrowUp') move(current - 1);
    else if (event.key === 'Home' && event.ctrlKey) move(0);
    else if (event.key === 'End' && event.ctrlKey) move(shown.length - 1);
    else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      choose(shown[current]);
    }
  };

  return (
    <Dialog title={t('palette.title')} onClose={onClose}>
      <div className="palette">
        <input
          className="input palette-input"
          type="text"
          role="combobox"
          aria-label={t('palette.search')}
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current >= 0 ? optionId(current) : undefined}
          placeholder={t('palette.placeholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
          spellCheck={false}
        />
        <ul id={listId} className="palette-list" role="listbox" aria-label={t('palette.commands')}>
          {shown.map((command, i) => (
            // Options are chosen with the mouse here; the keyboard stays in the combobox (aria-activedescendant).
            <li
              key={command.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className={cx('palette-option', i === current && 'is-active')}
              onMouseMove={() => setActive(i)}
              onClick={() => choose(command)}
            >
              <span className="palette-label">{command.label}</span>
              {command.shortcut && <kbd className="palette-kbd">{command.shortcut}</kbd>}
            </li>
          ))}
        </ul>
        {shown.length === 0 && (
          <p className="muted palette-empty" role="status">
            {t('palette.none')}
          </p>
        )}
      </div>
    </Dialog>
  );
}
