/**
 * Runs flows: discover → build → push → authorize (browser) → callback → exchange → verify, each step
 * recorded by a RunRecorder and published as `flows.updated`. Against the embedded server, each step
 * carries the server's traces of its requests, and a rejection names the rule that failed.
 */
import { ParleyError } from '../../../shared/errors';
import type { FlowExchange, FlowJwt, FlowKind, FlowPause, FlowPauseEdits, FlowRun, FlowTarget } from '../../../shared/schemas/flows';
import type { RequestTrace } from '../../../shared/schemas/server';
import { traceHostTimeMs } from '../../../shared/schemas/server';
import { nowMs, nowSeconds } from '../clock';
import { randomToken } from '../random';
import type { EventBus } from '../events';
import type { EmbeddedServer } from '../server/embedded';
import type { Vault } from '../vault';
import { authorizeUrl, buildAuthorizationRequest, REQUEST_OBJECT_LIFETIME_S, signWithVaultKey } from './authorization-request';
import type { AuthorizationRequest } from './authorization-request';
import type { BrowserLauncher, BrowserOutcome } from './browser-launcher';
import { checkCallback } from './callback';
import { authenticateClient } from './client-auth';
import type { Discovery, SigningServer } from './discovery';
import { discover, discoveryUrl } from './discovery';
import type { DpopKey, DpopSending } from './dpop';
import { DpopNonces, dpopKeyOf, proofsOf } from './dpop';
import { FlowStepError } from './flow-error';
import type { FlowHistory } from './flow-history';
import type { FlowTargets } from './flow-targets';
import { EMBEDDED_TARGET_ID } from './flow-targets';
import type { FlowFetch, FlowRequest } from './http-exchange';
import { jwtsInText } from './jwts-in';
import { pushAuthorizationRequest } from './push';
import { redactUrl } from './redact';
import type { StepHandle } from './run-recorder';
import { RunRecorder } from './run-recorder';
import { describeTrace, tracesSince } from './server-traces';
import { applyFormEdits, claimsChanged, claimsOf, pauseOf } from './step-gate';
import { requestTokens } from './token-exchange';
import { requestUserinfo } from './userinfo';
import { fetchJwks, verifyIdToken } from './verify-id-token';

/** What the engine needs. */
export interface FlowEngineOptions {
  vault: Vault;
  server: EmbeddedServer;
  events: EventBus;
  targets: FlowTargets;
  history: FlowHistory;
  launcher: BrowserLauncher;
  /** The core's policed transport (http/transport.ts). */
  fetch: FlowFetch;
  /** The fetch for a target (one naming an extra CA certificate trusts it); `fetch` for every target by default. */
  fetchFor?: (target: FlowTarget) => FlowFetch;
  log?: (message: string) => void;
}

/** How a run starts. */
export interface StartOptions {
  targetId: string;
  kind: FlowKind;
  pkce: boolean;
  /** Claims merged over the built request object: to try a deliberately broken request. */
  jarClaims?: Record<string, unknown> | undefined;
  /** Pause before each request until `next` (step-through). */
  stepThrough?: boolean | undefined;
}

interface ActiveRun {
  recorder: RunRecorder;
  controller: AbortController;
  done: Promise<FlowRun>;
  /** Set while a step-through run is paused: sends the paused request with the user's edits. */
  resume?: ((edits: FlowPauseEdits | undefined) => void) | undefined;
}

/** Waits at a request of a step-through run (no wait otherwise); resolves with the user's edits. */
type Gate = (pause: FlowPause) => Promise<FlowPauseEdits | undefined>;

/** A DPoP run's key and the nonces the servers gave it (latest per origin, kept for the run). */
interface RunDpop {
  key: DpopKey;
  nonces: DpopNonces;
}

/**
 * A run's refresh token, held in the main process only (never recorded, sent to the renderer or written to
 * disk; lost when Parley quits), with what a refresh needs: the token endpoint, the issuer, the algs the server
 * listed for DPoP, and the run's DPoP key and nonces (DPB-9: the refresh proof is by the same key).
 */
interface RefreshHold {
  refreshToken: string;
  tokenEndpoint: string;
  /** The issuer, and the algs it lists for client assertions (the refresh's own is signed with one of them). */
  server: SigningServer;
  serverAlgs: string[] | undefined;
  dpop: RunDpop | undefined;
}

/** Refresh tokens held at most: the latest runs' (each is a credential; a bounded map, oldest dropped first). */
const REFRESH_HOLDS = 50;

/** What a PAR returned: the request_uri, when the server answered (core clock, ms), and its lifetime. */
interface Pushed {
  requestUri: string;
  answeredAt: number;
  expiresIn?: number | undefined;
}

