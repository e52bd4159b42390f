import type * as avro from 'avsc';
import { EventSchemaViolationError, type SchemaViolation } from './errors';
import { eventTypeOf } from './event-types';

export type ValidationResult = { valid: true } | { valid: false; violations: SchemaViolation[] };

/**
 * Checks event data against the schema of its type and version, locally, without a registry. Stricter
 * than Avro where Avro would silently change the data: every declared field must be present (no implicit
 * null), and fields the schema does not declare are refused instead of dropped.
 * Throws UnknownEventSchemaError when the catalogue has no such schema.
 */
export function validateEvent(type: string, version: number, data: unknown): ValidationResult {
  const avroType = eventTypeOf(type, version) as avro.types.RecordType;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { valid: false, violations: [{ path: '', message: 'event data must be an object' }] };
  }
  const declared = new Set(avroType.fields.map((field) => field.name));
  const record = data as Record<string, unknown>;
  const violations: SchemaViolation[] = [
    ...[...declared]
      .filter((name) => record[name] === undefined)
      .map((path) => ({ path, message: 'is missing' })),
    ...Object.keys(record)
      .filter((name) => !declared.has(name))
      .map((path) => ({ path, message: 'is not declared in the schema' })),
  ];
  const reported = new Set(violations.map((violation) => violation.path));
  avroType.isValid(data, {
    errorHook: (path, value, fieldType) => {
      const joined = path.join('.');
      if (!reported.has(joined))
        violations.push({ path: joined, message: describeMismatch(value, fieldType) });
    },
  });
  return violations.length === 0 ? { valid: true } : { valid: false, violations };
}

/** Like validateEvent, but throws EventSchemaViolationError listing every violation. */
export function assertValidEvent(type: string, version: number, data: unknown): void {
  const result = validateEvent(type, version, data);
  if (!result.valid) throw new EventSchemaViolationError(type, version, result.violations);
}

function describeMismatch(value: unknown, type: avro.Type): string {
  return `expected ${expectation(type)}, got ${JSON.stringify(value) ?? String(value)}`;
}

function expectation(type: avro.Type): string {
  switch (type.typeName) {
    case 'logical:timestamp-millis':
      return 'a UTC timestamp as Date#toISOString writes it (YYYY-MM-DDTHH:mm:ss.sssZ)';
    case 'logical:uuid':
      return 'a UUID';
    case 'int':
    case 'long':
      return 'a safe integer';
    case 'enum':
      return `one of ${(type as avro.types.EnumType).symbols.join(', ')}`;
    case 'union:unwrapped':
    case 'union:wrapped':
      return (type as avro.types.UnwrappedUnionType).types.map(expectation).join(' or ');
    default:
      return type.typeName;
  }
}
