import { diffSchemas, findSchemasDir, schemaVersionsOf } from '@ledger/schemas';
import type { Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';

function parseVersion(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`not a schema version: ${value}`);
  return Number(value);
}

/** What changed between two versions of an event type in avro-schemas/, and whether each reads the other. */
function diff(out: Output, type: string, options: { from?: number; to?: number }) {
  const versions = schemaVersionsOf(findSchemasDir(), type);
  if (versions.size === 0)
    throw new UsageError(`no event type "${type}" in avro-schemas/ (e.g. ledger.accounts.AccountOpened)`);
  const latest = Math.max(...versions.keys());
  const to = options.to ?? latest;
  const from = options.from ?? Math.max(1, to - 1);
  for (const version of [to, from]) {
    if (!versions.has(version))
      throw new UsageError(
        `${type} has no v${version}; versions: ${[...versions.keys()].sort((a, b) => a - b).join(', ')}`,
      );
  }
  const result = { type, from, to, ...diffSchemas(versions.get(from)!, versions.get(to)!) };
  out.result(result, () => {
    out.info(`${type} v${from} → v${to}`);
    for (const field of result.added)
      out.info(
        `  + ${field.field}: ${JSON.stringify(field.type)}${'default' in field ? ` (default ${JSON.stringify(field.default)})` : ' (no default)'}`,
      );
    for (const field of result.removed) out.info(`  - ${field.field}: ${JSON.stringify(field.type)}`);
    for (const field of result.changed)
      out.info(`  ~ ${field.field}: ${JSON.stringify(field.from)} → ${JSON.stringify(field.to)}`);
    if (result.added.length + result.removed.length + result.changed.length === 0)
      out.info('  no field changed');
    out.info(
      `backward (v${to} reads v${from} data): ${result.backward.compatible ? 'yes' : `no: ${result.backward.reason}`}`,
    );
    out.info(
      `forward (v${from} reads v${to} data): ${result.forward.compatible ? 'yes' : `no: ${result.forward.reason}`}`,
    );
  });
}

export function registerSchemas(program: Command, _ctx: () => OpsContext, out: (command: Command) => Output) {
  program
    .command('schemas')
    .description('the Avro event schemas of avro-schemas/')
    .command('diff <type>')
    .description('fields added, removed or changed between two versions, and their compatibility')
    .option('--from <version>', 'older version (default: the one before --to)', parseVersion)
    .option('--to <version>', 'newer version (default: the latest)', parseVersion)
    .action((type: string, options, command: Command) => diff(out(command), type, options));
}
