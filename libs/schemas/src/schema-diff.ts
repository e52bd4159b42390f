import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as avro from 'avsc';

type FieldJson = { name: string; type: unknown; default?: unknown };
type RecordJson = { name: string; namespace?: string; fields: FieldJson[] };

/** Every version of one event type (`<namespace>.<Name>`) in the schemas directory, by version number. */
export function schemaVersionsOf(dir: string, type: string): Map<number, RecordJson> {
  const dot = type.lastIndexOf('.');
  const namespace = type.slice(0, dot);
  const name = type.slice(dot + 1);
  const versions = new Map<number, RecordJson>();
  if (dot < 1 || !existsSync(join(dir, namespace))) return versions;
  for (const file of readdirSync(join(dir, namespace))) {
    const match = new RegExp(`^${name}\\.v([1-9][0-9]*)\\.avsc$`).exec(file);
    if (match)
      versions.set(
        Number(match[1]),
        JSON.parse(readFileSync(join(dir, namespace, file), 'utf8')) as RecordJson,
      );
  }
  return versions;
}

export interface SchemaDiff {
  added: Array<{ field: string; type: unknown; default?: unknown }>;
  removed: Array<{ field: string; type: unknown }>;
  changed: Array<{ field: string; from: unknown; to: unknown }>;
  /** `to` reads data written with `from` (what the registry's BACKWARD checks); else why not. */
  backward: { compatible: boolean; reason?: string };
  /** `from` reads data written with `to` (old consumers keep working); else why not. */
  forward: { compatible: boolean; reason?: string };
}

/** Field by field, and both directions of Avro schema resolution (avsc's resolver, as the registry). */
export function diffSchemas(from: RecordJson, to: RecordJson): SchemaDiff {
  const before = new Map(from.fields.map((field) => [field.name, field]));
  const after = new Map(to.fields.map((field) => [field.name, field]));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    added: to.fields
      .filter((field) => !before.has(field.name))
      .map((field) => ({
        field: field.name,
        type: field.type,
        ...('default' in field ? { default: field.default } : {}),
      })),
    removed: from.fields
      .filter((field) => !after.has(field.name))
      .map((field) => ({ field: field.name, type: field.type })),
    changed: to.fields
      .filter((field) => before.has(field.name))
      .map((field) => ({ field: field.name, old: before.get(field.name)!, next: field }))
      .filter(({ old, next }) => !same(old.type, next.type) || !same(old.default, next.default))
      .map(({ field, old, next }) => ({
        field,
        from: { type: old.type, default: old.default },
        to: { type: next.type, default: next.default },
      })),
    backward: resolves(to, from),
    forward: resolves(from, to),
  };
}

function resolves(reader: RecordJson, writer: RecordJson): { compatible: boolean; reason?: string } {
  try {
    const parse = (schema: RecordJson) => avro.Type.forSchema(schema as unknown as avro.Schema);
    parse(reader).createResolver(parse(writer));
    return { compatible: true };
  } catch (error) {
    return { compatible: false, reason: (error as Error).message };
  }
}
