import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stack = join(__dirname, '../../../../scripts/stack/stack.sh');

/** Stops the stack's broker; other users of the stack see the outage too, so keep it short and single. */
export async function stopKafka(): Promise<void> {
  await run('bash', [stack, 'stop', 'kafka'], { timeout: 60_000 });
}

/** Starts the broker and waits until it serves requests (the stack script waits for that). */
export async function startKafka(): Promise<void> {
  await run('bash', [stack, 'start', 'kafka'], { timeout: 120_000 });
}
