import { Test } from '@nestjs/testing';
import { waitFor } from '@ledger/testing';
import { decodeJsonRecord, ProjectorLifecycle, ProjectorModule } from '@ledger/projections';
import { counterProjection, readCounters } from './support/counters';
import { Harness } from './support/harness';
import { eventsOf, produceEvents } from './support/kafka';

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

describe('ProjectorModule', () => {
  it('runs the projector for the life of the application', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ProjectorModule.forRoot({
          useFactory: () => ({
            kafka: harness.kafka,
            pool: harness.pool,
            projection: counterProjection(name, [topic]),
            decode: decodeJsonRecord as never,
            retry: { levels: 1, delaysMs: [10] },
            consumerConfig: { maxWaitTimeInMs: 100 },
          }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    app.enableShutdownHooks();
    await app.init();
    const lifecycle = app.get(ProjectorLifecycle);
    expect(lifecycle.running).toBe(true);

    await produceEvents(harness.producer, topic, eventsOf('n', 3));
    await waitFor(async () => (await readCounters(harness.pool, name)).n?.events === 3, {
      what: 'events applied',
    });
    await app.close();
    expect(lifecycle.running).toBe(false);
  });
});
