/**
 * What is being generated right now. The core's `jobs.progress` events are the primary source; a
 * generation this window started shows at once, before its first event, and lends its name to the
 * event's job once that arrives (the contract does not correlate a call with its job id, so they pair
 * in order).
 */
import { useShallow } from 'zustand/react/shallow';
import type { KeySpec } from '../../../../shared/schemas/keys';
import { useAppStore } from '../../state/store';

/** One in-progress generation. */
export interface GenerationRow {
  id: string;
  /** The key name, when this window started the generation. */
  name: string | null;
  /** The spec, when this window started the generation. */
  spec: KeySpec | null;
  /** The core's label for the job ("RSA 4096"), when it has reported one. */
  coreLabel: string | null;
}

/** The generations in progress, for the list placeholder rows and the sidebar indicator. */
export function useGenerationRows(): GenerationRow[] {
  const { running, pending } = useAppStore(useShallow((s) => ({ running: s.jobs.running, pending: s.jobs.pending })));
  const jobs = Object.values(running).filter((j) => j.kind === 'generate-key');
  const rows: GenerationRow[] = jobs.map((job, i) => {
    const local = pending[i];
    return { id: `job:${job.jobId}`, name: local?.name ?? null, spec: local?.spec ?? null, coreLabel: job.label };
  });
  for (const local of pending.slice(jobs.length)) rows.push({ id: `local:${local.id}`, name: local.name, spec: local.spec, coreLabel: null });
  return rows;
}

/** The text that names a row: the key name, else the core's label. */
export function generationRowLabel(row: GenerationRow): string {
  return row.name ?? row.coreLabel ?? '';
}
