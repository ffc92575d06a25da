/**
 * The main window's size, position and maximised state, remembered across launches in
 * `window-state.json` (userData). The file is validated (zod); one that does not parse is moved aside and
 * the window opens at its default size, with a log line saying why. Bounds saved on a monitor that is gone
 * are brought back into a visible work area. Only `trackWindowState` touches a window; the rest is plain.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { BrowserWindow, Rectangle } from 'electron';

/** The file's name in the data directory. */
export const WINDOW_STATE_FILE = 'window-state.json';
/** The default (and minimum) content of a fresh window. */
export const DEFAULT_SIZE = { width: 1280, height: 840 } as const;
export const MIN_SIZE = { width: 900, height: 600 } as const;

const windowStateSchema = z
  .object({
    version: z.literal(1),
    x: z.number().int().min(-100_000).max(100_000),
    y: z.number().int().min(-100_000).max(100_000),
    width: z.number().int().min(100).max(100_000),
    height: z.number().int().min(100).max(100_000),
    maximized: z.boolean(),
  })
  .strict();

/** What is remembered. */
export type WindowState = z.infer<typeof windowStateSchema>;

/** The bounds to open with: a position only when one was remembered. */
export interface InitialBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** The saved state, or undefined (first launch, or a file that was moved aside). Never throws. */
export function loadWindowState(file: string, log: (line: string) => void): WindowState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      log(`[parley] window state not read (${file}): ${e instanceof Error ? e.message : String(e)}; using the default size`);
    return undefined;
  }
  let reason: string;
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
  } catch (e) {
    reason = `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  const movedTo = `${file}.corrupt-${Date.now()}`;
  try {
    renameSync(file, movedTo);
    log(`[parley] window state ${file} is invalid (${reason}); moved to ${movedTo}, using the default size`);
  } catch {
    log(`[parley] window state ${file} is invalid (${reason}); using the default size`);
  }
  return undefined;
}

/** Writes the state atomically (a temporary file, then a rename). Never throws: the log says what failed. */
export function saveWindowState(file: string, state: WindowState, log: (line: string) => void): void {
  const temp = join(dirname(file), `.${WINDOW_STATE_FILE}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(windowStateSchema.parse(state))}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch (e) {
    log(`[parley] window state not saved (${file}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where the window opens: the saved bounds on the display they overlap most, shrunk to fit its work area
 * and moved fully inside it; no position (the system centres it) when there is nothing saved or the saved
 * bounds are on no display left (a monitor unplugged, a resolution changed). `workAreas[0]` is the primary.
 */
export function initialBounds(saved: WindowState | undefined, workAreas: readonly Rectangle[]): InitialBounds {
  if (saved === undefined) return { ...DEFAULT_SIZE, maximized: false };
  const area = workAreas.map((a) => ({ a, o: overlap(saved, a) })).sort((p, q) => q.o - p.o)[0];
  if (area === undefined || area.o === 0) {
    // Keep the size when it fits the primary display, and let the system place the window.
    const primary = workAreas[0];
    return {
      width: Math.min(saved.width, primary?.width ?? saved.width),
      height: Math.min(saved.height, primary?.height ?? saved.height),
      maximized: saved.maximized,
    };
  }
  const wa = area.a;
  const width = Math.min(saved.width, wa.width);
  const height = Math.min(saved.height, wa.height);
  const x = Math.min(Math.max(saved.x, wa.x), wa.x + wa.width - width);
  const y = Math.min(Math.max(saved.y, wa.y), wa.y + wa.height - height);
  return { x, y, width, height, maximized: saved.maximized };
}

/** The window's state to remember: its normal (restored) bounds, so a maximised window comes back maximised over them. */
export function stateOf(window: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const b = window.getNormalBounds();
  return { version: 1, x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: window.isMaximized() };
}

/** Saves the window's state when it closes (quitting closes every window first, on every platform). */
export function trackWindowState(window: BrowserWindow, file: string, log: (line: string) => void): void {
  window.on('close', () => {
    if (!window.isDestroyed()) saveWindowState(file, stateOf(window), log);
  });
}
