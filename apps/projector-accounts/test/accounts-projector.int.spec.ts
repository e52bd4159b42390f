import { accountsProjection } from '@ledger/read-models';
import { waitFor } from '@ledger/testing';
import {
  KafkaScenario,
  ReadModelDatabase,
  readStatement,
  readSummaries,
  simulateLedger,
} from '../../../libs/read-models/src/spec-support';

// Given Avro account events on Kafka with the relay's headers, then the projector writes the same rows as
// applying the events directly.

const kafka = new KafkaScenario();
const projected = new ReadModelDatabase();
const expected = new ReadModelDatabase();
beforeAll(() => Promise.all([kafka.setUp(), projected.setUp(), expected.setUp()]));
afterAll(async () => {
  await kafka.tearDown();
  await Promise.all([projected.tearDown(), expected.tearDown()]);
});

describe('accounts projector on Kafka', () => {
  it('projects published Avro events into the summaries and statements', async () => {
    const { accountEvents } = simulateLedger({ accounts: 12, accountEvents: 600, seed: 3 });
    await kafka.publish(accountEvents);
    await expected.apply(accountsProjection(), accountEvents);
    const entries = (await readStatement(expected)).length;

    await kafka.start(accountsProjection, projected.pool);

    await waitFor(async () => (await readStatement(projected)).length === entries, {
      what: `${entries} statement entries`,
      timeoutMs: 60_000,
    });
    expect(await readSummaries(projected)).toEqual(await readSummaries(expected));
    expect(await readStatement(projected)).toEqual(await readStatement(expected));
  });
});
