/**
 * The HAR import as a hook: one worker per file (har.worker.ts), its progress, the result or the error,
 * and Cancel (the worker is terminated: a 50 MB JSON.parse cannot be interrupted any other way). Where
 * Worker is unavailable the import runs on the main thread, loaded only then.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HarReadErrorCode } from '../../../../shared/har/har';
import type { HarImport } from '../../../../shared/har/import';
import type { HarProgressReply, HarWorkerReply, HarWorkerRequest } from './har-protocol';
import { MAX_HAR_BYTES } from './har-model';

/** Why a file could not be imported: the reader's codes, plus the panel's own. */
export type HarImportErrorCode = HarReadErrorCode | 'too-large' | 'internal';

/** Where an import is. */
export type HarImportState =
  | { status: 'idle'; cancelled?: boolean }
  | { status: 'busy'; fileName: string; progress: HarProgressReply }
  | { status: 'done'; fileName: string; result: HarImport }
  | { status: 'error'; fileName: string; code: HarImportErrorCode; message: string };

/** Imports HAR files, one at a time (opening another cancels the one under way). */
export function useHarImport(): { state: HarImportState; open: (file: File) => void; cancel: () => void; reset: () => void } {
  const [state, setState] = useState<HarImportState>({ status: 'idle' });
  const worker = useRef<Worker | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const open = useCallback(
    (file: File) => {
      stop();
      const fileName = file.name;
      if (file.size > MAX_HAR_BYTES) {
        setState({ status: 'error', fileName, code: 'too-large', message: `${file.size} > ${MAX_HAR_BYTES}` });
        return;
      }
      setState({ status: 'busy', fileName, progress: { type: 'progress', phase: 'reading', done: 0, total: file.size } });
      let started: Worker;
      try {
        started = new Worker(new URL('./har.worker.ts', import.meta.url), { type: 'module', name: 'parley-har' });
      } catch {
        void onMainThread(file, fileName, setState);
        return;
      }
      worker.current = started;
      started.addEventListener('message', (event: MessageEvent<HarWorkerReply>) => {
        if (worker.current !== started) return;
        const reply = event.data;
        if (reply.type === 'progress') setState({ status: 'busy', fileName, progress: reply });
        else {
          stop();
          setState(
            reply.type === 'done'
              ? { status: 'done', fileName, result: reply.result }
              : { status: 'error', fileName, code: reply.code, message: reply.message },
          );
        }
      });
      started.addEventListener('error', () => {
        if (worker.current !== started) return;
        // The worker could not load (a host without module workers): the same import, here.
        stop();
        void onMainThread(file, fileName, setState);
      });
      // The File is structured-cloned (a reference to the same bytes): the worker reads it, not this thread.
      const request: HarWorkerRequest = { file };
      started.postMessage(request);
    },
    [stop],
  );

  const cancel = useCallback(() => {
    stop();
    setState({ status: 'idle', cancelled: true });
  }, [stop]);
  const reset = useCallback(() => {
    stop();
    setState({ status: 'idle' });
  }, [stop]);
  return { state, open, cancel, reset };
}

async function onMainThread(file: File, fileName: string, setState: (state: HarImportState) => void): Promise<void> {
  try {
    const [{ importHar }, text] = await Promise.all([import('../../../../shared/har/import'), file.text()]);
    setState({ status: 'done', fileName, result: importHar(text) });
  } catch (e) {
    const { HarReadError } = await import('../../../../shared/har/har');
    setState(
      e instanceof HarReadError
        ? { status: 'error', fileName, code: e.code, message: e.message }
        : { status: 'error', fileName, code: 'internal', message: e instanceof Error ? e.message : String(e) },
    );
  }
}
