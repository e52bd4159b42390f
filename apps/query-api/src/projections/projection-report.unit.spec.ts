import type { PartitionStatus, ProjectionStatus } from '@ledger/projections';
import { projectionReport } from './projection-report';

const partition = (overrides: Partial<PartitionStatus>): PartitionStatus => ({
  topic: 'ledger.account.events',
  partition: 0,
  committedOffset: null,
  highWatermark: '0',
  lagEvents: 0,
  processedOffset: null,
  globalPosition: null,
  lastRecordedAt: null,
  lagSeconds: null,
  updatedAt: null,
  ...overrides,
});
const status = (partitions: PartitionStatus[], deadLettered = 0): ProjectionStatus => ({
  projection: 'ledger.projector.accounts',
  partitions,
  parked: { retrying: 0, deadLettered, events: deadLettered },
});

describe('projectionReport', () => {
  it('counts lag from the offset applied in Postgres, which the Kafka commit may trail', () => {
    const report = projectionReport(
      ['ledger.account.events'],
      status([
        partition({
          committedOffset: '8',
          processedOffset: '9',
          highWatermark: '10',
          lagEvents: 2,
          globalPosition: 40,
          lagSeconds: 1.5,
        }),
      ]),
    );
    expect(report).toMatchObject({ status: 'caught-up', lagEvents: 0 });
    expect(report.partitions[0]).toEqual({
      topic: 'ledger.account.events',
      partition: 0,
      committedOffset: 8,
      appliedOffset: 9,
      logEndOffset: 10,
      lagEvents: 0,
      globalPosition: 40,
      lastAppliedRecordedAt: null,
      lagSeconds: 0,
    });
  });

  it('says catching-up with the age of the last applied event while records wait', () => {
    const recorded = new Date('2025-01-31T10:00:00Z');
    const report = projectionReport(
      ['t'],
      status([
        partition({ processedOffset: '4', highWatermark: '10', lastRecordedAt: recorded, lagSeconds: 3 }),
      ]),
    );
    expect(report).toMatchObject({ status: 'catching-up', lagEvents: 5 });
    expect(report.partitions[0]).toMatchObject({
      lagSeconds: 3,
      lastAppliedRecordedAt: '2025-01-31T10:00:00.000Z',
    });
  });

  it('says not-started, without a lag in seconds, before anything was processed', () => {
    const report = projectionReport(['t'], status([partition({ highWatermark: '3', lagEvents: 3 })]));
    expect(report).toMatchObject({ status: 'not-started', lagEvents: 3 });
    expect(report.partitions[0]).not.toHaveProperty('lagSeconds');
  });

  it('asks for attention while dead-lettered streams wait for an operator', () => {
    expect(projectionReport(['t'], status([partition({})], 1)).status).toBe('needs-attention');
  });
});
