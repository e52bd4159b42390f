import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stack = join(__dirname, '../../../../scripts/stack/stack.sh');

/** Nodes of the stack's Kafka cluster (KAFKA_BROKER_COUNT, set by the cluster test script). */
export function clusterSize(): number {
  return Number(process.env.KAFKA_BROKER_COUNT ?? 1);
}

/** SIGKILLs one node, as a crash would: no controlled shutdown, no leadership handed over first. */
export async function killBroker(node: number): Promise<void> {
  await run('bash', [stack, 'kill', `kafka-${node}`], { timeout: 30_000 });
}

/** Starts one node again and waits until it listens; it then catches up its replicas by itself. */
export async function startBroker(node: number): Promise<void> {
  await run('bash', [stack, 'start', `kafka-${node}`], { timeout: 120_000 });
}
