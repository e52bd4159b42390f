import { discard, getDeadLetter, listDeadLetters, redrive } from '@ledger/projections';
import type { Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';

function selectorOf(options: { stream?: string; all?: boolean }) {
  if (options.stream && options.all) throw new UsageError('give either --stream or --all, not both');
  if (options.stream) return { key: options.stream };
  if (options.all) return { all: true as const };
  throw new UsageError('say which dead letters: --stream <streamId> or --all');
}

export function registerDeadLetters(
  program: Command,
  ctx: () => OpsContext,
  out: (command: Command) => Output,
) {
  const dlq = program.command('dlq').description("a projection's dead letters: list, show, redrive, discard");
  dlq
    .command('list <projection>')
    .option('--stream <streamId>', "only this stream's dead letters")
    .option('--all-statuses', 'include redriven and discarded ones')
    .option('--limit <n>', 'at most this many', (value) => Number(value), 100)
    .action(async (projection: string, options, command: Command) => {
      const o = out(command);
      const letters = await listDeadLetters(ctx().pool, projection, {
        streamId: options.stream,
        status: options.allStatuses ? 'all' : 'dead',
        limit: options.limit,
      });
      o.result(letters, () => {
        if (letters.length === 0) o.info('no dead letters');
        for (const letter of letters) {
          o.info(
            `${letter.id}  ${letter.streamId} v${letter.streamVersion ?? '?'}  ${letter.eventType ?? '?'}  ${letter.errorClass}: ${letter.errorMessage}`,
          );
        }
      });
    });
  dlq
    .command('show <projection> <id>')
    .action(async (projection: string, id: string, _options, command: Command) => {
      const letter = await getDeadLetter(ctx().pool, projection, id);
      if (!letter) throw new UsageError(`no dead letter ${id} in ${projection}`);
      out(command).result(letter, () => out(command).info(JSON.stringify(letter, null, 2)));
    });
  for (const [name, action, description] of [
    ['redrive', redrive, 'send the dead-lettered head of each stream back through the first retry topic'],
    ['discard', discard, 'drop the dead-lettered head of each stream and release what waits behind it'],
  ] as const) {
    dlq
      .command(`${name} <projection>`)
      .description(description)
      .option('--stream <streamId>', 'one stream')
      .option('--all', 'every dead-lettered stream')
      .option('--dry-run', 'list the streams only')
      .action(async (projection: string, options, command: Command) => {
        const o = out(command);
        const selector = selectorOf(options);
        if (options.dryRun) {
          const letters = await listDeadLetters(ctx().pool, projection, {
            streamId: options.stream,
            status: 'dead',
          });
          o.result(letters, () =>
            o.info(`would ${name} ${new Set(letters.map((letter) => letter.streamId)).size} stream(s)`),
          );
          return;
        }
        const result = await action(
          { pool: ctx().pool, producer: await ctx().producer() },
          projection,
          selector,
        );
        o.result(result, () =>
          o.info(
            `${name}: ${result.streams.length} stream(s)${result.streams.length ? `: ${result.streams.join(', ')}` : ''}`,
          ),
        );
      });
  }
}
