import { DomainErrorCode, isDomainError } from '@eos/domain';
import { textField } from './request-fields';

function refusalOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('textField', () => {
  it('trims, bounds and makes optional text null when empty', () => {
    expect(textField('  kitchen closed ', 'reason', 200, false)).toBe('kitchen closed');
    expect(textField('   ', 'note', 500, true)).toBeNull();
    expect(refusalOf(() => textField('', 'reason', 200, false))).toBe(DomainErrorCode.ValidationFailed);
    expect(refusalOf(() => textField('x'.repeat(201), 'reason', 200, false))).toBe(
      DomainErrorCode.ValidationFailed,
    );
    expect(textField('🍜'.repeat(200), 'reason', 200, false)).toBe('🍜'.repeat(200));
  });

  // Found by the input fuzzing: Postgres refuses U+0000 in text, so RejectOrder and
  // ReportException with one in the reason or note ended INTERNAL.
  it('refuses a NUL anywhere in the text with VALIDATION_FAILED (INVALID_ARGUMENT)', () => {
    for (const text of ['\u0000', 'a\u0000b', ' gate\u0000locked ']) {
      expect(refusalOf(() => textField(text, 'note', 500, true))).toBe(DomainErrorCode.ValidationFailed);
    }
  });
});
