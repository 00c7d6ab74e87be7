import 'reflect-metadata';
import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { MAX_INPUT_DEPTH, nestsDeeperThan, strictValidationPipe, unstorableText } from './validation.pipe';

class LineDto {
  @IsInt()
  quantity!: number;
}

class CartDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  items!: LineDto[];

  @IsOptional()
  @IsString()
  note?: string;

  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

const asBody: ArgumentMetadata = { type: 'body', metatype: CartDto };

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('strictValidationPipe', () => {
  it('measures nesting without recursion', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan([], 0)).toBe(true);
    expect(nestsDeeperThan(nested(3), 3)).toBe(false);
    expect(nestsDeeperThan(nested(4), 3)).toBe(true);
    expect(nestsDeeperThan(nested(200_000), MAX_INPUT_DEPTH)).toBe(true);
  });

  // Found by the input fuzzing: class-transformer overflowed the stack on such a body, answering 500.
  it('refuses a body nested thousands of levels deep with 400 VALIDATION_FAILED, not a stack overflow', async () => {
    const pipe = strictValidationPipe();
    for (const body of [
      nested(30_000),
      { items: nested(5_000) },
      { items: [{ quantity: nested(10_000) }] },
    ]) {
      const refusal = await pipe.transform(body, asBody).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(BadRequestException);
      expect((refusal as BadRequestException).getResponse()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('finds NUL and lone surrogates in any string, key or value, at any depth', () => {
    expect(unstorableText({ a: ['x', { b: 'y 🍜 中' }] })).toBeNull();
    expect(unstorableText({ a: ['x', { b: 'y\u0000' }] })).toContain('NUL');
    expect(unstorableText({ 'k\u0000': 1 })).toContain('NUL');
    expect(unstorableText('\ud800')).toContain('surrogate');
    expect(unstorableText(['x\udfffy'])).toContain('surrogate');
    expect(unstorableText('\ud83c\udf5c')).toBeNull();
  });

  // Found by the input fuzzing: Postgres refuses U+0000 in text and jsonb, and a lone surrogate in
  // jsonb (an order's address), which answered 500.
  it('refuses NUL and lone surrogates in a validated body or query with 400 VALIDATION_FAILED, and leaves params to their own checks', async () => {
    const pipe = strictValidationPipe();
    const asQuery: ArgumentMetadata = { type: 'query', metatype: CartDto };
    for (const [input, metadata] of [
      [{ items: [], note: 'a\u0000b' }, asBody],
      [{ items: [], details: { note: { deep: ['\u0000'] } } }, asBody],
      [{ items: [], details: { 'key\u0000': 1 } }, asBody],
      [{ items: [], note: '\u0000' }, asQuery],
      [{ items: [], details: { line1: 'x\udfffy' } }, asBody],
      [{ items: [], note: '\ud800' }, asQuery],
    ] as const) {
      const refusal = await pipe.transform(input, metadata).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(BadRequestException);
      expect((refusal as BadRequestException).getResponse()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(pipe.transform('1\u00002', { type: 'param', metatype: String })).resolves.toBe('1\u00002');
  });

  it('still validates ordinary input as before', async () => {
    const pipe = strictValidationPipe();
    await expect(pipe.transform({ items: [{ quantity: 2 }] }, asBody)).resolves.toBeInstanceOf(CartDto);
    await expect(pipe.transform({ items: [{ quantity: 'x' }] }, asBody)).rejects.toBeInstanceOf(
      BadRequestException,
    );
  });
});
