import { ValidateBy, ValidationOptions } from 'class-validator';

const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;
const MAX_INT64 = (1n << 63n) - 1n;

/** Ids travel as decimal strings of positive int64s: a longer one would fail in Postgres, not here. */
export function isDecimalId(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_ID.test(value) && BigInt(value) <= MAX_INT64;
}

/** A decimal int64 id string; a bad one is 400 INVALID_ID. */
export function IsDecimalId(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimalId',
      validator: {
        validate: (value: unknown) => isDecimalId(value),
        defaultMessage: () => '$property must be a decimal id string',
      },
    },
    { context: { code: 'INVALID_ID' }, ...validationOptions },
  );
}
