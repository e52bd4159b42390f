import { partitionLag, type PartitionStatus, type ProjectionStatus } from '@ledger/projections';
import { projectionReport } from './projection-report';

/** A partition as projectionStatus reports it, its lag computed the way the library computes it. */
const partition = (overrides: Partial<PartitionStatus>): PartitionStatus => {
  const base = {
    topic: 'ledger.account.events',
    partition: 0,
    committedOffset: null,
    highWatermark: '0',
    processedOffset: null,
    globalPosition: null,
    lastRecordedAt: null,
    lagSeconds: null,
    updatedAt: null,
    ...overrides,
  };
  const lag = partitionLag({
    low: 0,
    high: Number(base.highWatermark),
    committed: base.committedOffset === null ? null : Number(base.committedOffset),
    processed: base.processedOffset === null ? null : Number(base.processedOffset),
  });
  return { ...base, ...lag };
};
const status = (partitions: PartitionStatus[], deadLettered = 0): ProjectionStatus => ({
  projection: 'ledger.projector.accounts',
  group: {
    state: 'Stable',
    members: [{ memberId: 'm-1', clientId: 'ledger-projector-accounts', clientHost: '/127.0.0.1' }],
  },
  partitions,
  parked: { retrying: 0, deadLettered, events: deadLettered },
});

describe('projectionReport', () => {
  it('is caught up when everything is applied and the group has committed past it', () => {
    const report = projectionReport(
      ['ledger.account.events'],
      status([
        partition({
          committedOffset: '10',
          processedOffset: '9',
          highWatermark: '10',
          globalPosition: 40,
          lagSeconds: 0,
        }),
      ]),
    );
    expect(report).toMatchObject({ status: 'caught-up', lagEvents: 0 });
    expect(report.partitions[0]).toEqual({
      topic: 'ledger.account.events',
      partition: 0,
      committedOffset: 10,
      appliedOffset: 9,
      logEndOffset: 10,
      lagEvents: 0,
      rereadEvents: 0,
      globalPosition: 40,
      lastAppliedRecordedAt: null,
      lagSeconds: 0,
    });
  });

  it('is catching up after a reset to earliest: everything is applied, but the group will read it all again', () => {
    const report = projectionReport(
      ['t'],
      status([
        partition({
          partition: 0,
          committedOffset: '0',
          processedOffset: '9',
          highWatermark: '10',
          lagSeconds: 0,
        }),
        partition({
          partition: 1,
          committedOffset: '4',
          processedOffset: '3',
          highWatermark: '4',
          lagSeconds: 0,
        }),
      ]),
    );
    expect(report).toMatchObject({ status: 'catching-up', lagEvents: 10 });
    expect(report.partitions[0]).toMatchObject({ lagEvents: 10, rereadEvents: 10, lagSeconds: 0 });
    expect(report.partitions[1]).toMatchObject({ lagEvents: 0, rereadEvents: 0 });
  });

  it('says catching-up with the age of the last applied event while records wait', () => {
    const recorded = new Date('2025-01-31T10:00:00Z');
    const report = projectionReport(
      ['t'],
      status([
        partition({
          committedOffset: '5',
          processedOffset: '4',
          highWatermark: '10',
          lastRecordedAt: recorded,
          lagSeconds: 3,
        }),
      ]),
    );
    expect(report).toMatchObject({ status: 'catching-up', lagEvents: 5 });
    expect(report.partitions[0]).toMatchObject({
      rereadEvents: 0,
      lagSeconds: 3,
      lastAppliedRecordedAt: '2025-01-31T10:00:00.000Z',
    });
  });

  it('says not-started, without a lag in seconds, before anything was processed', () => {
    const report = projectionReport(['t'], status([partition({ highWatermark: '3' })]));
    expect(report).toMatchObject({ status: 'not-started', lagEvents: 3 });
    expect(report.partitions[0]).not.toHaveProperty('lagSeconds');
  });

  it('asks for attention while dead-lettered streams wait for an operator', () => {
    expect(projectionReport(['t'], status([partition({})], 1)).status).toBe('needs-attention');
  });
});
