import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiError } from '../../../../../renderer/src/api/client';
import { describeError } from '../../../../../renderer/src/i18n/errors';

// A t() that echoes its key shows which catalogue entry was chosen.
const t = ((key: string) => key) as unknown as TFunction;

describe('Error messages › from ApiError codes', () => {
  it('translates a wrong passphrase without repeating the core message', () => {
    const text = describeError(t, new ApiError({ code: 'WRONG_PASSPHRASE', message: 'wrong passphrase' }));
    expect(text).toEqual({ message: 'errors.WRONG_PASSPHRASE', detail: null });
  });

  it("keeps the core's message as detail when it says what failed", () => {
    const text = describeError(t, new ApiError({ code: 'MALFORMED_KEY', message: 'The "PRIVATE KEY" block is not a valid PKCS#8 private key.' }));
    expect(text).toEqual({ message: 'errors.MALFORMED_KEY', detail: 'The "PRIVATE KEY" block is not a valid PKCS#8 private key.' });
  });

  it("shows the embedded server's Management API message word for word", () => {
    const error = new ApiError({
      code: 'SERVER_REJECTED',
      message: "Payload validation error: 'Array is too long (3), maximum 2' on property signed_request_object.credentials",
    });
    expect(describeError(t, error)).toEqual({
      message: "Payload validation error: 'Array is too long (3), maximum 2' on property signed_request_object.credentials",
      detail: null,
    });
  });

  it("falls back to the core's message for a code this renderer does not know", () => {
    const error = new ApiError({ code: 'SOMETHING_NEW' as never, message: 'A newer core said this.' });
    expect(describeError(t, error)).toEqual({ message: 'A newer core said this.', detail: null });
  });

  it('describes a non-API error as unexpected, with its message as detail', () => {
    expect(describeError(t, new TypeError('x is undefined'))).toEqual({ message: 'errors.unexpected', detail: 'x is undefined' });
    expect(describeError(t, 'weird')).toEqual({ message: 'errors.unexpected', detail: null });
  });
});
