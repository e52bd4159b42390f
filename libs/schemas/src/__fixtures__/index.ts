import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AvroRecordSchemaJson } from '@ledger/contracts/wire';
import type { SchemaVersion } from '../catalogue';

export type FixtureName =
  | 'base'
  | 'add-field-with-default'
  | 'add-field-without-default'
  | 'change-field-type'
  | 'remove-amount'
  | 'readd-amount-as-string';

/** A fixture schema file as the catalogue would load it, as `version` of one subject. */
export function fixtureVersion(
  name: FixtureName,
  version: number,
  subject = 'fixtures.events-fixtures.schemas.Payment',
) {
  const file = join(__dirname, `${name}.avsc`);
  const text = readFileSync(file, 'utf8');
  const schema = JSON.parse(text) as AvroRecordSchemaJson;
  const entry: SchemaVersion = {
    type: `${schema.namespace}.${schema.name}`,
    namespace: schema.namespace,
    name: schema.name,
    version,
    file,
    text,
    schema,
    topic: subject.split('-')[0],
    subject,
  };
  return entry;
}
