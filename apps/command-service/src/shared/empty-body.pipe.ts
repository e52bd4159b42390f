import { BadRequestException, PipeTransform } from '@nestjs/common';
import { cappedErrors, problem } from '@ledger/http';

/** For commands without fields: no body or `{}` passes; any field is refused like an unknown field. */
export class EmptyBodyPipe implements PipeTransform {
  transform(value: unknown): Record<string, never> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0) {
      const fields = typeof value === 'object' && value !== null ? Object.keys(value) : ['(body)'];
      throw new BadRequestException(
        problem(400, {
          code: 'VALIDATION_FAILED',
          detail: 'this command takes no fields',
          ...cappedErrors(fields.map((field) => ({ field, message: `property ${field} should not exist` }))),
        }),
      );
    }
    return {};
  }
}
