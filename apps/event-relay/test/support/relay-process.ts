import { topicOf } from '@ledger/contracts';
import { loadEventRelayConfig } from '../../src/config';
import { startEventRelay } from '../../src/event-relay';

// A relay in a process of its own, so that a test can SIGKILL it mid-batch: configured from the
// environment like the app, publishing to the test's topics (RELAY_TEST_TOPIC_PREFIX).
const prefix = process.env.RELAY_TEST_TOPIC_PREFIX;
if (prefix === undefined) throw new Error('RELAY_TEST_TOPIC_PREFIX is not set');
void startEventRelay(loadEventRelayConfig(process.env), {
  topicFor: (type) => `${prefix}.${topicOf(type)}`,
  instanceId: process.env.RELAY_TEST_INSTANCE_ID,
}).then(() => process.stdout.write('relay started\n'));
