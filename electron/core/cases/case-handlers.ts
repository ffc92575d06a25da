/** The contract's `cases.*` operations: export a finished run as a case file, preview an import, import one and replay it. */
import type { Handlers } from '../host/dispatch';
import type { CaseExportDeps } from './case-export';
import { exportCase } from './case-export';
import type { CaseImportDeps } from './case-import';
import { importCase, previewCase } from './case-import';

type CaseHandlers = Pick<Handlers, Extract<keyof Handlers, `cases.${string}`>>;

/** Builds the `cases.*` handlers. */
export function caseHandlers(exportDeps: CaseExportDeps, importDeps: CaseImportDeps): CaseHandlers {
  return {
    'cases.export': ({ runId }) => exportCase(exportDeps, runId),
    'cases.preview': ({ json }) => previewCase(importDeps, json),
    'cases.import': ({ json, replaceClient }) => importCase(importDeps, json, { replaceClient }),
  };
}
