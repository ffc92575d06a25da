/**
 * User settings: one small schema-validated document. Nothing secret lives here.
 */
import { z } from 'zod';
import type { Document, DocumentStoreFactory } from './store/document-store';
import { openDocument } from './store/document-store';
import type { Settings } from '../../shared/schemas/settings';
import type { StoreNotice } from '../../shared/schemas/app';
import { DEFAULT_IDLE_LOCK, idleLockSchema, languagePreferenceSchema, themePreferenceSchema } from '../../shared/schemas/settings';

const settingsDocumentSchema = z.object({
  version: z.literal(1),
  language: languagePreferenceSchema,
  // Added after version 1 shipped: a file without it follows the system.
  theme: themePreferenceSchema.default('system'),
  // Added after version 1 shipped: a file without it gets the default idle lock.
  idleLockMinutes: idleLockSchema.default(DEFAULT_IDLE_LOCK),
});

type SettingsDocument = z.output<typeof settingsDocumentSchema>;

/** Reads and updates the settings document. */
export class SettingsStore {
  readonly #doc: Document<SettingsDocument>;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(
      store,
      'settings',
      settingsDocumentSchema,
      () => ({ version: 1 as const, language: 'system' as const, theme: 'system' as const, idleLockMinutes: DEFAULT_IDLE_LOCK }),
      notices,
    );
  }

  /** The current settings. */
  get(): Settings {
    return { language: this.#doc.value.language, theme: this.#doc.value.theme, idleLockMinutes: this.#doc.value.idleLockMinutes };
  }

  /** Applies a partial update and saves atomically. */
  update(patch: Partial<Settings>): Settings {
    this.#doc.save({ ...this.#doc.value, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
    return this.get();
  }
}
