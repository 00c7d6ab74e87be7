import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

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

/**
 * class-validator on every input: unknown fields refused, nothing converted implicitly. A
 * constraint may carry `context: { code }` so the client gets a precise code such as
 * QUANTITY_OUT_OF_RANGE rather than the generic VALIDATION_FAILED.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
