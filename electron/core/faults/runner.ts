/**
 * Break it: runs every case of the catalogue that applies to a composed request object or client
 * assertion against the running embedded server, over real HTTP, and judges each answer against the spec.
 * Runs are serialised (one at a time per core), rows run in order and each stands alone (fresh jti and
 * times; the replay case alone reuses a token). The control row is the unmutated token: when it is not
 * accepted, `baselinePassed` is false and the table says the draft itself fails, and why.
 */
import type { FaultCase, FaultEndpoint, FaultKind, FaultRow, FaultRun } from '../../../shared/faults/cases';
import { FAULT_CASES, casesFor, expectationFor, judge } from '../../../shared/faults/cases';
import { ParleyError } from '../../../shared/errors';
import type { SigningAlg } from '../../../shared/schemas/keys';
import type { EmbeddedServer } from '../server/embedded';
import type { CoreFetch } from '../http/request-policy';
import type { CredentialAlg } from '../server/state/types';
import type { Vault } from '../vault';
import { prepareBaseline } from './baseline';
import { exportJWK, generateKeyPair } from 'jose';
import type { DpopKey, PlanContext } from './plans';
import { PLANS } from './plans';
import { SCRATCH_CLIENT_NAME, ensurePublicScratchClient, ensureScratchClient } from './scratch-client';
import type { FaultHeader, FaultSigningKey } from './signing-keys';
import { ephemeralSigningKey, otherVaultKey, requireUsableRsa, vaultSigningKey } from './signing-keys';
import { withScratchUser } from './user-token';

/** What `faults.run` takes. */
export interface FaultRunInput {
  kind: FaultKind;
  claims: Record<string, unknown>;
  header?: Record<string, unknown> | undefined;
  keyId: string;
  /** Where request objects go (as composed); default /authorize. Ignored for client assertions. */
  endpoint?: FaultEndpoint | undefined;
}

const CREDENTIAL_ALGS: readonly CredentialAlg[] = ['RS256', 'RS384', 'PS256'];

/** Runs Break-it for one core. */
export class FaultRunner {
  readonly #server: EmbeddedServer;
  readonly #vault: Vault;
  readonly #catalogue: readonly FaultCase[];
  readonly #fetch: CoreFetch;
  #ephemeral: Promise<FaultSigningKey> | undefined;
  #dpopKey: Promise<DpopKey> | undefined;
  #otherDpopKey: Promise<DpopKey> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * `fetchFn` is the core's transport (every request of a run goes through it); `catalogue` is
   * replaceable for tests (e.g. to prove a wrong expectation fails its row).
   */
  constructor(server: EmbeddedServer, vault: Vault, fetchFn: CoreFetch, catalogue: readonly FaultCase[] = FAULT_CASES) {
    this.#server = server;
    this.#vault = vault;
    this.#fetch = fetchFn;
    this.#catalogue = catalogue;
  }

  /** Runs every case for the kind, one run at a time. */
  run(input: FaultRunInput): Promise<FaultRun> {
    const next = this.#queue.then(() => this.#run(input));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** The other slot's key: a second vault key meant for that slot, else one made in memory once per core. */
  #otherKey(kind: FaultKind, mainId: string): Promise<FaultSigningKey> {
    const keys = this.#vault.list();
    const other = otherVaultKey(keys, mainId, kind === 'request_object' ? 'client-auth' : 'jar');
    if (other) return Promise.resolve(vaultSigningKey(this.#vault, other));
    this.#ephemeral ??= ephemeralSigningKey();
    return this.#ephemeral;
  }

  /** The DPoP key of `dpop_proof` runs: EC P-256 (what every Auth0 SDK signs proofs with), in memory, once per core. */
  #dpop(): Promise<DpopKey> {
    this.#dpopKey ??= newDpopKey();
    return this.#dpopKey;
  }

  /** The second DPoP key (a user access token bound to it meets a proof of the first: DPB-12), likewise. */
  #otherDpop(): Promise<DpopKey> {
    this.#otherDpopKey ??= newDpopKey();
    return this.#otherDpopKey;
  }

  async #run(input: FaultRunInput): Promise<FaultRun> {
    const running = this.#server.running;
    if (!running) throw new ParleyError('SERVER_NOT_RUNNING', 'The embedded server is not running; start it on the Server screen, then run Break it again.');
    const summary = this.#vault.get(input.keyId);
    requireUsableRsa(summary);

