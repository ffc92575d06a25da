/**
 * Long-running jobs (RSA 4096 generation takes seconds). The core reports them with `jobs.progress`
 * events; generations this window started are also tracked locally, so the indicator appears at once
 * even before the first event arrives.
 */
import type { JobProgress, KeySpec } from '../../../shared/schemas/keys';
import type { SliceCreator } from './types';

/** A generation this window asked for and is waiting on. */
export interface PendingGeneration {
  id: string;
  name: string;
  spec: KeySpec;
}

/** Jobs state and actions. */
export interface JobsSlice {
  jobs: {
    /** Running jobs reported by the core, by job id. Finished jobs are removed. */
    running: Record<string, JobProgress>;
    pending: PendingGeneration[];
  };
  onJobProgress(progress: JobProgress): void;
  addPendingGeneration(pending: PendingGeneration): void;
  removePendingGeneration(id: string): void;
}

/** Creates the jobs slice. */
export const createJobsSlice: SliceCreator<JobsSlice> = (set) => ({
  jobs: { running: {}, pending: [] },
  onJobProgress(progress) {
    set((s) => {
      const running = { ...s.jobs.running };
      if (progress.state === 'running') running[progress.jobId] = progress;
      else delete running[progress.jobId];
      return { jobs: { ...s.jobs, running } };
    });
  },
  addPendingGeneration(pending) {
    set((s) => ({ jobs: { ...s.jobs, pending: [...s.jobs.pending, pending] } }));
  },
  removePendingGeneration(id) {
    set((s) => ({ jobs: { ...s.jobs, pending: s.jobs.pending.filter((p) => p.id !== id) } }));
  },
});
