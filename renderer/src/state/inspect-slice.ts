/**
 * The Inspect screen's state: the pasted token(s) and their decoded views, the verification inputs and
 * verdict, the lint choices. In memory only, like the whole store; a pasted key is public material but
 * is not kept beyond the session either.
 *
 * Decoding is debounced and runs in a worker; each input carries a sequence number so a slow decode of
 * old text never overwrites the view of newer text.
 */
import type { VerifyKeySource, VerifyResult } from '../../../shared/schemas/jwt';
import type { ProfileId } from '../../../shared/jwt/profiles';
import { call } from '../api/client';
import type { DecodeOutcome } from '../features/inspect/decode-core';
import { decodeInWorker } from '../features/inspect/decode-client';
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
}

const EMPTY: DecodeOutcome = { kind: 'empty' };

/** How long to wait after the last keystroke: longer for big inputs, where each decode costs more. */
function debounceFor(text: string): number {
  return text.length > BIG_INPUT ? 300 : 150;
}

const seq = { token: 0, compare: 0, verify: 0 };
const timers: { token?: ReturnType<typeof setTimeout>; compare?: ReturnType<typeof setTimeout> } = {};

/** Creates the inspect slice. */
export const createInspectSlice: SliceCreator<InspectSlice> = (set, get) => {
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

  return {
    inspect: {
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
  };
};
