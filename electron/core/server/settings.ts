/**
 * The embedded server's settings (persisted in `server.json`): the profile and the switches the spec
 * describes. Profiles select rule sets and defaults; they never fork code.
 */
import { z } from 'zod';
import type { ServerSettings } from '../../../shared/schemas/server';
import { serverSettingsSchema } from '../../../shared/schemas/server';
import type { Document, DocumentStoreFactory } from '../store/document-store';
import { openDocument } from '../store/document-store';
import type { StoreNotice } from '../../../shared/schemas/app';

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
    https: false,
  };
}

// `https` came later: a file saved before it has none, and means plain http (not a corrupt file).
const storedSettingsSchema = z.preprocess(
  (value) => (typeof value === 'object' && value !== null && !('https' in value) ? { ...value, https: false } : value),
  serverSettingsSchema,
);
const documentSchema = z.object({ version: z.literal(1), settings: storedSettingsSchema });
type SettingsDocument = z.infer<typeof documentSchema>;

/**
 * Reads and updates `server.json`. Settings for one launch only (`npm run server -- --https --skip-consent
 * --clock-offset -5m`) lie over the saved ones without being saved, so a CI run's switches never outlive it;
 * they keep winning over later updates of the saved settings (a tenant file's `settings:`): the command line
 * is the last word for its own run. (Only the headless CLI sets them; the app never does.)
 */
export class ServerSettingsStore {
  readonly #doc: Document<SettingsDocument>;
  #launch: Partial<ServerSettings> = {};
  #current: ServerSettings;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(store, 'server', documentSchema, () => ({ version: 1 as const, settings: defaultServerSettings() }), notices);
    this.#current = this.#doc.value.settings;
  }

  /** The current settings (read on every request: one object, rebuilt only when something changes). */
  get(): ServerSettings {
    return this.#current;
  }

  /** The saved settings, without this launch's. */
  saved(): ServerSettings {
    return this.#doc.value.settings;
  }

  /** Sets this launch's settings (validated against the saved ones; not saved). */
  setLaunchSettings(launch: Partial<ServerSettings>): ServerSettings {
    this.#current = serverSettingsSchema.parse({ ...this.#doc.value.settings, ...launch });
    this.#launch = { ...launch };
    return this.#current;
  }

  /** Applies a validated partial update atomically. */
  update(patch: Partial<ServerSettings>): ServerSettings {
    const next = serverSettingsSchema.parse({ ...this.#doc.value.settings, ...patch });
    this.#doc.save({ version: 1, settings: next });
    this.#current = { ...next, ...this.#launch };
    return this.#current;
  }
}
