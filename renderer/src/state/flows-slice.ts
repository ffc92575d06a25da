/**
 * Flows: the targets, the runs this window has seen (kept current by `flows.updated` events) and the
 * history of finished runs. The core runs every flow; this is a cache of what it said.
 */
import type { OpInput } from '../../../shared/ipc/contract';
import type { FlowKind, FlowPauseEdits, FlowRun, FlowTarget } from '../../../shared/schemas/flows';
import { call } from '../api/client';
import type { SliceCreator } from './types';

/** Flows state and actions. Mutations throw ApiError for the caller to show. */
export interface FlowsSlice {
  flows: {
    targets: FlowTarget[];
    targetsLoaded: boolean;
    targetsError: unknown;
    /** Runs by id, as last reported. */
    runs: Record<string, FlowRun>;
    /** The run the timeline shows. */
    currentRunId: string | null;
    /** Finished runs, newest first. */
    history: FlowRun[];
    historyLoaded: boolean;
    historyError: unknown;
  };
  loadFlowTargets(): Promise<void>;
  saveFlowTarget(input: OpInput<'flows.saveTarget'>): Promise<FlowTarget>;
  /** Deletes a saved target (and its client secret in the vault). */
  deleteFlowTarget(id: string): Promise<void>;
  /** Starts a run (PKCE on unless `pkce` is false, as a re-run of a run started without it); `stepThrough` pauses before each request. */
  startFlow(input: { targetId: string; kind: FlowKind; pkce?: boolean; jarClaims?: Record<string, unknown>; stepThrough?: boolean }): Promise<FlowRun>;
  /** Step-through: sends a paused run's request (with the edits, if any) and lets it run to its next pause. */
  nextFlowStep(runId: string, edits?: FlowPauseEdits): Promise<FlowRun>;
  cancelFlow(runId: string): Promise<void>;
  /** Redeems a finished run's refresh token (held in the core) as a `refresh` step appended to the run. */
  refreshFlowTokens(runId: string): Promise<void>;
  loadFlowHistory(): Promise<void>;
  /** Shows a run (from the history, say) in the timeline. */
  openFlowRun(runId: string): Promise<void>;
  /** Deletes a finished run from the history (the timeline stops showing it). */
  deleteFlowRun(runId: string): Promise<void>;
  /** A `flows.updated` event. */
  onFlowUpdated(run: FlowRun): void;
}

const FINISHED: ReadonlySet<FlowRun['status']> = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether a run has finished. */
export function isFinished(run: FlowRun): boolean {
  return FINISHED.has(run.status);
}

let historySeq = 0;

/** Creates the flows slice. */
export const createFlowsSlice: SliceCreator<FlowsSlice> = (set, get) => {
  const putRun = (run: FlowRun) => set((s) => ({ flows: { ...s.flows, runs: { ...s.flows.runs, [run.id]: run } } }));
  return {
    flows: { targets: [], targetsLoaded: false, targetsError: null, runs: {}, currentRunId: null, history: [], historyLoaded: false, historyError: null },
    async loadFlowTargets() {
      try {
        const targets = await call('flows.listTargets', {});
        set((s) => ({ flows: { ...s.flows, targets, targetsLoaded: true, targetsError: null } }));
      } catch (e) {
        set((s) => ({ flows: { ...s.flows, targetsError: e } }));
      }
    },
    async saveFlowTarget(input) {
      const saved = await call('flows.saveTarget', input);
      await get().loadFlowTargets();
      return saved;
    },
    async deleteFlowTarget(id) {
      await call('flows.deleteTarget', { id });
      await get().loadFlowTargets();
    },
    async startFlow({ targetId, kind, pkce = true, jarClaims, stepThrough }) {
      const run = await call('flows.start', { targetId, kind, pkce, ...(jarClaims ? { jarClaims } : {}), ...(stepThrough ? { stepThrough } : {}) });
      // An event may already have brought a newer state of this run: keep the newer one.
      set((s) => ({ flows: { ...s.flows, currentRunId: run.id, runs: s.flows.runs[run.id] ? s.flows.runs : { ...s.flows.runs, [run.id]: run } } }));
      return run;
    },
    async nextFlowStep(runId, edits) {
      const before = get().flows.runs[runId];
      const run = await call('flows.next', { runId, ...(edits ? { edits } : {}) });
      // Events are newer than the answer when they arrived meanwhile: keep them.
      if (get().flows.runs[runId] === before) putRun(run);
      return run;
    },
    async cancelFlow(runId) {
      const run = await call('flows.cancel', { runId });
      if (!get().flows.runs[runId] || isFinished(run)) putRun(run);
    },
    async refreshFlowTokens(runId) {
      const run = await call('flows.refresh', { runId });
      // An event may already have brought a newer state (the refresh finished): keep the newer one.
      set((s) => ({
        flows: {
          ...s.flows,
          currentRunId: runId,
          runs:
            isFinished(s.flows.runs[runId] ?? run) && s.flows.runs[runId]?.steps.length === run.steps.length ? s.flows.runs : { ...s.flows.runs, [runId]: run },
        },
      }));
    },
    async loadFlowHistory() {
      const seq = ++historySeq;
      try {
        const history = await call('flows.history', {});
        if (seq !== historySeq) return;
        const sorted = [...history].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
        set((s) => ({ flows: { ...s.flows, history: sorted, historyLoaded: true, historyError: null } }));
      } catch (e) {
        if (seq === historySeq) set((s) => ({ flows: { ...s.flows, historyError: e } }));
      }
    },
    async openFlowRun(runId) {
      const known = get().flows.runs[runId] ?? get().flows.history.find((r) => r.id === runId);
      if (known) {
        set((s) => ({ flows: { ...s.flows, currentRunId: runId, runs: { ...s.flows.runs, [runId]: known } } }));
        return;
      }
      const run = await call('flows.get', { runId });
      set((s) => ({ flows: { ...s.flows, currentRunId: runId, runs: { ...s.flows.runs, [runId]: run } } }));
    },
    async deleteFlowRun(runId) {
      await call('flows.deleteRun', { runId });
      set((s) => {
        const { [runId]: _deleted, ...runs } = s.flows.runs;
        return {
          flows: {
            ...s.flows,
            runs,
            currentRunId: s.flows.currentRunId === runId ? null : s.flows.currentRunId,
            history: s.flows.history.filter((r) => r.id !== runId),
          },
        };
      });
      await get().loadFlowHistory();
    },
    onFlowUpdated(run) {
      putRun(run);
      if (isFinished(run) && get().flows.historyLoaded) void get().loadFlowHistory();
    },
  };
};
