/**
 * The Inspect screen's state: the pasted token(s) and their decoded views, the verification inputs and
 * verdict, the lint choices. The pasted tokens, the tab, the lint choices and the verification inputs
 * other than a pasted key survive a restart (drafts-storage.ts); a pasted key is public material but is
 * not kept beyond the session (one pasted by mistake may be private), nor is a verdict.
 *
 * Decoding is debounced and runs in a worker; each input carries a sequence number so a slow decode of
 * old text never overwrites the view of newer text.
 */
import type { VerifyKeySource, VerifyResult } from '../../../shared/schemas/jwt';
import type { ProfileId } from '../../../shared/jwt/profiles';
import { PROFILES } from '../../../shared/jwt/profiles';
import { call } from '../api/client';
import type { DecodeOutcome } from './decode/decode-core';
import { decodeInWorker } from './decode/decode-client';
import { clearDraft, isRecord, MAX_STORED_CHARS, readDraft, writeDraft } from './drafts-storage';
import type { SliceCreator } from './types';

/** Where the verification keys come from (the `kind` of a `VerifyKeySource`). */
export type VerifySourceKind = VerifyKeySource['kind'];

/** What the token is linted as. */
export type LintKind = 'requestObject' | 'clientAssertion' | 'idToken' | 'accessToken';

/** The verification inputs, one per source kind (kept while switching between them). */
export interface VerifyInputs {
  source: VerifySourceKind;
  vaultKeyId: string;
  keyText: string;
  clientId: string;
  jwksUrl: string;
  issuer: string;
}

/** The lint choices; `null` issuer / client id mean "the default" (from the token or the embedded server). */
export interface LintInputs {
  kind: LintKind;
  profile: ProfileId;
  issuer: string | null;
  clientId: string | null;
}

/** The tabs under the decoded token. */
export type InspectTab = 'verify' | 'lint' | 'compare';

/** Inputs longer than this show "Decoding…" while the worker runs. */
export const BIG_INPUT = 64 * 1024;

/** Inspect state and actions. */
export interface InspectSlice {
  inspect: {
    token: string;
    decoded: DecodeOutcome;
    decoding: boolean;
    compareToken: string;
    compareDecoded: DecodeOutcome;
    compareDecoding: boolean;
    tab: InspectTab;
    verifyInputs: VerifyInputs;
    verifying: boolean;
    verdict: VerifyResult | null;
    verifyError: unknown;
    lint: LintInputs;
  };
  setInspectToken(text: string): void;
  setCompareToken(text: string): void;
  setInspectTab(tab: InspectTab): void;
  setVerifyInputs(patch: Partial<VerifyInputs>): void;
  /** Calls `jwt.verify` with the current token and source. */
  verifyToken(source: VerifyKeySource): Promise<void>;
  setLintInputs(patch: Partial<LintInputs>): void;
  /** Settings › Saved drafts › Clear: empties the inputs, and nothing stored. */
  clearInspect(): void;
}

type InspectState = InspectSlice['inspect'];

/** What is kept of the Inspect screen across restarts. */
type StoredInspect = Pick<InspectState, 'token' | 'compareToken' | 'tab' | 'lint'> & { verifyInputs: Omit<VerifyInputs, 'keyText'> };

/** What is written for the Inspect screen: no pasted key, and no text too long to keep (then it is not kept at all). */
export function storedInspect(inspect: InspectState): StoredInspect {
  const { keyText: _keyText, ...verifyInputs } = inspect.verifyInputs;
  const fits = (text: string) => (text.length <= MAX_STORED_CHARS ? text : '');
  return { token: fits(inspect.token), compareToken: fits(inspect.compareToken), tab: inspect.tab, lint: inspect.lint, verifyInputs };
}

// Records, so that a new kind, tab or source is a type error here until it is accepted.
const LINT_KINDS: Readonly<Record<LintKind, true>> = { requestObject: true, clientAssertion: true, idToken: true, accessToken: true };
const TABS: Readonly<Record<InspectTab, true>> = { verify: true, lint: true, compare: true };
const SOURCES: Readonly<Record<VerifySourceKind, true>> = { vault: true, text: true, server: true, serverCredentials: true, jwksUrl: true, issuer: true };
const isKeyOf = (record: object, value: unknown): boolean => typeof value === 'string' && Object.hasOwn(record, value);
const stringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';
const allStrings = (value: Record<string, unknown>, names: readonly string[]) => names.every((name) => typeof value[name] === 'string');

/** The Inspect inputs a stored value gives, or null when its shape is not this version's (then it is set aside). */
export function parseStoredInspect(v: Record<string, unknown>): StoredInspect | null {
  const { token, compareToken, tab, lint, verifyInputs } = v;
  if (typeof token !== 'string' || typeof compareToken !== 'string' || !isKeyOf(TABS, tab)) return null;
  if (!isRecord(lint) || !isKeyOf(LINT_KINDS, lint['kind']) || !isKeyOf(PROFILES, lint['profile'])) return null;
  if (!stringOrNull(lint['issuer']) || !stringOrNull(lint['clientId'])) return null;
  if (!isRecord(verifyInputs) || !isKeyOf(SOURCES, verifyInputs['source'])) return null;
  if (!allStrings(verifyInputs, ['vaultKeyId', 'clientId', 'jwksUrl', 'issuer'])) return null;
  return {
    token,
    compareToken,
    tab: tab as InspectTab,
    lint: { kind: lint['kind'] as LintKind, profile: lint['profile'] as ProfileId, issuer: lint['issuer'], clientId: lint['clientId'] },
    verifyInputs: {
      source: verifyInputs['source'] as VerifySourceKind,
      vaultKeyId: verifyInputs['vaultKeyId'] as string,
      clientId: verifyInputs['clientId'] as string,
      jwksUrl: verifyInputs['jwksUrl'] as string,
      issuer: verifyInputs['issuer'] as string,
    },
  };
}

