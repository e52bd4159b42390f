import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as avro from 'avsc';
import { topicRecordSubject, type AvroRecordSchemaJson } from '@ledger/contracts/wire';

/** One `.avsc` file: a single version of one event type. */
export interface SchemaVersion {
  /** Wire type, equal to the record's full name, e.g. `ledger.accounts.MoneyDeposited`. */
  type: string;
  namespace: string;
  name: string;
  version: number;
  /** Absolute path of the file. */
  file: string;
  /** The file's text, exactly as committed. */
  text: string;
  schema: AvroRecordSchemaJson;
  topic: string;
  subject: string;
}

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`avro-schemas/ is not well-formed:\n  ${problems.join('\n  ')}`);
    this.name = 'CatalogueError';
  }
}

const FILE_NAME = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.avsc$/;
export const TOPICS_FILE = 'topics.json';

/**
 * Reads every `<namespace>/<Name>.v<N>.avsc` under `dir` plus `topics.json` (namespace -> topic) and
 * checks the conventions the tooling relies on. Returns versions sorted by type, then version.
 */
export function loadCatalogue(dir: string): SchemaVersion[] {
  const problems: string[] = [];
  const topics = readTopics(dir, problems);
  const versions: SchemaVersion[] = [];
  for (const namespace of readdirSync(dir).sort()) {
    if (!statSync(join(dir, namespace)).isDirectory()) continue;
    for (const fileName of readdirSync(join(dir, namespace)).sort()) {
      const loaded = loadFile(join(dir, namespace, fileName), namespace, fileName, topics, problems);
      if (loaded) versions.push(loaded);
    }
  }
  problems.push(...versionGaps(versions));
  if (problems.length > 0) throw new CatalogueError(problems);
  return versions.sort((a, b) => a.type.localeCompare(b.type) || a.version - b.version);
}

function readTopics(dir: string, problems: string[]): Record<string, string> {
  const file = join(dir, TOPICS_FILE);
  if (!existsSync(file)) {
    problems.push(`${TOPICS_FILE} is missing (it maps each namespace to its Kafka topic)`);
    return {};
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

function loadFile(
  file: string,
  namespace: string,
  fileName: string,
  topics: Record<string, string>,
  problems: string[],
): SchemaVersion | undefined {
  const where = `${namespace}/${fileName}`;
  const match = FILE_NAME.exec(fileName);
  if (!match) {
    problems.push(`${where}: file names must look like <RecordName>.v<N>.avsc`);
    return undefined;
  }
  const [, name, version] = match;
  const text = readFileSync(file, 'utf8');
  let schema: AvroRecordSchemaJson;
  try {
    schema = JSON.parse(text) as AvroRecordSchemaJson;
    avro.Type.forSchema(schema as unknown as avro.Schema);
  } catch (error) {
    problems.push(`${where}: not a valid Avro schema (${(error as Error).message})`);
    return undefined;
  }
  const before = problems.length;
  if (schema.type !== 'record') problems.push(`${where}: an event schema must be a record`);
  if (schema.namespace !== namespace)
    problems.push(`${where}: namespace must be "${namespace}" (its folder)`);
  if (schema.name !== name) problems.push(`${where}: record name must be "${name}" (its file name)`);
  if (!schema.doc) problems.push(`${where}: the record needs a doc`);
  for (const field of schema.fields ?? []) {
    if (!field.doc) problems.push(`${where}: field "${field.name}" needs a doc`);
  }
  const topic = topics[namespace];
  if (!topic) problems.push(`${where}: ${TOPICS_FILE} names no topic for namespace "${namespace}"`);
  if (problems.length > before) return undefined;
  const type = `${namespace}.${name}`;
  return {
    type,
    namespace,
    name,
    version: Number(version),
    file,
    text,
    schema,
    topic,
    subject: topicRecordSubject(topic, type),
  };
}

function versionGaps(versions: SchemaVersion[]): string[] {
  const byType = groupByType(versions);
  return [...byType].flatMap(([type, list]) => {
    const numbers = list.map((entry) => entry.version).sort((a, b) => a - b);
    const contiguous = numbers.every((number, index) => number === index + 1);
    return contiguous ? [] : [`${type}: versions must run 1..N without gaps, found ${numbers.join(', ')}`];
  });
}

/** Versions of each event type in ascending order, keyed by wire type. */
export function groupByType(versions: SchemaVersion[]): Map<string, SchemaVersion[]> {
  const byType = new Map<string, SchemaVersion[]>();
  for (const entry of versions) byType.set(entry.type, [...(byType.get(entry.type) ?? []), entry]);
  for (const list of byType.values()) list.sort((a, b) => a.version - b.version);
  return byType;
}
