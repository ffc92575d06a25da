/**
 * What survives a restart of the window: the Compose screen's drafts and aim, and the Inspect screen's input
 * (README "Drafts that survive a restart"). Kept in this origin's localStorage: the Electron app's origin
 * (`app://parley`) is the same at every launch, and web mode keeps it across reloads of the tab (a new web-mode
 * launch serves a new port, so a new origin that starts empty).
 *
 * Only what is not secret: claims and header members, the chosen issuer, client, key id and profiles, the
 * pasted tokens. Never a private key, a pasted verification key, the PKCE verifier or a signed token. A JWT
 * pasted in Inspect may be an access token: Settings › Saved drafts says so and clears it.
 *
 * Bad stored data (not JSON, an older shape) is set aside, never trusted: the area starts empty and the
 * shell shows a notice once (features/drafts/drafts-notice.tsx).
 */

/** The screens whose input is kept. */
export type DraftArea = 'compose' | 'inspect';

/** The localStorage item of each area; the version is in the value, so an old shape is recognised. */
export const DRAFT_STORAGE_KEYS: Readonly<Record<DraftArea, string>> = {
  compose: 'parley.drafts.compose',
  inspect: 'parley.drafts.inspect',
};

/** The version written in every stored value; anything else is an older (or newer) shape and is set aside. */
export const DRAFT_STORAGE_VERSION = 1;

/** Text longer than this is not kept (the Inspect input accepts up to 1 MB; localStorage holds about 5 MB). */
export const MAX_STORED_CHARS = 256 * 1024;

/** How long after the last change the value is written (typing is not slowed by a write per key). */
const WRITE_DELAY_MS = 250;

const problems = new Set<DraftArea>();
const pending = new Map<DraftArea, () => void>();
const timers = new Map<DraftArea, ReturnType<typeof setTimeout>>();

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A sandboxed or privacy-restricted page may refuse storage altogether: nothing is kept then.
    return null;
  }
}

/**
 * Reads an area's stored value with `parse` (which returns null for a shape it does not accept). Nothing
 * stored gives null quietly; something unreadable gives null, is removed, and is noted for the notice.
 */
export function readDraft<T>(area: DraftArea, parse: (value: Record<string, unknown>) => T | null): T | null {
  let text: string | null;
  try {
    text = storage()?.getItem(DRAFT_STORAGE_KEYS[area]) ?? null;
  } catch {
    return null;
  }
  if (text === null) return null;
  let parsed: T | null = null;
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value) && value['v'] === DRAFT_STORAGE_VERSION) parsed = parse(value);
  } catch {
    parsed = null;
  }
  if (parsed === null) {
    problems.add(area);
    removeItem(area);
  }
  return parsed;
}

/** Schedules writing an area's value (`make` is called when the write happens, so only the last one costs). */
export function writeDraft(area: DraftArea, make: () => Record<string, unknown> | null): void {
  const write = () => {
    timers.delete(area);
    pending.delete(area);
    const value = make();
    if (value === null) {
      removeItem(area);
      return;
    }
    try {
      storage()?.setItem(DRAFT_STORAGE_KEYS[area], JSON.stringify({ v: DRAFT_STORAGE_VERSION, ...value }));
    } catch {
      // Storage full or refused: the draft still works, it just does not survive a restart.
    }
  };
  clearTimeout(timers.get(area));
  pending.set(area, write);
  timers.set(area, setTimeout(write, WRITE_DELAY_MS));
}

/** Writes what is waiting now (the page is going away: a reload right after typing keeps the last keystroke). */
export function flushDrafts(): void {
  for (const write of [...pending.values()]) write();
}

/** Forgets an area's stored value (and any write still waiting). */
export function clearDraft(area: DraftArea): void {
  clearTimeout(timers.get(area));
  timers.delete(area);
  pending.delete(area);
  removeItem(area);
}

/** The areas whose stored value was unreadable at start, until the notice is dismissed. */
export function draftProblems(): DraftArea[] {
  return [...problems].sort();
}

/** The notice was read: forget the problems. */
export function dismissDraftProblems(): void {
  problems.clear();
}

/** True when `value` is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function removeItem(area: DraftArea): void {
  try {
    storage()?.removeItem(DRAFT_STORAGE_KEYS[area]);
  } catch {
    // Nothing to do: the value is ignored anyway.
  }
}

if (typeof window !== 'undefined') {
  // `pagehide` fires on reload, on closing the tab and on closing the Electron window.
  window.addEventListener('pagehide', flushDrafts);
}
