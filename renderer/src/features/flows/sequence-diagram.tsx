/**
 * The sequence diagram of a run: lanes Browser, Client (Parley) and Authorization Server, one arrow per
 * HTTP exchange as the run makes it. Each arrow that has happened (or is the paused request) is a button
 * named like "POST /oauth/par → 201" that opens its step; arrows still to come are dimmed. HTML and CSS
 * grid, no canvas: every label is text, every arrow reachable by keyboard.
 */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { cx } from '../../components/class-names';
import type { ArrowState, SequenceArrow, SequenceLane, SequenceNote, SequenceRow } from './sequence-model';
import { SEQUENCE_LANES } from './sequence-model';
import { useArrowName } from './sequence-detail';

/** Props of the diagram. */
export interface SequenceDiagramProps {
  rows: readonly SequenceRow[];
  /** The step the cursor shows: its arrows are highlighted. */
  currentStep: number;
  /** An arrow (or note) was clicked. */
  onSelect: (row: SequenceRow) => void;
  /** Presenter mode: larger, its own colours, and the current step kept in view. */
  presenter?: boolean;
}

const LANE_INDEX: Record<SequenceLane, number> = { browser: 0, client: 1, server: 2 };

/** Whether a row can be opened (it happened, or it is the paused request). */
export function isOpenable(state: ArrowState): boolean {
  return state !== 'pending' && state !== 'cancelled';
}

/** The diagram. */
export function SequenceDiagram({ rows, currentStep, onSelect, presenter = false }: SequenceDiagramProps) {
  const { t } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const nextId = rows.find((r) => r.state === 'next')?.id;
  // Presenter mode: the step shown (or the paused request) scrolls into view as the cursor moves.
  useEffect(() => {
    if (!presenter) return;
    root.current?.querySelector('.is-current, .seq-state-next')?.scrollIntoView({ block: 'nearest' });
  }, [presenter, currentStep, nextId]);
  const laneName = (lane: SequenceLane) =>
    lane === 'browser' ? t('flows.sequence.lanes.browser') : lane === 'client' ? t('flows.sequence.lanes.client') : t('flows.sequence.lanes.server');
  return (
    <div ref={root} className={cx('seq', presenter && 'seq-presenter')}>
      <div className="seq-lanes">
        {SEQUENCE_LANES.map((lane) => (
          <div key={lane} className={`seq-lane-head seq-lane-${lane}`}>
            {laneName(lane)}
          </div>
        ))}
      </div>
      <ol className="seq-rows" aria-label={t('flows.sequence.exchanges')}>
        {rows.map((row) =>
          row.type === 'note' ? (
            <NoteRow key={row.id} note={row} current={row.stepIndex === currentStep} onSelect={onSelect} />
          ) : (
            // A token arrow (or a nonce challenge) can recur in later steps (a refresh): the step keeps keys apart.
            <ArrowRow key={`${row.id}-${row.stepIndex}`} arrow={row} current={row.stepIndex === currentStep} onSelect={onSelect} />
          ),
        )}
      </ol>
    </div>
  );
}

function useStateText(): (state: ArrowState) => string {
  const { t } = useTranslation();
  return (state) => {
    switch (state) {
      case 'done':
        return t('flows.sequence.state.done');
      case 'failed':
        return t('flows.sequence.state.failed');
      case 'active':
        return t('flows.sequence.state.active');
      case 'next':
        return t('flows.sequence.state.next');
      case 'pending':
        return t('flows.sequence.state.pending');
      case 'cancelled':
        return t('flows.sequence.state.cancelled');
    }
  };
}

function ArrowRow({ arrow, current, onSelect }: { arrow: SequenceArrow; current: boolean; onSelect: (row: SequenceRow) => void }) {
  const name = useArrowName()(arrow);
  const stateText = useStateText()(arrow.state);
  const stateId = useId();
  const a = LANE_INDEX[arrow.from];
  const b = LANE_INDEX[arrow.to];
  const span = `seq-span-${Math.min(a, b)}-${Math.max(a, b)}`;
  const direction = a < b ? 'seq-ltr' : 'seq-rtl';
  // With the response drawn back, the forward line carries the request and the return line the status.
  const forward = arrow.returns && arrow.label.kind === 'http' ? `${arrow.label.method} ${arrow.label.path}` : name;
  const back = arrow.returns && arrow.label.kind === 'http' && arrow.label.status !== undefined ? String(arrow.label.status) : null;
  const body = (
    <>
      <span className="seq-label seq-label-forward">
        <BreakAtSlashes text={forward} />
      </span>
      <span className="seq-line seq-line-forward" aria-hidden="true" />
      {back !== null && (
        <>
          <span className="seq-line seq-line-back" aria-hidden="true" />
          <span className="seq-label seq-label-back">{back}</span>
        </>
      )}
      <span id={stateId} className="sr-only">
        {stateText}
      </span>
    </>
  );
  const className = cx('seq-arrow', span, direction, `seq-state-${arrow.state}`, current && 'is-current');
  return (
    <li className="seq-row">
      {isOpenable(arrow.state) ? (
        <button
          type="button"
          className={className}
          aria-label={name}
          aria-describedby={stateId}
          aria-current={current ? 'step' : undefined}
          onClick={() => onSelect(arrow)}
        >
          {body}
        </button>
      ) : (
        <div className={className}>{body}</div>
      )}
    </li>
  );
}

function NoteRow({ note, current, onSelect }: { note: SequenceNote; current: boolean; onSelect: (row: SequenceRow) => void }) {
  const { t } = useTranslation();
  const stateText = useStateText()(note.state);
  const stateId = useId();
  const className = cx('seq-note', `seq-state-${note.state}`, current && 'is-current');
  const label = t('flows.sequence.build');
  return (
    <li className="seq-row">
      <div className="seq-note-cell">
        {isOpenable(note.state) ? (
          <button type="button" className={className} aria-describedby={stateId} aria-current={current ? 'step' : undefined} onClick={() => onSelect(note)}>
            {label}
            <span id={stateId} className="sr-only">
              {stateText}
            </span>
          </button>
        ) : (
          <div className={className}>
            {label}
            <span className="sr-only">{stateText}</span>
          </div>
        )}
      </div>
    </li>
  );
}

/** A label that wraps only before a slash ("GET /.well-known" / "/openid-configuration"), never inside a word. */
function BreakAtSlashes({ text }: { text: string }) {
  const parts = text.split(/(?=\/)/);
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && <wbr />}
          <span className="seq-nowrap">{part}</span>
        </span>
      ))}
    </>
  );
}
