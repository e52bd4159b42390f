import { transfersProjection } from '@ledger/read-models';
import { waitFor } from '@ledger/testing';
import {
  KafkaScenario,
  ReadModelDatabase,
  readTransferHistory,
  readTransfers,
  simulateLedger,
} from '../../../libs/read-models/src/spec-support';

// Given Avro transfer events on Kafka with the relay's headers, then the projector writes the same rows
// as applying the events directly.

const kafka = new KafkaScenario();
const projected = new ReadModelDatabase();
const expected = new ReadModelDatabase();
beforeAll(() => Promise.all([kafka.setUp(), projected.setUp(), expected.setUp()]));
afterAll(async () => {
  await kafka.tearDown();
  await Promise.all([projected.tearDown(), expected.tearDown()]);
});

describe('transfers projector on Kafka', () => {
  it('projects published Avro events into the transfers and their history', async () => {
    const { transferEvents } = simulateLedger({ accounts: 12, accountEvents: 600, seed: 5 });
    await kafka.publish(transferEvents);
    await expected.apply(transfersProjection(), transferEvents);

    await kafka.start(transfersProjection, projected.pool);

    await waitFor(async () => (await readTransferHistory(projected)).length === transferEvents.length, {
      what: `${transferEvents.length} history entries`,
      timeoutMs: 60_000,
    });
    expect(await readTransfers(projected)).toEqual(await readTransfers(expected));
    expect(await readTransferHistory(projected)).toEqual(await readTransferHistory(expected));
  });
});