    const kind = input.kind;
    const header = { ...(input.header ?? { typ: kind === 'request_object' ? 'oauth-authz-req+jwt' : 'JWT' }) };
    const alg = header.alg ?? 'RS256';
    if (typeof alg !== 'string' || !(summary.algs as readonly string[]).includes(alg)) {
      throw new ParleyError(
        'UNSUPPORTED_ALG',
        `Break it signs the draft with "${summary.name}", which cannot sign with alg ${String(alg)}; choose one of ${summary.algs.join(', ')}.`,
      );
    }
    const signingHeader = { ...header, alg: alg as SigningAlg } as FaultHeader;
    // Both credentials get the draft's alg when Auth0 allows it; otherwise RS256, and the control row shows JAR-5/PKJ-6.
    const credentialAlg = (CREDENTIAL_ALGS as readonly string[]).includes(alg) ? (alg as CredentialAlg) : 'RS256';

    const main = vaultSigningKey(this.#vault, summary);
    const other = await this.#otherKey(kind, summary.id);
    const jar = kind === 'request_object' ? main : other;
    const auth = kind === 'request_object' ? other : main;
    const clientId = await ensureScratchClient(this.#server.directory, { jar, privateKeyJwt: auth, alg: credentialAlg });

    const urls = running.urls;
    const endpoint: FaultEndpoint = kind !== 'request_object' ? 'par' : (input.endpoint ?? 'authorize');
    const baseline = prepareBaseline(input.claims, signingHeader, {
      kind,
      clientId,
      issuer: urls.issuer,
      audiences: kind === 'request_object' ? [urls.issuer] : [urls.issuer, urls.token, urls.par],
      kid: main.kid,
    });
    const ctx: PlanContext = {
      kind,
      fetch: this.#fetch,
      server: running,
      issuer: urls.issuer,
      clientId,
      header: baseline.header,
      main,
      other,
      auth,
      alg: credentialAlg,
      claims: baseline.claims,
    };
    if (kind === 'dpop_proof') {
      ctx.dpopKey = await this.#dpop();
      ctx.otherDpopKey = await this.#otherDpop();
      ctx.publicClientId = await ensurePublicScratchClient(this.#server.directory);
    }

    const cases = casesFor(kind, this.#catalogue);
    // The cases at /userinfo need a user access token: a scratch user signs in for them, deleted after the run.
    const rows = cases.some((c) => c.expect[kind]?.endpoint === 'userinfo')
      ? await withScratchUser(this.#server.directory, (user) => this.#rows(cases, { ...ctx, user }, endpoint))
      : await this.#rows(cases, ctx, endpoint);

    return {
      kind,
      endpoint,
      issuer: urls.issuer,
      clientId,
      clientName: SCRATCH_CLIENT_NAME,
      keyId: summary.id,
      otherKey: other.origin,
      rewritten: baseline.rewritten,
      baselinePassed: rows.find((r) => r.caseId === 'control')?.pass ?? false,
      rows,
    };
  }

  /** Plays the cases in order, each judged against its expectation. */
  async #rows(cases: readonly FaultCase[], ctx: PlanContext, endpoint: FaultEndpoint): Promise<FaultRow[]> {
    const kind = ctx.kind;
    const rows: FaultRow[] = [];
    for (const c of cases) {
      const expectation = expectationFor(c, kind, endpoint);
      let outcome;
      try {
        outcome = await PLANS[c.id](ctx, expectation.endpoint);
      } catch (e) {
        if (e instanceof TypeError && !this.#server.running)
          throw new ParleyError('SERVER_NOT_RUNNING', 'The embedded server stopped during the run.', { cause: e });
        throw e;
      }
      const { exchange: answer, note } = outcome;
      const actual = {
        status: answer.status,
        ...(answer.error === undefined ? {} : { error: answer.error }),
        ...(answer.failedRule === undefined ? {} : { failedRule: answer.failedRule }),
      };
      const row: FaultRow = {
        caseId: c.id,
        endpoint: expectation.endpoint,
        expected: expectation.verdict,
        actual,
        pass: note === undefined && judge(expectation.verdict, actual),
        spec: expectation.spec,
      };
      if (note !== undefined) row.note = note;
      if (answer.challenge !== undefined) row.challenge = answer.challenge;
      if (answer.trace) {
        row.traceId = answer.trace.id;
        row.trace = answer.trace;
      }
      rows.push(row);
    }
    return rows;
  }
}

/** An EC P-256 key pair made in memory (extractable: the private JWK is the "private key in jwk" case). */
async function newDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}
