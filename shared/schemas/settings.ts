/**
 * User settings (`settings.*`, the `settings.changed` event): the UI language, the theme and the idle lock.
 * Nothing secret lives here.
 */
import { z } from 'zod';

/** The theme preference: follow the OS, or force light or dark. */
export const THEMES = ['system', 'light', 'dark'] as const;
/** A theme preference. */
export type ThemePreference = (typeof THEMES)[number];

/** UI languages with complete catalogues; `system` follows the OS or browser. */
export const LANGUAGES = ['en', 'fr-CA', 'ja-JP'] as const;
/** A UI language with a complete catalogue. */
export type Language = (typeof LANGUAGES)[number];
/** A language preference. */
export const languagePreferenceSchema = z.enum(['system', ...LANGUAGES]);
/** A theme preference (`system` follows the OS or browser). */
export const themePreferenceSchema = z.enum(THEMES);
/** How long the vault stays unlocked without an action from the user: whole minutes (at most a day), or never. */
export const idleLockSchema = z.union([z.number().int().min(1, 'at least 1 minute').max(1440, 'at most 1440 minutes (a day)'), z.literal('never')]);
/** The idle lock's default: 15 minutes. */
export const DEFAULT_IDLE_LOCK = 15;

/** User settings (nothing secret). */
export interface Settings {
  language: z.infer<typeof languagePreferenceSchema>;
  theme: z.infer<typeof themePreferenceSchema>;
  /** Minutes without an action from the user before the vault locks itself, or 'never'. */
  idleLockMinutes: z.infer<typeof idleLockSchema>;
}
