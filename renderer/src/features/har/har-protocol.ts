/** The messages between the HAR panel and its worker (types only: no code, so either side may import it). */
import type { HarReadErrorCode } from '../../../../shared/har/har';
import type { HarImport } from '../../../../shared/har/import';

/** Read this file. */
export interface HarWorkerRequest {
  file: Blob;
}

/** Where the import is: reading the file, parsing its JSON (no count), then the two passes over entries. */
export interface HarProgressReply {
  type: 'progress';
  phase: 'reading' | 'parsing' | 'discovery' | 'exchanges';
  done: number;
  total: number;
}

/** A worker's answer. */
export type HarWorkerReply =
  | HarProgressReply
  | { type: 'done'; result: HarImport }
  /** `code` is the HarReadError's, or `internal` for anything else; `message` names the problem (English, from shared/har). */
  | { type: 'error'; code: HarReadErrorCode | 'internal'; message: string };
