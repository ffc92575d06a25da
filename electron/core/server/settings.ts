/**
 * The embedded server's settings (persisted in `server.json`): the profile and the switches the spec
 * describes. Profiles select rule sets and defaults; they never fork code.
 */
import { z } from 'zod';
import type { StoreNotice } from '../../../shared/ipc/contract';
import type { ServerSettings } from '../../../shared/schemas/server';
import { serverSettingsSchema } from '../../../shared/schemas/server';
import type { Document, DocumentStoreFactory } from '../store/document-store';
import { openDocument } from '../store/document-store';

/** The embedded server's default port when the app starts it (shown in the UI; configurable). */
export const DEFAULT_SERVER_PORT = 4747;

export { serverSettingsSchema } from '../../../shared/schemas/server';
export type { ServerSettings } from '../../../shared/schemas/server';

/** Defaults: Auth0's behaviour. */
export function defaultServerSettings(): ServerSettings {
  return {
    profile: 'auth0',
    loopbackAnyPort: false,
    consent: true,
    parEnabled: true,
    parRequired: false,
    issParameter: false,
    jarReplayCheck: false,
    clockOffsetSeconds: 0,
    port: DEFAULT_SERVER_PORT,
  };
}

const documentSchema = z.object({ version: z.literal(1), settings: serverSettingsSchema });
type SettingsDocument = z.infer<typeof documentSchema>;

/** Reads and updates `server.json`. */
export class ServerSettingsStore {
  readonly #doc: Document<SettingsDocument>;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(store, 'server', documentSchema, () => ({ version: 1 as const, settings: defaultServerSettings() }), notices);
  }

  /** The current settings. */
  get(): ServerSettings {
    return this.#doc.value.settings;
  }

  /** Applies a validated partial update atomically. */
  update(patch: Partial<ServerSettings>): ServerSettings {
    const next = serverSettingsSchema.parse({ ...this.#doc.value.settings, ...patch });
    this.#doc.save({ version: 1, settings: next });
    return next;
  }
}