/**
 * A request_uri with less than this left when authorize is resumed is pushed again: the browser still has
 * to load /authorize, and a request_uri that expires on the way fails the run with invalid_request_uri.
 */
const PUSH_AGAIN_MARGIN_MS = 5_000;

/** When a pushed request_uri expires (core clock, ms); undefined when the server gave no expires_in. */
function expiryOf(pushed: Pushed): number | undefined {
  return pushed.expiresIn === undefined ? undefined : pushed.answeredAt + pushed.expiresIn * 1000;
}

/** A request object older than this is re-signed after a pause (fresh iat/nbf/exp/jti), so a long explanation does not make it expire. */
const STALE_REQUEST_OBJECT_S = 60;

/** The `cnf.jkt` of a JWT access token (what it is bound to), or null: opaque, unbound or not a JWT. */
function cnfJktOf(accessToken: unknown): string | null {
  if (typeof accessToken !== 'string') return null;
  const cnf = claimsOf(accessToken)?.['cnf'];
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  return typeof jkt === 'string' ? jkt : null;
}

/** The JWTs a request carried: its DPoP proof (a header) and those in its form. */
function jwtsOfRequest(exchange: FlowExchange): FlowJwt[] {
  return [...proofsOf(exchange), ...jwtsInText(exchange.request.body, 'form')];
}

/** Starts, tracks and cancels runs. */
export class FlowEngine {
  readonly #active = new Map<string, ActiveRun>();
  /** Run id → its refresh token and what a refresh needs (see RefreshHold). */
  readonly #refreshHolds = new Map<string, RefreshHold>();
  readonly #fetch: FlowFetch;

  constructor(private readonly options: FlowEngineOptions) {
    this.#fetch = options.fetch;
  }

