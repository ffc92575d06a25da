/**
 * Holds one run's record and publishes every change as a `flows.updated` event. The record only ever
 * receives redacted exchanges, so whatever it emits or stores is free of secrets.
 */
import type { FlowExchange, FlowExtraExchange, FlowJwt, FlowKind, FlowRun, FlowRunOptions, FlowStep, FlowStepName } from '../../../shared/schemas/flows';
import type { RequestTrace } from '../../../shared/schemas/server';
import { now, nowMs } from '../clock';
import { randomId } from '../random';
import { FlowStepError } from './flow-error';

/** The steps of each kind, in order. */
export function stepsOf(kind: FlowKind): FlowStepName[] {
  switch (kind) {
    case 'client_credentials':
      return ['discover', 'exchange'];
    case 'par':
    case 'par+jar':
      return ['discover', 'build', 'push', 'authorize', 'callback', 'exchange', 'verify'];
    default:
      return ['discover', 'build', 'authorize', 'callback', 'exchange', 'verify'];
  }
}

/** What a running step may add to its record. */
export interface StepHandle {
  exchange(exchange: FlowExchange, jwts?: FlowJwt[]): void;
  jwts(jwts: FlowJwt[]): void;
  /** The embedded server's traces of this step's requests (oldest first). */
  traces(traces: RequestTrace[]): void;
  detail(detail: Record<string, unknown>): void;
  /** A request besides the step's own (the PAR sent again), recorded as its own exchange. */
  extra(extra: FlowExtraExchange): void;
}

/** One run's record. */
export class RunRecorder {
  readonly run: FlowRun;
  /** The step waiting at a step-through pause, and since when (core clock). */
  #pause: { step: FlowStep; since: number } | undefined;

  constructor(
    kind: FlowKind,
    targetId: string,
    options: FlowRunOptions,
    private readonly publish: (run: FlowRun) => void,
    /** A finished run that continues (its refresh): steps are appended to its record. */
    existing?: FlowRun,
  ) {
    this.run = existing
      ? structuredClone(existing)
      : {
          id: randomId(),
          kind,
          targetId,
          options: structuredClone(options),
          status: 'running',
          startedAt: now().toISOString(),
          steps: stepsOf(kind).map((name) => ({ id: randomId(), name, status: 'pending', jwts: [], serverTraceIds: [] })),
        };
  }

  /** A deep copy (events and callers never share the live record). */
  snapshot(): FlowRun {
    return structuredClone(this.run);
  }

  /** Publishes the current state. */
  emit(): void {
    this.publish(this.snapshot());
  }

  /** Changes the run's status (and sets finishedAt when final). */
  setStatus(status: FlowRun['status']): void {
    this.run.status = status;
    if (status === 'succeeded' || status === 'failed' || status === 'cancelled') this.run.finishedAt = now().toISOString();
    this.emit();
  }

  /**
   * A step-through pause begins (at `name`, which is running): the time until `pauseEnded` is kept apart
   * in `pausedMs`, so a step's duration is the time it worked, not the time the trainer talked.
   */
  pauseBegan(name: FlowStepName): void {
    this.pauseEnded();
    this.#pause = { step: this.#find(name), since: nowMs() };
  }

  /** The pause (if any) ends: its time is added to the step's `pausedMs`. */
  pauseEnded(): void {
    const pause = this.#pause;
    if (!pause) return;
    this.#pause = undefined;
    pause.step.pausedMs = (pause.step.pausedMs ?? 0) + Math.max(0, nowMs() - pause.since);
  }

  /** Appends a pending step (a refresh of a finished run); `step(name)` runs it next. */
  append(name: FlowStepName): void {
    this.run.steps.push({ id: randomId(), name, status: 'pending', jwts: [], serverTraceIds: [] });
  }

  /** Runs one step: running → ok, or failed / cancelled with the error's code and message. */
  async step<T>(name: FlowStepName, work: (handle: StepHandle) => Promise<T>): Promise<T> {
    const step = this.#find(name);
    const started = nowMs();
    step.status = 'running';
    step.startedAt = new Date(started).toISOString();
    this.emit();
    const handle: StepHandle = {
      exchange: (exchange, jwts = []) => {
        step.exchange = exchange;
        step.jwts.push(...jwts);
      },
      jwts: (jwts) => step.jwts.push(...jwts),
      traces: (traces) => {
        for (const trace of traces) {
          if (step.serverTraceIds.includes(trace.id)) continue;
          step.serverTraceIds.push(trace.id);
          (step.serverTraces ??= []).push(structuredClone(trace));
        }
      },
      detail: (detail) => (step.detail = { ...(step.detail ?? {}), ...detail }),
      extra: (extra) => (step.extraExchanges ??= []).push(structuredClone(extra)),
    };
    try {
      const value = await work(handle);
      step.status = 'ok';
      return value;
    } catch (e) {
      const error = e instanceof FlowStepError ? e : new FlowStepError(codeOf(e), messageOf(e), { cause: e });
      if (error.exchange && !step.exchange) step.exchange = error.exchange;
      step.status = error.code === 'cancelled' ? 'cancelled' : 'failed';
      step.error = { code: error.code, message: error.message };
      throw error;
    } finally {
      if (this.#pause?.step === step) this.pauseEnded();
      step.durationMs = Math.max(0, nowMs() - started - (step.pausedMs ?? 0));
      this.emit();
    }
  }

  /** Marks a step failed after the fact (the embedded server's trace showed the failure). */
  failStep(name: FlowStepName, error: FlowStepError): void {
    const step = this.#find(name);
    step.status = 'failed';
    step.error = { code: error.code, message: error.message };
  }

  #find(name: FlowStepName): FlowStep {
    // A step that can occur more than once (refresh): the pending one is the one to run.
    const step = this.run.steps.find((s) => s.name === name && s.status === 'pending') ?? this.run.steps.find((s) => s.name === name);
    if (!step) throw new Error(`no ${name} step in a ${this.run.kind} flow`);
    return step;
  }
}

/** A ParleyError (locked vault, missing key…) is a configuration problem the user can fix; anything else is internal. */
function codeOf(e: unknown): FlowStepError['code'] {
  return (e as { name?: unknown }).name === 'ParleyError' ? 'configuration' : 'internal';
}

function messageOf(e: unknown): string {
  if ((e as { name?: unknown }).name === 'ParleyError') return (e as Error).message;
  return 'An unexpected error occurred in this step. Details are in the application log.';
}
