/**
 * Validates and dispatches one contract operation. Every host (Electron IPC, web bridge, tests) calls
 * this: the operation name and input are `unknown` until the contract's zod schema parses them, and the
 * reply is always a Result, never a thrown error.
 */
import type { OpName, OpOutput, OpParsedInput } from '../../../shared/ipc/contract';
import { isOpName, operations } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { isParleyError, toWireError } from '../../../shared/errors';

/** One core function per operation. */
export type Handlers = { [N in OpName]: (input: OpParsedInput<N>) => Promise<OpOutput<N>> | OpOutput<N> };

/** The handlers of one domain of the contract (`keys` → every `keys.*` operation): what each operations/<domain>.ts builds. */
export type DomainHandlers<D extends string> = Pick<Handlers, Extract<OpName, `${D}.${string}`>>;

/** Dispatches an operation by name. */
export type Dispatch = (name: unknown, input: unknown) => Promise<Result<unknown>>;

/** Builds the dispatcher over a complete handler table. Unexpected errors are logged here and never sent. */
export function createDispatcher(handlers: Handlers, log: (message: string) => void = (m) => console.error(m)): Dispatch {
  return async (name, input) => {
    if (!isOpName(name)) {
      return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation: ${describe(name)}` } };
    }
    const parsed = operations[name].input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
      const first = issues[0];
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `Invalid input for ${name}: ${first ? `${first.path}: ${first.message}` : 'rejected'}`,
          details: { issues },
        },
      };
    }
    try {
      const handler = handlers[name] as (i: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (e) {
      if (!isParleyError(e)) log(`[parley] ${name} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { ok: false, error: toWireError(e) };
    }
  };
}

function describe(name: unknown): string {
  if (typeof name === 'string') return JSON.stringify(name.slice(0, 100));
  return typeof name;
}
