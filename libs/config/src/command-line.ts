import { parseArgs } from 'node:util';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface CommandLine {
  /** Set when the process should exit at once with this code (help printed, or a bad argument). */
  exitCode?: number;
}

/**
 * The flags every app accepts: `--verbose` (debug logs, the same as LOG_LEVEL=debug), `--log-level <level>`
 * and `--help`. They override LOG_LEVEL by setting it before the app validates its configuration, so
 * one path decides the level. A bad flag is refused with a message (exit code 2), not ignored.
 */
export function applyCommandLine(service: string, argv: string[] = process.argv.slice(2)): CommandLine {
  let values: { verbose?: boolean; 'log-level'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        verbose: { type: 'boolean', short: 'v' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${service}: ${(error as Error).message}\n${usage(service)}`);
    return { exitCode: 2 };
  }
  if (values.help) {
    process.stdout.write(usage(service));
    return { exitCode: 0 };
  }
  const level = values['log-level'];
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) {
    process.stderr.write(`${service}: --log-level must be one of ${LEVELS.join(', ')}, got "${level}"\n`);
    return { exitCode: 2 };
  }
  if (level !== undefined) process.env.LOG_LEVEL = level;
  else if (values.verbose) process.env.LOG_LEVEL = 'debug';
  return {};
}

const usage = (service: string) =>
  `usage: ${service} [--verbose] [--log-level <${LEVELS.join('|')}>]\n` +
  '  configuration comes from the environment (README); --verbose is LOG_LEVEL=debug\n';
