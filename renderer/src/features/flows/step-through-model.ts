/**
 * Step-through (trainer's kit), the renderer's side: a cursor over the steps already run (Previous step
 * goes back to show them again; Next step walks forward through them, then sends the paused request),
 * and the edits made to the paused request, sent to `flows.next` only when something changed. Pure.
 */
import type { FlowPause, FlowPauseEdits, FlowRun } from '../../../../shared/schemas/flows';
import { isCompactJwt } from './sequence-model';

/** A step index into `run.steps`, or null: follow the run (the paused step, or the latest one). */
export type StepCursor = number | null;

/** The step the run has reached: the paused one, else the last one that started (0 before any). */
export function frontierIndex(run: FlowRun): number {
  if (run.status === 'paused' && run.paused) {
    const paused = run.steps.findIndex((s) => s.name === run.paused?.step);
    if (paused >= 0) return paused;
  }
  let last = 0;
  run.steps.forEach((step, i) => {
    if (step.status !== 'pending') last = i;
  });
  return last;
}

/** The step the cursor shows. */
export function cursorIndex(run: FlowRun, cursor: StepCursor): number {
  const frontier = frontierIndex(run);
  return cursor === null ? frontier : Math.max(0, Math.min(cursor, frontier));
}

/** Whether the cursor shows the frontier (where Next step sends the paused request). */
export function atFrontier(run: FlowRun, cursor: StepCursor): boolean {
  return cursorIndex(run, cursor) === frontierIndex(run);
}

/** Whether Previous step can go back. */
export function canStepBack(run: FlowRun, cursor: StepCursor): boolean {
  return cursorIndex(run, cursor) > 0;
}

/** Whether Next step does something: walk forward, or send the paused request. */
export function canStepForward(run: FlowRun, cursor: StepCursor): boolean {
  return !atFrontier(run, cursor) || run.status === 'paused';
}

/** Previous step: one step back (never before the first). */
export function stepBack(run: FlowRun, cursor: StepCursor): StepCursor {
  return Math.max(0, cursorIndex(run, cursor) - 1);
}

/**
 * Next step: one step forward through the steps already run; at the frontier, the cursor follows the
 * run again and `send` says the paused request is to be sent.
 */
export function stepForward(run: FlowRun, cursor: StepCursor): { cursor: StepCursor; send: boolean } {
  const frontier = frontierIndex(run);
  const at = cursorIndex(run, cursor);
  if (at >= frontier) return { cursor: null, send: run.status === 'paused' };
  return { cursor: at + 1 >= frontier ? null : at + 1, send: false };
}

/**
 * Where the cursor goes once the paused request is sent: the step after the one shown, even when the run
 * pauses further on (build and callback send nothing, so the run never pauses at them). Each Next step
 * then moves the counter by one — 1, 2, 3… — and every step is shown on the way. The cursor is clamped
 * to the frontier until the run gets there.
 */
export function cursorAfterSend(run: FlowRun, cursor: StepCursor): StepCursor {
  return cursorIndex(run, cursor) + 1;
}

/** A key that changes whenever the run pauses somewhere new (drafts of edits belong to one pause). */
export function pauseKey(run: FlowRun): string | null {
  return run.status === 'paused' && run.paused ? `${run.id}:${run.paused.step}:${run.paused.purpose}` : null;
}

/** The draft edits of a paused request. */
export interface PauseDraft {
  /** Every form field (or authorize query parameter), as the user left it. */
  form: Record<string, string>;
  /** The request object's claims as JSON text; null when the pause has none. */
  claimsText: string | null;
}

/** The draft a pause starts with: its own form and claims. */
export function initialDraft(pause: FlowPause): PauseDraft {
  return { form: { ...(pause.request.form ?? {}) }, claimsText: pause.requestObjectClaims ? JSON.stringify(pause.requestObjectClaims, null, 2) : null };
}

/** Form fields whose values are JWTs: shown decoded, not edited (edit the request object's claims instead). */
export function isJwtField(value: string): boolean {
  return isCompactJwt(value);
}

/** JSON with object keys sorted, to compare values whatever the order their members were typed in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The form to send: undefined when no field changed (the paused request goes as it is); else the whole
 * form — `flows.next` replaces the form with what it is given, so unchanged fields must be in it too.
 */
export function formEdits(original: Record<string, string> | undefined, draft: Record<string, string>): Record<string, string> | undefined {
  const before = original ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(draft)]);
  for (const key of keys) if (before[key] !== draft[key]) return { ...draft };
  return undefined;
}

/** Why edited claims cannot be sent. */
export type ClaimsProblem = 'not-json' | 'not-object';

/** Parses the claims editor's text. */
export function parseClaims(text: string): { claims: Record<string, unknown> } | { problem: ClaimsProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not-json' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'not-object' };
  return { claims: value as Record<string, unknown> };
}

/** The edits `flows.next` gets: only what changed (nothing at all when nothing did), or why the claims are wrong. */
export function pauseEdits(pause: FlowPause, draft: PauseDraft): { edits: FlowPauseEdits | undefined } | { problem: ClaimsProblem } {
  const edits: FlowPauseEdits = {};
  const form = formEdits(pause.request.form, draft.form);
  if (form) edits.form = form;
  if (pause.requestObjectClaims && draft.claimsText !== null) {
    const parsed = parseClaims(draft.claimsText);
    if ('problem' in parsed) return parsed;
    if (canonicalJson(parsed.claims) !== canonicalJson(pause.requestObjectClaims)) edits.requestObjectClaims = parsed.claims;
  }
  return { edits: edits.form || edits.requestObjectClaims ? edits : undefined };
}

/** Whether Next step at this pause opens the sign-in page (web mode opens its tab during the click). */
export function opensBrowser(run: FlowRun): boolean {
  return run.status === 'paused' && run.paused?.purpose === 'authorize';
}
