import type { AvroFieldJson, AvroRecordSchemaJson, AvroSchemaJson } from '@ledger/contracts/wire';

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  string: 'string',
};

/**
 * Renders the domain-facing TypeScript shape of an event record. Timestamps (`long` +
 * `timestamp-millis`) become ISO-8601 strings because that is what the codec hands to and takes from the
 * domain; `long` stays `number` (the codec refuses values beyond Number.MAX_SAFE_INTEGER).
 */
export function renderInterface(
  interfaceName: string,
  schema: AvroRecordSchemaJson,
  version: number,
): string {
  const where = `${schema.namespace}.${schema.name} v${version}`;
  const enums = new Map<string, string>();
  const fields = schema.fields.map((field) => renderField(field, where, enums));
  return [
    jsDoc(`${schema.namespace}.${schema.name} v${version}: ${schema.doc}`, ''),
    `export interface ${interfaceName} {`,
    ...fields,
    '}',
  ].join('\n');
}

function renderField(field: AvroFieldJson, where: string, enums: Map<string, string>): string {
  return `${jsDoc(field.doc, '  ')}\n  readonly ${field.name}: ${tsType(field.type, `${where} ${field.name}`, enums)};`;
}

function tsType(schema: AvroSchemaJson, where: string, enums: Map<string, string>): string {
  if (typeof schema === 'string') {
    const named = PRIMITIVES[schema] ?? enums.get(schema);
    if (!named) throw new Error(`${where}: type "${schema}" has no TypeScript mapping`);
    return named;
  }
  if (Array.isArray(schema)) {
    return (schema as readonly AvroSchemaJson[]).map((branch) => tsType(branch, where, enums)).join(' | ');
  }
  const complex = schema as { readonly type: AvroSchemaJson; readonly [attribute: string]: unknown };
  if (complex.type === 'long' && complex.logicalType === 'timestamp-millis') return 'string';
  switch (complex.type) {
    case 'enum': {
      const literal = (complex.symbols as string[]).map((symbol) => `'${symbol}'`).join(' | ');
      enums.set(complex.name as string, literal);
      return literal;
    }
    case 'array':
      return `readonly (${tsType(complex.items as AvroSchemaJson, where, enums)})[]`;
    case 'map':
      return `Readonly<Record<string, ${tsType(complex.values as AvroSchemaJson, where, enums)}>>`;
    case 'record':
      throw new Error(`${where}: nested records are not supported in event schemas; flatten the fields`);
    default:
      return tsType(complex.type, where, enums);
  }
}

function jsDoc(text: string, indent: string): string {
  return `${indent}/** ${text.replace(/\*\//g, '*\\/')} */`;
}
