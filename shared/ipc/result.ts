import type { WireError } from '../errors';

/** What every host returns for an operation: never a thrown error across the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };
