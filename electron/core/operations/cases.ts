/** The contract's `cases.*` operations: export a finished run as a case file, preview an import, import one and replay it. */
import { exportCase } from '../cases/case-export';
import type { CaseExportDeps } from '../cases/case-export';
import { importCase, previewCase } from '../cases/case-import';
import type { CaseImportDeps } from '../cases/case-import';
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `cases.*` handlers. */
export function casesOperations({
  info,
  flows,
  flowTargets,
  server,
  vault,
  log,
}: Pick<OperationDeps, 'info' | 'flows' | 'flowTargets' | 'server' | 'vault' | 'log'>): DomainHandlers<'cases'> {
  const exportDeps: CaseExportDeps = {
    version: info.version,
    runs: flows,
    targets: flowTargets,
    directory: server.directory,
    settings: () => server.settingsStore.get(),
    vault,
  };
  const importDeps: CaseImportDeps = { server, ...(log ? { log } : {}) };
  return {
    'cases.export': ({ runId }) => exportCase(exportDeps, runId),
    'cases.preview': ({ json }) => previewCase(importDeps, json),
    'cases.import': ({ json, replaceClient }) => importCase(importDeps, json, { replaceClient }),
  };
}
