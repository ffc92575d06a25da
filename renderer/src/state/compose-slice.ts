/**
 * The Compose screen's state: the target, client, key and profile chosen, one draft per mode, the last
 * signed token per mode, and the PKCE verifier of the draft's challenge. Nothing here is secret (the
 * private key stays in the core; the signed tokens are what gets sent anyway). The PKCE verifier is kept
 * for the flow that follows, in memory only: it is gone when the window closes.
 *
 * The drafts and the aim (mode, target, client, key id, profiles, endpoints) survive a restart
 * (drafts-storage.ts); the signed tokens and the PKCE verifier do not.
 */
import type { JsonObject, ProfileId } from '../../../shared/jwt';
import { PROFILES } from '../../../shared/jwt/profiles';
import { clearDraft, isRecord, readDraft, writeDraft } from './drafts-storage';
import type { SliceCreator } from './types';

/** What is being composed: a request object (JAR, RFC 9101) or a client assertion (private_key_jwt, RFC 7523). */
export type ComposeMode = 'jar' | 'assertion';

/** A token not yet signed. */
export interface Draft {
  header: JsonObject;
  payload: JsonObject;
}

/** Where a request object or an assertion is sent (changes which rules apply and which URL is shown). */
export type JarEndpoint = 'authorize' | 'par';
/** Where a client assertion is sent. */
export type AssertionEndpoint = 'token' | 'par';

/** A token signed from a draft. */
export interface SignedToken {
  jws: string;
  /** The draft it was signed from (JSON), to tell when the draft has changed since. */
  from: string;
}

/** Compose state and actions. */
export interface ComposeSlice {
  compose: {
    mode: ComposeMode;
    /** The embedded server (its issuer from `server.status`) or a typed issuer URL. */
    target: 'server' | 'issuer';
    typedIssuer: string;
    /** A client of the embedded server, or a typed client_id. */
    clientSource: 'server' | 'typed';
    serverClientId: string;
    typedClientId: string;
    /** The vault key to sign with; null means "the first key that suits the mode". */
    keyId: string | null;
    showAllKeys: boolean;
    profiles: Record<ComposeMode, ProfileId>;
    jarEndpoint: JarEndpoint;
    assertionEndpoint: AssertionEndpoint;
    /** null until a template fills it. */
    drafts: Record<ComposeMode, Draft | null>;
    signed: Record<ComposeMode, SignedToken | null>;
    /** The verifier of the draft's PKCE challenge (not persisted). */
    pkceVerifier: string | null;
  };
  patchCompose(patch: Partial<Omit<ComposeSlice['compose'], 'drafts' | 'signed' | 'profiles'>>): void;
  setComposeProfile(mode: ComposeMode, profile: ProfileId): void;
  setDraft(mode: ComposeMode, draft: Draft): void;
  setSigned(mode: ComposeMode, signed: SignedToken | null): void;
  /** Settings › Saved drafts › Clear: back to the empty state, and nothing stored. */
  clearCompose(): void;
}

const emptyCompose: ComposeSlice['compose'] = {
  mode: 'jar',
  target: 'server',
  typedIssuer: '',
  clientSource: 'server',
  serverClientId: '',
  typedClientId: '',
  keyId: null,
  showAllKeys: false,
  profiles: { jar: 'auth0', assertion: 'auth0' },
  jarEndpoint: 'authorize',
  assertionEndpoint: 'token',
  drafts: { jar: null, assertion: null },
  signed: { jar: null, assertion: null },
  pkceVerifier: null,
};

type ComposeState = ComposeSlice['compose'];

/** The part of the Compose state kept across restarts: everything but the signed tokens and the PKCE verifier. */
type StoredCompose = Omit<ComposeState, 'signed' | 'pkceVerifier'>;

/** What is written for the Compose screen. */
export function storedCompose(compose: ComposeState): StoredCompose {
  const { signed: _signed, pkceVerifier: _verifier, ...kept } = compose;
  return kept;
}

const isProfile = (value: unknown): value is ProfileId => typeof value === 'string' && Object.hasOwn(PROFILES, value);
const isDraft = (value: unknown): value is Draft | null => value === null || (isRecord(value) && isRecord(value['header']) && isRecord(value['payload']));
const oneOf = <T extends string>(value: unknown, choices: readonly T[]): value is T =>
  typeof value === 'string' && (choices as readonly string[]).includes(value);

/** The Compose state a stored value gives, or null when its shape is not this version's (then it is set aside). */
export function parseStoredCompose(v: Record<string, unknown>): ComposeState | null {
  const profiles = v['profiles'];
  const drafts = v['drafts'];
  if (!isRecord(profiles) || !isProfile(profiles['jar']) || !isProfile(profiles['assertion'])) return null;
  if (!isRecord(drafts) || !isDraft(drafts['jar']) || !isDraft(drafts['assertion'])) return null;
  const { mode, target, typedIssuer, clientSource, serverClientId, typedClientId, keyId, showAllKeys, jarEndpoint, assertionEndpoint } = v;
  if (!oneOf(mode, ['jar', 'assertion'] as const) || !oneOf(target, ['server', 'issuer'] as const) || !oneOf(clientSource, ['server', 'typed'] as const))
    return null;
  if (!oneOf(jarEndpoint, ['authorize', 'par'] as const) || !oneOf(assertionEndpoint, ['token', 'par'] as const)) return null;
  if (typeof typedIssuer !== 'string' || typeof serverClientId !== 'string' || typeof typedClientId !== 'string') return null;
  if (!(keyId === null || typeof keyId === 'string') || typeof showAllKeys !== 'boolean') return null;
  return {
    ...emptyCompose,
    mode,
    target,
    typedIssuer,
    clientSource,
    serverClientId,
    typedClientId,
    keyId,
    showAllKeys,
    profiles: { jar: profiles['jar'], assertion: profiles['assertion'] },
    jarEndpoint,
    assertionEndpoint,
    drafts: { jar: drafts['jar'], assertion: drafts['assertion'] },
  };
}

/** Creates the compose slice. */
export const createComposeSlice: SliceCreator<ComposeSlice> = (set, get, api) => {
  api.subscribe((state, prev) => {
    if (state.compose !== prev.compose) writeDraft('compose', () => storedCompose(get().compose));
  });
  return {
    compose: readDraft('compose', parseStoredCompose) ?? emptyCompose,
    patchCompose(patch) {
      set((s) => ({ compose: { ...s.compose, ...patch } }));
    },
    setComposeProfile(mode, profile) {
      set((s) => ({ compose: { ...s.compose, profiles: { ...s.compose.profiles, [mode]: profile } } }));
    },
    setDraft(mode, draft) {
      set((s) => ({ compose: { ...s.compose, drafts: { ...s.compose.drafts, [mode]: draft } } }));
    },
    setSigned(mode, signed) {
      set((s) => ({ compose: { ...s.compose, signed: { ...s.compose.signed, [mode]: signed } } }));
    },
    clearCompose() {
      set({ compose: emptyCompose });
      // After the set: its subscriber scheduled a write of the empty state, which this cancels.
      clearDraft('compose');
    },
  };
};
