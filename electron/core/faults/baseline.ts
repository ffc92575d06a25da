/**
 * The unmutated token of a run: the composed claims and header, rewritten only where they must name the
 * scratch application and this server (client_id/iss/sub, aud, redirect_uri, kid), with times and jti made
 * fresh for every row. Everything else is sent exactly as composed, so a draft that is itself wrong makes
 * the control row fail, and the table says so.
 */
import type { FaultKind } from '../../../shared/faults/cases';
import { nowSeconds } from '../clock';
import { randomToken } from '../random';
import { SCRATCH_CALLBACK } from './scratch-client';
import type { FaultHeader } from './signing-keys';

/** A token's lifetime when the draft does not say (Auth0's maximum for assertions, PKJ-10). */
const DEFAULT_LIFETIME_SECONDS = 300;

/** Where the baseline is aimed. */
export interface BaselineTarget {
  kind: FaultKind;
  clientId: string;
  issuer: string;
  /** Audiences this server accepts for the kind as composed (the issuer first). */
  audiences: readonly string[];
  /** The kid of the composed key's credential on the scratch application. */
  kid: string;
  redirectUri?: string;
}

/** The prepared baseline. */
export interface Baseline {
  header: FaultHeader;
  /** The claims as of now, with a fresh jti, and `overrides` applied last. */
  claims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** What was rewritten (claim names, and `kid`). */
  rewritten: string[];
}

function audienceFits(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && aud.some((a) => typeof a === 'string' && accepted.includes(a));
}

/** Rewrites the composed claims and header for the scratch application (see the file comment). */
export function prepareBaseline(claims: Readonly<Record<string, unknown>>, header: FaultHeader, target: BaselineTarget): Baseline {
  const base: Record<string, unknown> = { ...claims };
  const rewritten: string[] = [];
  const set = (name: string, value: unknown) => {
    if (base[name] !== value) rewritten.push(name);
    base[name] = value;
  };
  if (target.kind === 'request_object') {
    set('iss', target.clientId);
    set('client_id', target.clientId);
    set('redirect_uri', target.redirectUri ?? SCRATCH_CALLBACK);
  } else {
    set('iss', target.clientId);
    set('sub', target.clientId);
  }
  if (!audienceFits(base.aud, target.audiences)) set('aud', target.issuer);

  let signingHeader = header;
  if (Object.hasOwn(header, 'kid') && header.kid !== target.kid) {
    signingHeader = { ...header, kid: target.kid };
    rewritten.push('kid');
  }

  const iat = claims.iat;
  const exp = claims.exp;
  const lifetime = typeof iat === 'number' && typeof exp === 'number' && exp > iat ? exp - iat : DEFAULT_LIFETIME_SECONDS;
  return {
    header: signingHeader,
    rewritten,
    claims(overrides = {}) {
      const now = nowSeconds();
      const out = { ...base };
      // Only numeric times move; a mistyped one is sent as composed (and fails JWT-5, as it should).
      if (typeof out.iat === 'number') out.iat = now;
      if (typeof out.nbf === 'number') out.nbf = now;
      if (typeof out.exp === 'number') out.exp = now + lifetime;
      if (typeof out.jti === 'string') out.jti = randomToken(16);
      return { ...out, ...overrides };
    },
  };
}