  /** The fetch of a run against `target`. */
  #fetchOf(target: FlowTarget): FlowFetch {
    if (!this.options.fetchFor) return this.#fetch;
    try {
      return this.options.fetchFor(target);
    } catch (e) {
      // A saved extra CA that no longer reads (edited file, expired): the target's configuration, named.
      throw new FlowStepError('configuration', `Target "${target.name}": ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** Starts a run and returns at once; the run proceeds in the background. */
  start(input: StartOptions): FlowRun {
    const target = this.options.targets.get(input.targetId);
    if (target.id === EMBEDDED_TARGET_ID && input.kind !== 'client_credentials') {
      throw new ParleyError(
        'INVALID_INPUT',
        `The built-in target "${target.name}" has no registered callback, so it only runs the client credentials flow. Create a target for an application to run ${input.kind}.`,
      );
    }
    const options = { pkce: input.pkce, ...(input.jarClaims ? { jarClaims: input.jarClaims } : {}), ...(input.stepThrough ? { stepThrough: true } : {}) };
    const recorder = new RunRecorder(input.kind, target.id, options, (run) => this.options.events.emit('flows.updated', run));
    const controller = new AbortController();
    const active: ActiveRun = { recorder, controller, done: Promise.resolve(recorder.run) };
    const gate: Gate = input.stepThrough ? (pause) => this.#pause(active, pause) : async () => undefined;
    this.#active.set(recorder.run.id, active);
    active.done = this.#execute(recorder, () => this.#steps(recorder, target, input, controller.signal, gate));
    recorder.emit();
    return recorder.snapshot();
  }

  /**
   * Redeems a finished run's refresh token (grant_type=refresh_token) as a `refresh` step appended to the run:
   * for a DPoP run, with a fresh proof by the run's key (DPB-9/10) and the one nonce retry; `dpopKeyId` signs it
   * with another vault key instead, to show the server refusing a binding. A rotated refresh token replaces the
   * held one. Returns at once; the outcome follows as `flows.updated` and in the history.
   */
  refresh(runId: string, options: { dpopKeyId?: string } = {}): FlowRun {
    if (this.#active.has(runId)) throw new ParleyError('INVALID_INPUT', 'The flow run is still in progress: refresh its tokens once it has finished.');
    const run = this.get(runId);
    const hold = this.#refreshHolds.get(runId);
    if (!hold) {
      throw new ParleyError(
        'INVALID_INPUT',
        'This run has no refresh token to use: the token response had none (ask for the offline_access scope, with the refresh_token grant allowed for the application), or Parley has restarted since (refresh tokens are kept in memory only, never on disk). Run the flow again.',
      );
    }
    const target = this.options.targets.get(run.targetId);
    const recorder = new RunRecorder(run.kind, run.targetId, run.options, (r) => this.options.events.emit('flows.updated', r), run);
    delete recorder.run.finishedAt;
    recorder.append('refresh');
    recorder.run.status = 'running';
    const controller = new AbortController();
    const active: ActiveRun = { recorder, controller, done: Promise.resolve(recorder.run) };
    this.#active.set(runId, active);
    active.done = this.#execute(recorder, () => this.#refresh(recorder, target, hold, options.dpopKeyId, controller.signal));
    recorder.emit();
    return recorder.snapshot();
  }

  async #refresh(rec: RunRecorder, target: FlowTarget, hold: RefreshHold, dpopKeyId: string | undefined, signal: AbortSignal): Promise<void> {
    const { vault } = this.options;
    await rec.step('refresh', (h) =>
      this.#traced(h, target, hold.tokenEndpoint, async () => {
        let dpop = hold.dpop;
        if (dpopKeyId !== undefined && dpopKeyId !== dpop?.key.keyId) {
          // Another key than the one the tokens are bound to: the server must refuse it (DPB-9). Its nonces stay the run's.
          const key = dpopKeyOf(vault, { ...target, dpop: { bindCode: false, ...target.dpop, keyId: dpopKeyId } }, hold.serverAlgs);
          dpop = { key, nonces: dpop?.nonces ?? new DpopNonces() };
        }
        if (dpop) h.detail({ dpop: { alg: dpop.key.alg, jkt: dpop.key.thumbprint, ...(dpop === hold.dpop ? {} : { otherKey: true }) } });
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: hold.refreshToken });
        const headers: Record<string, string> = {};
        await authenticateClient(vault, target, hold.server, form, headers, (t) => this.options.targets.secretOf(t));
        try {
          const { tokens, response } = await requestTokens(
            this.#fetchOf(target),
            hold.tokenEndpoint,
            form,
            headers,
            signal,
            this.#dpopSending(h, target, hold.server, dpop, 'token'),
          );
          h.exchange(response.exchange, [...jwtsOfRequest(response.exchange), ...jwtsInText(response.exchange.response?.body, 'json')]);
          const next = tokens['refresh_token'];
          const rotated = typeof next === 'string' && next !== hold.refreshToken;
          if (rotated) hold.refreshToken = next;
          h.detail({
            token_type: tokens['token_type'] ?? null,
            scope: tokens['scope'] ?? null,
            expires_in: tokens['expires_in'] ?? null,
            // The access token's own binding, when it is a JWT the client can read (cnf.jkt, RFC 9449 §6.1).
            cnf_jkt: cnfJktOf(tokens['access_token']),
            refresh_token: rotated ? 'rotated' : typeof next === 'string' ? 'unchanged' : 'not returned',
          });
        } catch (e) {
          if (e instanceof FlowStepError && e.exchange) h.exchange(e.exchange, jwtsOfRequest(e.exchange));
          throw e;
        }
      }),
    );
  }

  /** Cancels a run in progress (its browser step or request is aborted); the final state follows as an event. */
  cancel(runId: string): FlowRun {
    const active = this.#active.get(runId);
    if (!active) return this.get(runId);
    active.controller.abort();
    return active.recorder.snapshot();
  }

  /** Step-through: sends the paused request (with `edits`) and runs on to the next pause or the end. */
  next(runId: string, edits?: FlowPauseEdits): FlowRun {
    const active = this.#active.get(runId);
    if (!active) throw new ParleyError('INVALID_INPUT', `The flow run ${JSON.stringify(runId)} is not in progress, so it has no next step.`);
    if (!active.resume)
      throw new ParleyError(
        'INVALID_INPUT',
        'The flow run is not paused: it is sending a request or waiting for the browser. Next step applies once it pauses again.',
      );
    active.resume(edits);
    return active.recorder.snapshot();
  }

  #pause(active: ActiveRun, pause: FlowPause): Promise<FlowPauseEdits | undefined> {
    const rec = active.recorder;
    const signal = active.controller.signal;
    if (signal.aborted) return Promise.reject(new FlowStepError('cancelled', 'The flow was cancelled.'));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        active.resume = undefined;
        rec.pauseEnded();
        reject(new FlowStepError('cancelled', 'The flow was cancelled.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      active.resume = (edits) => {
        signal.removeEventListener('abort', onAbort);
        active.resume = undefined;
        rec.pauseEnded();
        delete rec.run.paused;
        rec.setStatus('running');
        resolve(edits);
      };
      rec.run.paused = pause;
      rec.pauseBegan(pause.step);
      rec.setStatus('paused');
    });
  }

  /** A run in progress or in the history. */
  get(runId: string): FlowRun {
    const active = this.#active.get(runId);
    if (active) return active.recorder.snapshot();
    const kept = this.options.history.get(runId);
    if (!kept) throw new ParleyError('NOT_FOUND', `No flow run with id ${JSON.stringify(runId)}.`);
    return kept;
  }

  /** Resolves when the run has finished (hosts and tests wait on it). */
  settled(runId: string): Promise<FlowRun> {
    const active = this.#active.get(runId);
    return active ? active.done : Promise.resolve(this.get(runId));
  }

  /** Cancels every run in progress and waits for them (core shutdown). */
  async close(): Promise<void> {
    const runs = [...this.#active.values()];
    for (const r of runs) r.controller.abort();
    await Promise.all(runs.map((r) => r.done));
  }

  async #execute(rec: RunRecorder, work: () => Promise<void>): Promise<FlowRun> {
    try {
      await work();
      rec.setStatus('succeeded');
    } catch (e) {
      const cancelled = e instanceof FlowStepError && e.code === 'cancelled';
      if (!(e instanceof FlowStepError) && (e as { name?: unknown }).name !== 'ParleyError') {
        this.options.log?.(`[parley] flow ${rec.run.id} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      for (const step of rec.run.steps) if (step.status === 'pending' && cancelled) step.status = 'cancelled';
      delete rec.run.paused;
      rec.setStatus(cancelled ? 'cancelled' : 'failed');
    }
    const final = rec.snapshot();
    try {
      this.options.history.add(final);
    } catch (e) {
      this.options.log?.(`[parley] the flow history could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.#active.delete(final.id);
    return final;
  }

  async #steps(rec: RunRecorder, target: FlowTarget, input: StartOptions, signal: AbortSignal, gate: Gate): Promise<void> {
    const { vault } = this.options;
    let dpop: RunDpop | undefined;
    const discovery = await rec.step('discover', (h) =>
      this.#traced(h, target, target.issuer.replace(/\/?$/, '/.well-known/openid-configuration'), async () => {
        await gate(pauseOf('discover', 'discovery', { method: 'GET', url: discoveryUrl(target.issuer), headers: { accept: 'application/json' } }));
        const { discovery, response } = await discover(this.#fetchOf(target), target.issuer, input.kind, signal);
        h.exchange(response.exchange);
        h.detail({
          issuer: discovery.issuer,
          authorization_endpoint: discovery.authorization_endpoint,
          token_endpoint: discovery.token_endpoint,
          pushed_authorization_request_endpoint: discovery.pushed_authorization_request_endpoint ?? null,
          jwks_uri: discovery.jwks_uri ?? null,
        });
        if (target.dpop) {
          // The key and its alg are settled against what the server lists before any request carries a proof.
          const key = dpopKeyOf(vault, target, discovery.dpop_signing_alg_values_supported);
          dpop = { key, nonces: new DpopNonces() };
          h.detail({
            userinfo_endpoint: discovery.userinfo_endpoint ?? null,
            dpop_signing_alg_values_supported: discovery.dpop_signing_alg_values_supported ?? null,
            dpop: { alg: key.alg, jkt: key.thumbprint },
          });
        }
        return discovery;
      }),
    );
    const issuer = discovery.issuer;

    if (input.kind === 'client_credentials') {
      const form = new URLSearchParams({ grant_type: 'client_credentials' });
      if (target.audience) form.set('audience', target.audience);
      await this.#exchange(rec, target, discovery, form, signal, gate, dpop);
      return;
    }

    const jar = input.kind === 'jar' || input.kind === 'par+jar';
    const request = await rec.step('build', async (h) => {
      const dpopJkt = dpop && target.dpop?.bindCode ? dpop.key.thumbprint : undefined;
      const built = await buildAuthorizationRequest(vault, target, discovery, {
        jar,
        pkce: input.pkce,
        ...(input.jarClaims ? { jarClaims: input.jarClaims } : {}),
        ...(dpopJkt ? { dpopJkt } : {}),
      });
      if (built.requestObject) h.jwts([{ label: 'Request object', kind: 'requestObject', token: built.requestObject }]);
      h.detail({ parameters: built.params });
      return built;
    });

    let pushed: Pushed | undefined;
    if (input.kind === 'par' || input.kind === 'par+jar') {
      const endpoint = discovery.pushed_authorization_request_endpoint as string;
      pushed = await rec.step('push', (h) =>
        this.#traced(h, target, endpoint, async () => {
          let { form, headers } = await this.#parForm(target, discovery, request);
          ({ form, headers } = await this.#afterPause(
            gate,
            pauseOf('push', 'par', { method: 'POST', url: endpoint, headers, form }, request.requestObject),
            target,
            discovery,
            form,
            headers,
            request,
          ));
          try {
            const pushed = await pushAuthorizationRequest(
              this.#fetchOf(target),
              endpoint,
              form,
              headers,
              signal,
              this.#dpopSending(h, target, discovery, dpop, 'par'),
            );
            h.exchange(pushed.response.exchange, jwtsOfRequest(pushed.response.exchange));
            h.detail({ request_uri: pushed.requestUri, ...(pushed.expiresIn === undefined ? {} : { expires_in: pushed.expiresIn }) });
            return { requestUri: pushed.requestUri, answeredAt: pushed.response.sentAt + pushed.response.exchange.durationMs, expiresIn: pushed.expiresIn };
          } catch (e) {
            if (e instanceof FlowStepError && e.exchange) h.exchange(e.exchange, jwtsOfRequest(e.exchange));
            throw e;
          }
        }),
      );
    }

    const callbackUrl = await this.#authorize(rec, target, discovery, request, pushed, signal, gate, dpop);
    const callback = await rec.step('callback', async (h) => {
      // The code stays in the engine (for the exchange below); the record shows the URL without it.
      h.detail({ callbackUrl: redactUrl(callbackUrl) });
      return checkCallback(callbackUrl, {
        redirectUri: target.redirect_uri,
        state: request.state,
        issuer,
        issRequired: discovery.authorization_response_iss_parameter_supported === true,
      });
    });

    const form = new URLSearchParams({ grant_type: 'authorization_code', code: callback.code, redirect_uri: target.redirect_uri });
    if (request.codeVerifier) form.set('code_verifier', request.codeVerifier);
    const tokens = await this.#exchange(rec, target, discovery, form, signal, gate, dpop);

    await rec.step('verify', async (h) => {
      const idToken = tokens['id_token'];
      if (typeof idToken !== 'string') throw new FlowStepError('id_token_invalid', 'The token response has no id_token (was the openid scope requested?).');
      h.jwts([{ label: 'ID token', kind: 'idToken', token: idToken }]);
      const jwks = await this.#traced(h, target, discovery.jwks_uri ?? issuer, async () => {
        if (discovery.jwks_uri) await gate(pauseOf('verify', 'jwks', { method: 'GET', url: discovery.jwks_uri, headers: { accept: 'application/json' } }));
        const fetched = await fetchJwks(this.#fetchOf(target), discovery.jwks_uri, signal);
        h.exchange(fetched.response.exchange);
        return fetched.jwks;
      });
      const claims = await verifyIdToken(idToken, jwks, { issuer, clientId: target.client_id, nonce: request.nonce });
      rec.run.idTokenClaims = claims;
      h.detail({ checked: ['signature', 'iss', 'aud', 'exp', 'nonce'] });
      if (dpop) await this.#userinfo(h, target, discovery, tokens, dpop, signal);
    });
  }

  async #authorize(
    rec: RunRecorder,
    target: FlowTarget,
    discovery: Discovery,
    request: AuthorizationRequest,
    pushed: Pushed | undefined,
    signal: AbortSignal,
    gate: Gate,
    dpop: RunDpop | undefined,
  ): Promise<string> {
    let url = authorizeUrl(discovery.authorization_endpoint, target.client_id, {
      params: request.params,
      ...(request.requestObject ? { requestObject: request.requestObject } : {}),
      ...(pushed ? { requestUri: pushed.requestUri } : {}),
    });
    rec.run.authorizeUrl = url;
    return rec.step('authorize', async (h) => {
      const byValue = pushed === undefined ? request.requestObject : undefined;
      const query = new URL(url).searchParams;
      const pause = pauseOf('authorize', 'authorize', { method: 'GET', url, form: query }, byValue);
      if (pushed) {
        const expiresAt = expiryOf(pushed);
        pause.pushed = {
          at: new Date(pushed.answeredAt).toISOString(),
          requestUri: pushed.requestUri,
          ...(pushed.expiresIn === undefined ? {} : { expiresIn: pushed.expiresIn }),
          ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
        };
      }
      let { form: edited } = await this.#afterPause(gate, pause, target, discovery, query, {}, byValue === undefined ? undefined : request);
      // The pause outlived the request_uri (a trainer talked): push again, with a fresh request object and
      // client assertion, rather than open a sign-in page that can only answer invalid_request_uri. A
      // request_uri the user edited is sent as edited (to show the error on purpose).
      const expiresAt = pushed ? expiryOf(pushed) : undefined;
      if (pushed && expiresAt !== undefined && edited.get('request_uri') === pushed.requestUri && nowMs() > expiresAt - PUSH_AGAIN_MARGIN_MS) {
        const again = await this.#pushAgain(h, target, discovery, request, signal, dpop);
        edited = new URLSearchParams(edited);
        edited.set('request_uri', again.requestUri);
      }
      if (edited !== query) {
        const next = new URL(discovery.authorization_endpoint);
        next.search = edited.toString();
        url = next.href;
        rec.run.authorizeUrl = url;
      }
      h.detail({ url });
      const since = nowMs();
      const path = new URL(discovery.authorization_endpoint).pathname;
      rec.setStatus('waiting-for-browser');
      // Against the embedded server, a rejected /authorize shows an error page that never reaches the
      // redirect URI: watch its traces while the browser is open and stop at once with the failed rule.
      const browser = new AbortController();
      const watch = target.embedded ? this.#watchRejection(path, target.client_id, since) : undefined;
      let outcome: BrowserOutcome | { rejected: RequestTrace };
      try {
        const opened = this.options.launcher.open(url, target.redirect_uri, AbortSignal.any([signal, browser.signal]), {
          runId: rec.run.id,
          keepSession: target.keepSession === true,
        });
        outcome = await (watch ? Promise.race([opened, watch.rejected.then((trace) => ({ rejected: trace }))]) : opened);
        if ('rejected' in outcome) {
          browser.abort();
          // The launcher settles once aborted (its window or listener is closed); its outcome no longer matters.
          await opened.catch(() => undefined);
        }
      } finally {
        watch?.stop();
      }
      rec.run.status = 'running';
      if (target.embedded) {
        // The browser, not the engine, sent /authorize: find its traces; a failed one decides the step.
        const traces = await tracesSince(this.options.server, path, since, { waitMs: 50 });
        h.traces(traces.filter((t) => t.clientId === undefined || t.clientId === target.client_id).reverse());
        const failed =
          'rejected' in outcome
            ? outcome.rejected
            : traces.find((t) => t.failedRule !== undefined && (t.clientId === undefined || t.clientId === target.client_id));
        if (failed) throw new FlowStepError('authorization_rejected', `The authorization server rejected the request: ${describeTrace(failed)}.`);
      }
      if ('rejected' in outcome) throw new FlowStepError('internal', 'The authorization was rejected.');
      if ('cancelled' in outcome)
        throw new FlowStepError('cancelled', signal.aborted ? 'The flow was cancelled.' : 'The browser window was closed before the authorization finished.');
      return outcome.callbackUrl;
    });
  }

  /** The form of a PAR: the request object (or the parameters) and the client's authentication. */
  async #parForm(
    target: FlowTarget,
    server: SigningServer,
    request: AuthorizationRequest,
  ): Promise<{ form: URLSearchParams; headers: Record<string, string> }> {
    const form = new URLSearchParams(request.requestObject ? { request: request.requestObject } : request.params);
    const headers: Record<string, string> = {};
    await authenticateClient(this.options.vault, target, server, form, headers, (t) => this.options.targets.secretOf(t));
    return { form, headers };
  }

  /**
   * Pushes the request again (its request_uri expired during a pause): the request object re-signed with
   * a fresh iat/nbf/exp/jti (the server refuses a jti twice), a fresh client assertion; recorded as an
   * exchange of its own on the authorize step, with the server's traces, a rejection naming its rule.
   */
  async #pushAgain(
    h: StepHandle,
    target: FlowTarget,
    discovery: Discovery,
    request: AuthorizationRequest,
    signal: AbortSignal,
    dpop: RunDpop | undefined,
  ): Promise<Pushed> {
    const endpoint = discovery.pushed_authorization_request_endpoint as string;
    if (request.requestObject && target.jarKeyId) {
      const iat = nowSeconds();
      const claims = { ...(claimsOf(request.requestObject) ?? {}), iat, nbf: iat, exp: iat + REQUEST_OBJECT_LIFETIME_S, jti: randomToken(16) };
      request.requestObject = await signWithVaultKey(this.options.vault, target.jarKeyId, 'oauth-authz-req+jwt', claims, discovery);
    }
    const { form, headers } = await this.#parForm(target, discovery, request);
    const since = nowMs();
    const record = async (exchange: FlowExchange): Promise<RequestTrace[]> => {
      const traces = target.embedded ? (await tracesSince(this.options.server, new URL(endpoint).pathname, since)).reverse() : [];
      h.extra({
        purpose: 'par',
        reason: 'request_uri_expired',
        exchange,
        jwts: jwtsOfRequest(exchange),
        ...(traces.length > 0 ? { serverTraces: traces } : {}),
      });
      return traces;
    };
    try {
      const pushed = await pushAuthorizationRequest(
        this.#fetchOf(target),
        endpoint,
        form,
        headers,
        signal,
        this.#dpopSending(h, target, discovery, dpop, 'par'),
      );
      await record(pushed.response.exchange);
      h.detail({ request_uri: pushed.requestUri, pushedAgain: true });
      return { requestUri: pushed.requestUri, answeredAt: pushed.response.sentAt + pushed.response.exchange.durationMs, expiresIn: pushed.expiresIn };
    } catch (e) {
      if (!(e instanceof FlowStepError) || !e.exchange) throw e;
      const failed = (await record(e.exchange)).find((t) => t.failedRule !== undefined);
      // Without its exchange: the PAR is recorded above, and the authorize step's own exchange is not this one.
      throw new FlowStepError(
        e.code,
        `Pushing the request again (its request_uri expired during the pause) failed: ${e.message}${failed ? ` ${describeTrace(failed)}.` : ''}`,
        { cause: e },
      );
    }
  }

  /**
   * Resolves with the first trace of `path` for this client, from `since` on, that the server answered
   * with an error page (status ≥ 400): the browser then shows that page and never reaches the redirect
   * URI. Errors the server redirects to the redirect URI are left to the callback step.
   */
  #watchRejection(path: string, clientId: string, since: number): { rejected: Promise<RequestTrace>; stop: () => void } {
    let unsubscribe: () => void = () => undefined;
    const rejected = new Promise<RequestTrace>((resolve) => {
      const consider = (trace: RequestTrace): void => {
        if (trace.path !== path || trace.status < 400 || traceHostTimeMs(trace) < since - 1) return;
        if (trace.clientId !== undefined && trace.clientId !== clientId) return;
        resolve(trace);
      };
      unsubscribe = this.options.events.subscribe((event) => {
        if (event.name === 'server.trace') consider(event.payload);
      });
    });
    return { rejected, stop: () => unsubscribe() };
  }

  async #exchange(
    rec: RunRecorder,
    target: FlowTarget,
    discovery: Discovery,
    initial: URLSearchParams,
    signal: AbortSignal,
    gate: Gate,
    dpop: RunDpop | undefined,
  ): Promise<Record<string, unknown>> {
    return rec.step('exchange', (h) =>
      this.#traced(h, target, discovery.token_endpoint, async () => {
        let form = initial;
        let headers: Record<string, string> = {};
        await authenticateClient(this.options.vault, target, discovery, form, headers, (t) => this.options.targets.secretOf(t));
        ({ form, headers } = await this.#afterPause(
          gate,
          pauseOf('exchange', 'token', { method: 'POST', url: discovery.token_endpoint, headers, form }),
          target,
          discovery,
          form,
          headers,
        ));
        // Whether PKCE was used shows in the recorded request (code_verifier=[redacted]); the verifier itself is never recorded.
        try {
          const { tokens, response } = await requestTokens(
            this.#fetchOf(target),
            discovery.token_endpoint,
            form,
            headers,
            signal,
            this.#dpopSending(h, target, discovery, dpop, 'token'),
          );
          h.exchange(response.exchange, [...jwtsOfRequest(response.exchange), ...jwtsInText(response.exchange.response?.body, 'json')]);
          h.detail({ token_type: tokens['token_type'] ?? null, scope: tokens['scope'] ?? null, expires_in: tokens['expires_in'] ?? null });
          const refreshToken = tokens['refresh_token'];
          if (typeof refreshToken === 'string') {
            this.#holdRefresh(rec.run.id, {
              refreshToken,
              tokenEndpoint: discovery.token_endpoint,
              server: discovery,
              serverAlgs: discovery.dpop_signing_alg_values_supported,
              dpop,
            });
            h.detail({ refresh_token: 'held' });
          }
          return tokens;
        } catch (e) {
          if (e instanceof FlowStepError && e.exchange) h.exchange(e.exchange, jwtsOfRequest(e.exchange));
          throw e;
        }
      }),
    );
  }

  /** Keeps a run's refresh token, dropping the oldest beyond REFRESH_HOLDS. */
  #holdRefresh(runId: string, hold: RefreshHold): void {
    this.#refreshHolds.delete(runId);
    this.#refreshHolds.set(runId, hold);
    for (const id of this.#refreshHolds.keys()) {
      if (this.#refreshHolds.size <= REFRESH_HOLDS) break;
      this.#refreshHolds.delete(id);
    }
  }

  /**
   * A DPoP run's sending of one request (`purpose`): a proof with the origin's latest nonce; a nonce
   * challenge recorded as an exchange of its own on the step, then the one retry, with a fresh client
   * assertion. Undefined when the target does not use DPoP.
   */
  #dpopSending(
    h: StepHandle,
    target: FlowTarget,
    server: SigningServer,
    dpop: RunDpop | undefined,
    purpose: 'par' | 'token' | 'userinfo',
  ): DpopSending | undefined {
    if (!dpop) return undefined;
    return {
      vault: this.options.vault,
      key: dpop.key,
      nonces: dpop.nonces,
      onChallenge: (exchange) => h.extra({ purpose, reason: 'use_dpop_nonce', exchange, jwts: jwtsOfRequest(exchange) }),
      beforeRetry: (request) => this.#renewAssertion(target, server, request),
    };
  }

  /** The request with a new client assertion (the server has seen the first one's jti); others unchanged. */
  async #renewAssertion(target: FlowTarget, server: SigningServer, request: FlowRequest): Promise<FlowRequest> {
    if (!request.form?.has('client_assertion')) return request;
    const form = new URLSearchParams(request.form);
    form.delete('client_assertion');
    form.delete('client_assertion_type');
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    await authenticateClient(this.options.vault, target, server, form, headers, (t) => this.options.targets.secretOf(t));
    return { ...request, form, headers };
  }

  /**
   * DPoP targets: the access token is used at the userinfo endpoint with the scheme its token_type names
   * (a DPoP proof with `ath` for a bound token), recorded as an exchange of its own on the verify step.
   */
  async #userinfo(h: StepHandle, target: FlowTarget, discovery: Discovery, tokens: Record<string, unknown>, dpop: RunDpop, signal: AbortSignal): Promise<void> {
    const endpoint = discovery.userinfo_endpoint;
    const accessToken = tokens['access_token'];
    if (!endpoint || typeof accessToken !== 'string') {
      h.detail({ userinfo: { skipped: endpoint ? 'no access_token' : 'no userinfo_endpoint in discovery' } });
      return;
    }
    const record = (exchange: FlowExchange): void => h.extra({ purpose: 'userinfo', reason: 'access_token_check', exchange, jwts: proofsOf(exchange) });
    await this.#traced(h, target, endpoint, async () => {
      try {
        const { scheme, response, claims } = await requestUserinfo(
          this.#fetchOf(target),
          endpoint,
          accessToken,
          tokens['token_type'],
          signal,
          this.#dpopSending(h, target, discovery, dpop, 'userinfo'),
        );
        record(response.exchange);
        h.detail({ userinfo: { scheme, status: response.status, ...(typeof claims?.['sub'] === 'string' ? { sub: claims['sub'] } : {}) } });
      } catch (e) {
        if (!(e instanceof FlowStepError) || !e.exchange) throw e;
        record(e.exchange);
        // Recorded above: the step's own exchange stays the JWKS request.
        throw new FlowStepError(e.code, e.message, { cause: e });
      }
    });
  }

  /**
   * Step-through: waits at a request, then applies the user's edits. Edited request-object claims are
   * re-signed with the target's JAR key (so is a request object gone stale during the pause), and the
   * client assertion, unless edited, is made afresh, since the pause may have outlived it.
   */
  async #afterPause(
    gate: Gate,
    pause: FlowPause,
    target: FlowTarget,
    server: SigningServer,
    form: URLSearchParams,
    headers: Record<string, string>,
    request?: AuthorizationRequest,
  ): Promise<{ form: URLSearchParams; headers: Record<string, string> }> {
    const pausedAt = nowSeconds();
    const edits = await gate(pause);
    if (edits === undefined) return { form, headers };
    let next = applyFormEdits(form, edits.form);
    if (request?.requestObject && target.jarKeyId) {
      const shown = pause.requestObjectClaims;
      const edited = claimsChanged(shown, edits.requestObjectClaims);
      const stale = typeof shown?.['iat'] === 'number' && pausedAt - shown['iat'] > STALE_REQUEST_OBJECT_S;
      if (edited || stale) {
        const base: Record<string, unknown> = (edited ? edits.requestObjectClaims : shown) ?? {};
        const iat = nowSeconds();
        const claims = edited ? base : { ...base, iat, nbf: iat, exp: iat + REQUEST_OBJECT_LIFETIME_S, jti: randomToken(16) };
        const signed = await signWithVaultKey(this.options.vault, target.jarKeyId, 'oauth-authz-req+jwt', claims, server);
        request.requestObject = signed;
        if (next === form) next = new URLSearchParams(form);
        next.set('request', signed);
      }
    }
    const assertion = form.get('client_assertion');
    if (assertion !== null && next.get('client_assertion') === assertion) {
      if (next === form) next = new URLSearchParams(form);
      next.delete('client_assertion');
      next.delete('client_assertion_type');
      const fresh: Record<string, string> = {};
      await authenticateClient(this.options.vault, target, server, next, fresh, (t) => this.options.targets.secretOf(t));
      return { form: next, headers: { ...headers, ...fresh } };
    }
    return { form: next, headers };
  }

  /** Runs a request of a step; against the embedded server, attaches its traces and names a failed rule. */
  async #traced<T>(h: StepHandle, target: FlowTarget, url: string, work: () => Promise<T>): Promise<T> {
    const since = nowMs();
    const path = new URL(url).pathname;
    try {
      const value = await work();
      if (target.embedded) h.traces((await tracesSince(this.options.server, path, since)).reverse());
      return value;
    } catch (e) {
      if (!(e instanceof FlowStepError) || !target.embedded || e.code === 'cancelled') throw e;
      const traces = await tracesSince(this.options.server, path, since);
      h.traces([...traces].reverse());
      const failed = traces.find((t) => t.failedRule !== undefined);
      if (!failed) throw e;
      throw new FlowStepError(e.code, `${e.message} ${describeTrace(failed)}.`, { cause: e, ...(e.exchange ? { exchange: e.exchange } : {}) });
    }
  }
}
