import 'reflect-metadata';
import { ConfigError } from '@ledger/config';
import { Command, CommanderError } from 'commander';
import { registerDeadLetters } from './commands/dead-letters';
import { registerMaintenance } from './commands/maintenance';
import { registerProjections } from './commands/projections';
import { registerSchemas } from './commands/schemas';
import { registerSetup } from './commands/setup';
import { registerStreams } from './commands/streams';
import { registerReconcile } from './commands/reconcile/reconcile';
import { registerToken } from './commands/token';
import { createOutput, EXIT, ExitWith, OpsContext, UsageError } from './context';

/** Builds the CLI; `run` parses argv, executes one command and returns its exit code. */
export function buildProgram(context: () => OpsContext): Command {
  const program = new Command('ops-cli')
    .description(
      'Operations on the ledger: setup, projections, dead letters, streams, snapshots, reconciliation and local tokens.',
    )
    .option('-v, --verbose', 'more detail on stderr')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .exitOverride();
  const out = (command: Command) => createOutput(command.optsWithGlobals());
  registerSetup(program, context, out);
  registerProjections(program, context, out);
  registerDeadLetters(program, context, out);
  registerStreams(program, context, out);
  registerToken(program, out);
  registerReconcile(program, context, out);
  registerMaintenance(program, context, out);
  registerSchemas(program, context, out);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  let ctx: OpsContext | undefined;
  const context = () => (ctx ??= new OpsContext());
  try {
    await buildProgram(context).parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExitWith) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`ops-cli: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`ops-cli: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  } finally {
    await ctx?.close();
  }
}

if (require.main === module) {
  // Output piped into `head` and the like: the reader left, the command is done.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  run(process.argv.slice(2)).then((code) => process.exit(code));
}
