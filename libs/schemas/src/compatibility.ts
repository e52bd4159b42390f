import * as avro from 'avsc';
import type { AvroRecordSchemaJson } from '@ledger/contracts/wire';
import { groupByType, type SchemaVersion } from './catalogue';

/** Why a newer schema version cannot read data written with an older one. */
export interface CompatibilityProblem {
  type: string;
  reader: number;
  writer: number;
  reason: string;
}

/**
 * Returns why `reader` cannot decode data written with `writer`, or undefined when it can.
 * This is Avro schema resolution: the same rule the registry applies for BACKWARD compatibility.
 */
export function readerCannotRead(
  reader: AvroRecordSchemaJson,
  writer: AvroRecordSchemaJson,
): string | undefined {
  try {
    parse(reader).createResolver(parse(writer));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * BACKWARD_TRANSITIVE over the files in the tree: every version of an event type must read data written
 * with every earlier version, not just the one before it.
 */
export function checkBackwardTransitive(versions: SchemaVersion[]): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const [type, list] of groupByType(versions)) {
    for (const [index, reader] of list.entries()) {
      for (const writer of list.slice(0, index)) {
        const reason = readerCannotRead(reader.schema, writer.schema);
        if (reason) problems.push({ type, reader: reader.version, writer: writer.version, reason });
      }
    }
  }
  return problems;
}

export function describeCompatibilityProblem({ type, reader, writer, reason }: CompatibilityProblem): string {
  return `${type} v${reader} cannot read events written as v${writer} (BACKWARD_TRANSITIVE): ${reason}`;
}

function parse(schema: AvroRecordSchemaJson): avro.Type {
  return avro.Type.forSchema(schema as unknown as avro.Schema);
}
