import { describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../../../electron/core/operations/dispatch';
import type { Handlers } from '../../../../../electron/core/operations/dispatch';
import { ParleyError } from '../../../../../shared/errors';
import { OP_NAMES } from '../../../../../shared/ipc/contract';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const table = Object.fromEntries(OP_NAMES.map((name) => [name, vi.fn(async () => ({ called: name }))])) as unknown as Handlers;
  return { ...table, ...overrides };
}

describe('Contract dispatcher', () => {
  it('refuses an operation name that is not in the contract, without calling anything', async () => {
    const table = handlers();
    const dispatch = createDispatcher(table);
    const result = await dispatch('keys.exfiltrate', {});
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_OPERATION', message: 'Unknown operation: "keys.exfiltrate"' } });
    for (const fn of Object.values(table)) expect(fn).not.toHaveBeenCalled();
  });

  it('refuses a non-string operation name', async () => {
    const result = await createDispatcher(handlers())({ toString: () => 'keys.list' }, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('UNKNOWN_OPERATION');
  });

  it('rejects a payload that fails the schema with INVALID_INPUT naming the field, and never calls the core', async () => {
    const sign = vi.fn();
    const dispatch = createDispatcher(handlers({ 'keys.sign': sign }));
    const result = await dispatch('keys.sign', { id: 'abcdefgh12', header: { alg: 'none' }, payload: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('header.alg');
    }
    expect(sign).not.toHaveBeenCalled();
  });

  it('rejects unknown extra fields (strict schemas)', async () => {
    const result = await createDispatcher(handlers())('vault.lock', { force: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
  });

  it('rejects a delete without the explicit confirmation', async () => {
    const result = await createDispatcher(handlers())('keys.delete', { id: 'abcdefgh12', confirm: false });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('confirm');
  });

  it('passes a ParleyError through with its code and message', async () => {
    const dispatch = createDispatcher(
      handlers({
        'vault.unlock': async () => {
          throw new ParleyError('WRONG_PASSPHRASE', 'The passphrase is wrong.');
        },
      }),
    );
    expect(await dispatch('vault.unlock', { passphrase: 'nope-nope' })).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: 'The passphrase is wrong.' },
    });
  });

  it('maps an unexpected error to INTERNAL and keeps its text off the wire', async () => {
    const log = vi.fn();
    const dispatch = createDispatcher(
      handlers({
        'keys.list': async () => {
          throw new Error('secret detail /home/user/key.pem');
        },
      }),
      log,
    );
    const result = await dispatch('keys.list', {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(JSON.stringify(result)).not.toContain('secret detail');
    }
    expect(log).toHaveBeenCalledWith(expect.stringContaining('secret detail'));
  });

  it('returns the handler value for a valid call', async () => {
    const result = await createDispatcher(handlers())('keys.list', {});
    expect(result).toEqual({ ok: true, value: { called: 'keys.list' } });
  });
});
