/** The one error a flow step throws on purpose: a closed code and a plain sentence (the run shows both). */
import type { FlowErrorCode, FlowExchange } from '../../../shared/schemas/flows';

/** A step failure with a stable code; the exchange that led to it, when there was one, is kept. */
export class FlowStepError extends Error {
  override readonly name = 'FlowStepError';
  readonly code: FlowErrorCode;
  readonly exchange: FlowExchange | undefined;

  constructor(code: FlowErrorCode, message: string, options?: { cause?: unknown; exchange?: FlowExchange }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exchange = options?.exchange;
  }
}
