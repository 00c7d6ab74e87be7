import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

interface ConstraintContext {
  code?: string;
}

function flatten(errors: ValidationError[], path = ''): { message: string; code?: string }[] {
  const out: { message: string; code?: string }[] = [];
  for (const error of errors) {
    const where = path ? `${path}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const context = error.contexts?.[constraint] as ConstraintContext | undefined;
      const text = error.property && !message.startsWith(where) ? `${where}: ${message}` : message;
      out.push({ message: text, code: context?.code });
    }
    if (error.children?.length) out.push(...flatten(error.children, where));
  }
  return out;
}

/** Deeper than any input of the contract (a body, its items, their fields) by a wide margin. */
export const MAX_INPUT_DEPTH = 32;

/** Whether arrays and objects nest deeper than `limit` in `value`; iterative, so any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

// A surrogate without its pair: JSON can carry one as an escape, but it is no character.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What makes text in `value` (any string, key or value, at any depth) impossible to store, or
 * null: Postgres keeps no U+0000 in text or jsonb, and jsonb refuses a lone surrogate. Iterative.
 */
export function unstorableText(value: unknown): string | null {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return 'a NUL character (U+0000)';
      if (LONE_SURROGATE.test(node)) return 'a lone UTF-16 surrogate, which is no character';
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) pending.push(key, child);
    }
  }
  return null;
}

function invalidInput(message: string): BadRequestException {
  return new BadRequestException({ message, code: 'VALIDATION_FAILED' });
}

/**
 * Two refusals class-validator cannot make, both of input that used to answer 500 (found by the
 * input fuzzing). class-transformer and class-validator walk an input recursively: JSON nested a
 * few thousand levels deep (a 64 KiB body holds 30,000) overflows the stack inside them, so such
 * input is refused before they see it. And Postgres stores no U+0000 in text or jsonb, nor a lone
 * surrogate in jsonb: a body or query that passed validation with such text in any string is
 * refused before it reaches a statement (after validation, so a malformed id keeps its code).
 */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only what the client sent: custom parameters (the authenticated principal) are the app's own.
    const fromClient = metadata.type === 'body' || metadata.type === 'query';
    if (fromClient && nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
      throw invalidInput(`the request ${metadata.type} nests deeper than ${MAX_INPUT_DEPTH} levels`);
    }
    const validated: unknown = await super.transform(value, metadata);
    const unstorable = fromClient ? unstorableText(validated) : null;
    if (unstorable) {
      throw invalidInput(`the request ${metadata.type} holds ${unstorable}, which no text may contain`);
    }
    return validated;
  }
}

/**
 * class-validator on every input: unknown fields refused, nothing converted implicitly; no body or
 * query nested deeper than MAX_INPUT_DEPTH or holding a NUL or a lone surrogate. A constraint may
 * carry `context: { code }` so the client gets a precise code such as QUANTITY_OUT_OF_RANGE rather
 * than the generic VALIDATION_FAILED.
 */
export function strictValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      if (problems.length === 0) problems.push({ message: 'the request body must be a JSON object' });
      // A precise code only when every problem is of that one kind; a mix is VALIDATION_FAILED.
      const codes = new Set(problems.map((problem) => problem.code ?? 'VALIDATION_FAILED'));
      const code = codes.size === 1 ? [...codes][0] : 'VALIDATION_FAILED';
      return new BadRequestException({
        message: problems.map((problem) => problem.message).join('; '),
        code,
      });
    },
  });
}
