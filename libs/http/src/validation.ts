import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { cappedErrors } from './body-rules';
import { problem } from './problem';

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Strict input validation: unknown fields, wrong types and values out of range are refused with a
 * 400 problem listing the offending fields (the first MAX_LISTED_ERRORS of them, and how many more).
 * Nothing is coerced implicitly.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new BadRequestException(
        problem(400, {
          code: 'VALIDATION_FAILED',
          detail: 'the request is invalid',
          ...cappedErrors(flatten(errors)),
        }),
      ),
  });
}
