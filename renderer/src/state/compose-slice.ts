/**
 * The Compose screen's state: the target, client, key and profile chosen, one draft per mode, the last
 * signed token per mode, and the PKCE verifier of the draft's challenge. Nothing here is secret (the
 * private key stays in the core; the signed tokens are what gets sent anyway). The PKCE verifier is kept
 * for the flow that follows, in memory only: it is gone when the window closes.
 */
import type { ProfileId } from '../../../shared/jwt';
import type { AssertionEndpoint, ComposeMode, Draft, JarEndpoint } from '../features/compose/compose-model';
import type { SliceCreator } from './types';

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

/** Creates the compose slice. */
export const createComposeSlice: SliceCreator<ComposeSlice> = (set) => ({
  compose: emptyCompose,
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
});
