/**
 * The HAR import worker: reads a dropped or picked file (50 MB and more) and runs the import
 * (shared/har/import.ts: one JSON.parse, then the entries in chunks, secrets stripped) off the main
 * thread, posting progress between chunks. zod, which reads each entry, is loaded here only, never in the
 * screen's chunk. Cancel is the page terminating the worker; nothing here needs to listen for it.
 * Loaded as a same-origin module file, which the `script-src 'self'` CSP allows.
 */
import { HarReadError } from '../../../../shared/har/har';
import { importHarSteps } from '../../../../shared/har/import';
import type { HarWorkerReply, HarWorkerRequest } from './har-protocol';

const scope = self as unknown as {
  postMessage(message: HarWorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HarWorkerRequest>) => void): void;
};

scope.addEventListener('message', (event) => {
  void run(event.data);
});

async function run({ file }: HarWorkerRequest): Promise<void> {
  try {
    scope.postMessage({ type: 'progress', phase: 'reading', done: 0, total: file.size });
    const text = await file.text();
    scope.postMessage({ type: 'progress', phase: 'parsing', done: 0, total: 0 });
    const steps = importHarSteps(text);
    for (;;) {
      const next = steps.next();
      if (next.done) {
        scope.postMessage({ type: 'done', result: next.value });
        return;
      }
      scope.postMessage({ type: 'progress', ...next.value });
    }
  } catch (e) {
    scope.postMessage(
      e instanceof HarReadError
        ? { type: 'error', code: e.code, message: e.message }
        : { type: 'error', code: 'internal', message: e instanceof Error ? e.message : String(e) },
    );
  }
}
