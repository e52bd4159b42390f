import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const STACK_RUN = join(process.env.STACK_DIR ?? join(__dirname, '../../.stack'), 'run');

/** The pid the stack script recorded for `name` (kafka, registry, ...), or none when it is not running. */
export function stackPid(name: string): number[] {
  try {
    return [Number(readFileSync(join(STACK_RUN, `${name}.pid`), 'utf8').trim())];
  } catch {
    return [];
  }
}

/** The broker processes: the single node, or each node of the three-broker cluster. */
export const kafkaPids = (): number[] =>
  stackPid('kafka').concat(stackPid('kafka-1'), stackPid('kafka-2'), stackPid('kafka-3'));
