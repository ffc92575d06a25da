/**
 * What the Authentication API endpoints keep beyond the shared MemoryStores: browser sessions (so a second
 * /authorize skips the sign-in form), per-transaction extras, the PAR rate-limit windows, and the per-server
 * secret that derives CSRF tokens. One instance per server context (ServerContext.endpointState); everything is bounded like MemoryStores.
 */
import { randomBytes } from '../../random';
import { TtlStore } from '../state/ttl-store';

/** A signed-in browser (the `parley_session` cookie names it). */
export interface BrowserSession {
  user_id: string;
  /** When the user typed the password (seconds, server clock): `auth_time` (IDT-2). */
  auth_time: number;
  /** Consents given in this session: `client_id`, audience and sorted scopes. */
  consents: string[];
}

/** What a login transaction needs besides the shared LoginTransaction record. */
export interface TransactionExtras {
  /** The client authentication method used at PAR, if the request was pushed (PAR-5). */
  par_auth_method?: string;
  /** Wrong passwords so far; the transaction ends after MAX_LOGIN_FAILURES. */
  failures: number;
}

/** Documented bounds and lifetimes of the endpoints' own state (docs/bounds.md). */
export const ENDPOINT_LIMITS = {
  /** Browser sessions: 24 hours, at most 10,000. */
  sessions: 10_000,
  sessionTtlMs: 24 * 3600 * 1000,
  /** Login transactions (and their extras): 30 minutes, at most 10,000 (MemoryStores.logins has the same bound). */
  transactions: 10_000,
  transactionTtlMs: 30 * 60 * 1000,
  /** Wrong passwords per transaction before it is discarded. */
  maxLoginFailures: 10,
  /**
   * Brute-force protection (SES-7): consecutive wrong passwords for one user, across transactions, before the
   * user is blocked (Auth0's default threshold). A correct password before then resets the count.
   */
  maxUserFailures: 10,
  /** How long a user's count, and so a block, lasts after the last counted failure (Auth0: 30 days; see login). */
  userFailureTtlMs: 15 * 60 * 1000,
  /** Users with a count: keyed by user_id, so at most one per user (users.json holds at most 10,000). */
  userFailures: 10_000,
  /** PAR-19: pushes per client per window before 429. */
  parPerWindow: 60,
  parWindowMs: 10_000,
  parWindows: 10_000,
} as const;

/** The endpoints' state of one server. */
export class EndpointState {
  /** Derives CSRF tokens; lives as long as the server (transactions do not survive a restart either). */
  readonly secret = randomBytes(32);
  readonly sessions = new TtlStore<BrowserSession>(ENDPOINT_LIMITS.sessions, 'browser sessions');
  readonly transactions = new TtlStore<TransactionExtras>(ENDPOINT_LIMITS.transactions, 'login transaction extras');
  readonly parWindows = new TtlStore<{ count: number; start: number }>(ENDPOINT_LIMITS.parWindows, 'PAR rate windows');
  /** Consecutive wrong passwords per user_id (SES-7). */
  readonly userFailures = new TtlStore<{ count: number }>(ENDPOINT_LIMITS.userFailures, 'sign-in failures per user');
}
