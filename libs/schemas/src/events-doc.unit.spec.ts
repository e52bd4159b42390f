import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { groupByType } from './catalogue';
import { findSchemasDir } from './location';
import { loadSchemas } from './register';

// docs/events.md is written for readers; this keeps its tables true to avro-schemas/: every event type
// listed once, with its current version and the current schema's fields in order.

interface DocRow {
  type: string;
  version: number;
  fields: string[];
}

/** `| \`type\` | v | fields |` rows; a field is the name before any parenthesised note. */
function documentedEvents(markdown: string): DocRow[] {
  return markdown
    .split('\n')
    .map((line) => /^\|\s*`([\w.]+)`\s*\|\s*(\d+)\s*\|(.*)\|\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, type, version, fields]) => ({
      type,
      version: Number(version),
      fields: withoutNotes(fields)
        .split(',')
        .map((field) => field.trim()),
    }));
}

/** Drops `( ... )` notes, which may nest and hold commas. */
function withoutNotes(text: string): string {
  let depth = 0;
  let kept = '';
  for (const char of text) {
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0) kept += char;
  }
  return kept;
}

describe('docs/events.md', () => {
  const doc = readFileSync(join(dirname(findSchemasDir()), 'docs', 'events.md'), 'utf8');
  const documented = documentedEvents(doc);
  const current = [...groupByType(loadSchemas()).values()].map((versions) => versions[versions.length - 1]);

  it('lists every event type of the schemas once, and nothing else', () => {
    expect(documented.map((row) => row.type).sort()).toEqual(current.map((entry) => entry.type).sort());
  });

  it.each(current.map((entry) => [entry.type, entry] as const))(
    'shows %s at its current version with its fields in schema order',
    (type, entry) => {
      const row = documented.find((candidate) => candidate.type === type);
      expect(row).toEqual({ type, version: entry.version, fields: entry.schema.fields.map((f) => f.name) });
    },
  );

  it('reads a field list the way the tables write it', () => {
    expect(
      documentedEvents(
        '| `a.B` | 2 | x, y (long, > 0; v2 adds it, default 1 (for v1)), z (`p` or `q`) |\n| event | v | fields |',
      ),
    ).toEqual([{ type: 'a.B', version: 2, fields: ['x', 'y', 'z'] }]);
  });
});