const EMPTY: DecodeOutcome = { kind: 'empty' };

const emptyInspect: InspectState = {
  token: '',
  decoded: EMPTY,
  decoding: false,
  compareToken: '',
  compareDecoded: EMPTY,
  compareDecoding: false,
  tab: 'verify',
  verifyInputs: { source: 'vault', vaultKeyId: '', keyText: '', clientId: '', jwksUrl: '', issuer: '' },
  verifying: false,
  verdict: null,
  verifyError: null,
  lint: { kind: 'requestObject', profile: 'auth0', issuer: null, clientId: null },
};

/** How long to wait after the last keystroke: longer for big inputs, where each decode costs more. */
function debounceFor(text: string): number {
  return text.length > BIG_INPUT ? 300 : 150;
}

const seq = { token: 0, compare: 0, verify: 0 };
const timers: { token?: ReturnType<typeof setTimeout>; compare?: ReturnType<typeof setTimeout> } = {};

/** Creates the inspect slice. */
export const createInspectSlice: SliceCreator<InspectSlice> = (set, get, api) => {
  const schedule = (which: 'token' | 'compare', text: string) => {
    clearTimeout(timers[which]);
    const mine = ++seq[which];
    const decodingKey = which === 'token' ? 'decoding' : 'compareDecoding';
    const decodedKey = which === 'token' ? 'decoded' : 'compareDecoded';
    if (text.trim() === '') {
      set((s) => ({ inspect: { ...s.inspect, [decodingKey]: false, [decodedKey]: EMPTY } }));
      return;
    }
    set((s) => ({ inspect: { ...s.inspect, [decodingKey]: true } }));
    timers[which] = setTimeout(() => {
      void decodeInWorker(text).then((outcome) => {
        if (mine !== seq[which]) return;
        set((s) => ({ inspect: { ...s.inspect, [decodingKey]: false, [decodedKey]: outcome } }));
      });
    }, debounceFor(text));
  };

  api.subscribe(({ inspect: now }, { inspect: before }) => {
    const kept = (['token', 'compareToken', 'tab', 'lint', 'verifyInputs'] as const).some((name) => now[name] !== before[name]);
    if (kept) writeDraft('inspect', () => storedInspect(get().inspect));
  });

  const stored = readDraft('inspect', parseStoredInspect);
  if (stored) {
    // The restored text is decoded as typed text is; the store exists once this slice's creator has returned.
    queueMicrotask(() => {
      if (stored.token !== '') schedule('token', stored.token);
      if (stored.compareToken !== '') schedule('compare', stored.compareToken);
    });
  }

  return {
    inspect: {
      ...emptyInspect,
      ...(stored ? { ...stored, verifyInputs: { ...stored.verifyInputs, keyText: '' } } : {}),
    },
    setInspectToken(text) {
      if (text === get().inspect.token) return;
      // A verdict is about one token: it no longer applies once the text changes.
      seq.verify++;
      set((s) => ({ inspect: { ...s.inspect, token: text, verdict: null, verifyError: null, verifying: false } }));
      schedule('token', text);
    },
    setCompareToken(text) {
      if (text === get().inspect.compareToken) return;
      set((s) => ({ inspect: { ...s.inspect, compareToken: text } }));
      schedule('compare', text);
    },
    setInspectTab(tab) {
      set((s) => ({ inspect: { ...s.inspect, tab } }));
    },
    setVerifyInputs(patch) {
      set((s) => ({ inspect: { ...s.inspect, verifyInputs: { ...s.inspect.verifyInputs, ...patch } } }));
    },
    async verifyToken(source) {
      const token = get().inspect.token.trim();
      if (token === '') return;
      const mine = ++seq.verify;
      set((s) => ({ inspect: { ...s.inspect, verifying: true, verdict: null, verifyError: null } }));
      try {
        const verdict = await call('jwt.verify', { token, source });
        if (mine !== seq.verify) return;
        set((s) => ({ inspect: { ...s.inspect, verifying: false, verdict } }));
      } catch (e) {
        if (mine !== seq.verify) return;
        set((s) => ({ inspect: { ...s.inspect, verifying: false, verifyError: e } }));
      }
    },
    setLintInputs(patch) {
      set((s) => ({ inspect: { ...s.inspect, lint: { ...s.inspect.lint, ...patch } } }));
    },
    clearInspect() {
      seq.verify++;
      schedule('token', '');
      schedule('compare', '');
      set({ inspect: emptyInspect });
      // After the set: its subscriber scheduled a write of the empty inputs, which this cancels.
      clearDraft('inspect');
    },
  };
};
