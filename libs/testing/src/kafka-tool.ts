import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stackScript = join(__dirname, '../../../scripts/stack/stack.sh');

/**
 * Runs one of Apache Kafka's own command-line tools from the stack's jars, e.g.
 * `kafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', ['--describe', ...])`.
 */
export async function kafkaTool(mainClass: string, args: string[]): Promise<string> {
  const { stdout } = await run('bash', [stackScript, 'kafka-tool', mainClass, ...args], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  return stdout;
}

export const CONSUMER_GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
export const TOPIC_COMMAND = 'org.apache.kafka.tools.TopicCommand';

export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
}

export function schemaRegistryUrl(): string {
  return process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
}
