/**
 * What both exports of a run read from it (the replay script, replay.ts, and the exported program,
 * code/plan.ts): the authorization parameters its build step recorded, and the stem of the file name
 * an export is saved under. Pure: no DOM, no Node.
 */
import type { FlowRun, FlowStep } from '../../../../../shared/schemas/flows';

/** The string-valued authorization parameters a step recorded (`detail.parameters`), in the order sent. */
export function recordedParameters(step: FlowStep | undefined): [string, string][] {
  const params = step?.detail?.['parameters'];
  if (typeof params !== 'object' || params === null) return [];
  return Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string');
}

/** The stem of an export's file name: `parley-flow-<kind>`, the kind reduced to characters safe in a file name. */
export function exportFileStem(run: Pick<FlowRun, 'kind'>): string {
  return `parley-flow-${run.kind.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}
