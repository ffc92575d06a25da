/**
 * Errors that cross a boundary (IPC, web bridge) carry a stable string `code` from this closed union,
 * a human message, and optional structured details. Electron drops everything but `message` from thrown
 * errors, so hosts always return `{ ok: false, error: WireError }` instead of throwing across the boundary.
 */
export const ERROR_CODES = [
  // contract
  'UNKNOWN_OPERATION',
  'INVALID_INPUT',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  // hosts (web bridge)
  'UNAUTHORIZED',
  'FORBIDDEN_HOST',
  'FORBIDDEN_ORIGIN',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_FOUND',
  // the renderer's own: the app window has no bridge to the core (its preload did not load)
  'BRIDGE_MISSING',
  // vault
  'VAULT_NOT_INITIALIZED',
  'VAULT_ALREADY_INITIALIZED',
  'VAULT_LOCKED',
  'WRONG_PASSPHRASE',
  'TOO_MANY_ATTEMPTS',
  'PASSPHRASE_REQUIRED',
  'PROTECTOR_UNAVAILABLE',
  'KEY_NOT_FOUND',
  'KEY_HAS_NO_PRIVATE_PART',
  'DUPLICATE_KEY',
  'MALFORMED_KEY',
  'UNSUPPORTED_KEY',
  'KEY_TOO_SMALL',
  'UNSUPPORTED_ALG',
  'CONFIRMATION_REQUIRED',
  'DECRYPT_FAILED',
  'STORE_UNAVAILABLE',
  // embedded server
  'SERVER_NOT_RUNNING',
  'SERVER_REJECTED',
] as const;

/** A stable machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The shape of an error on the wire (IPC reply or web-bridge response). */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The one error class core operations throw on purpose; anything else is mapped to INTERNAL. */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** True for a ParleyError, also across realms where `instanceof` fails. */
export function isParleyError(e: unknown): e is ParleyError {
  return e instanceof ParleyError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ParleyError');
}

/**
 * The one function that decides what a caller may see of an error: a ParleyError as it is, anything
 * else as a generic INTERNAL error (the detail stays in the host's log, never on the wire).
 */
export function toWireError(e: unknown): WireError {
  if (isParleyError(e)) {
    return e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details };
  }
  return { code: 'INTERNAL', message: 'An unexpected error occurred. Details are in the application log.' };
}
