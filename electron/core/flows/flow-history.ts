/**
 * Finished runs in `flow-history.json` (no secrets: runs only ever hold redacted exchanges, and each run is
 * redacted again on the way in and when the file is opened, so a history written by an older version loses
 * its codes, verifiers and access-token signatures), newest last, at most 100.
 */
import { z } from 'zod';
import { ParleyError } from '../../../shared/errors';
import type { FlowRun } from '../../../shared/schemas/flows';
import { flowRunSchema } from '../../../shared/schemas/flows';
import type { Document, DocumentStoreFactory } from '../store/document-store';
import { openDocument } from '../store/document-store';
import { redactRun } from './redact';
import type { StoreNotice } from '../../../shared/schemas/app';

/** How many finished runs are kept. */
export const HISTORY_LIMIT = 100;

const historySchema = z.object({ version: z.literal(1), runs: z.array(flowRunSchema) });
type HistoryDocument = z.infer<typeof historySchema>;

/** The history of finished runs. */
export class FlowHistory {
  readonly #doc: Document<HistoryDocument>;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(store, 'flow-history', historySchema, () => ({ version: 1 as const, runs: [] }), notices);
    const runs = this.#doc.value.runs as FlowRun[];
    const scrubbed = runs.map(redactRun);
    if (JSON.stringify(scrubbed) !== JSON.stringify(runs)) this.#doc.save({ ...this.#doc.value, runs: scrubbed });
  }

  /** Every kept run, newest first. */
  list(): FlowRun[] {
    return [...this.#doc.value.runs].reverse() as FlowRun[];
  }

  /** A kept run, if any. */
  get(id: string): FlowRun | undefined {
    return this.#doc.value.runs.find((r) => r.id === id) as FlowRun | undefined;
  }

  /** Adds a finished run, dropping the oldest beyond the limit. */
  add(run: FlowRun): void {
    const runs = [...this.#doc.value.runs.filter((r) => r.id !== run.id), redactRun(run)];
    this.#doc.save({ ...this.#doc.value, runs: runs.slice(Math.max(0, runs.length - HISTORY_LIMIT)) });
  }

  /** Deletes a kept run. */
  delete(id: string): { deleted: string } {
    if (!this.#doc.value.runs.some((r) => r.id === id)) throw new ParleyError('NOT_FOUND', `No flow run with id ${JSON.stringify(id)} in the history.`);
    this.#doc.save({ ...this.#doc.value, runs: this.#doc.value.runs.filter((r) => r.id !== id) });
    return { deleted: id };
  }
}
