import type { DecodedEvent } from './event';
import { planRecords, settle, type Candidate } from './plan';

let offset = 0;
function event(streamId: string, streamVersion: number): Candidate<DecodedEvent> {
  const record = {
    topic: 't',
    partition: 0,
    offset: String(offset++),
    key: streamId,
    value: null,
    headers: {},
    timestamp: '0',
  };
  const decoded: DecodedEvent = {
    streamId,
    streamVersion,
    eventId: `${streamId}-${streamVersion}`,
    type: 'Tested',
    schemaVersion: 1,
    globalPosition: offset,
    recordedAt: '2026-01-01T00:00:00.000Z',
    data: {},
    topic: 't',
    partition: 0,
    offset: record.offset,
  };
  return { record, streamId, version: streamVersion, event: decoded };
}

function undecodable(streamId: string, version?: number): Candidate<DecodedEvent> {
  const record = {
    topic: 't',
    partition: 0,
    offset: String(offset++),
    key: streamId,
    value: null,
    headers: {},
    timestamp: '0',
  };
  return { record, streamId, version, decodeError: new SyntaxError('bad bytes') };
}

const ids = (candidates: Candidate<DecodedEvent>[]) =>
  candidates.map((c) => c.event?.eventId ?? c.record.offset);

describe('planRecords', () => {
  it('skips events at or below the checkpoint of their stream and applies the rest in order', () => {
    const records = [event('a', 1), event('b', 1), event('a', 2), event('a', 3)];
    const plan = planRecords(records, new Map([['a', 2]]), new Set());
    expect(ids(plan.skipped)).toEqual(['a-1', 'a-2']);
    expect(plan.toApply.map((e) => e.eventId)).toEqual(['b-1', 'a-3']);
  });

  it('holds back every record of a parked stream but still skips what it already applied', () => {
    const records = [event('a', 1), event('a', 2), event('b', 1)];
    const plan = planRecords(records, new Map([['a', 1]]), new Set(['a']));
    expect(ids(plan.skipped)).toEqual(['a-1']);
    expect(plan.toApply.map((e) => e.eventId)).toEqual(['b-1']);
  });

  it('turns the first undecodable record of a stream into a failure and holds back what follows it', () => {
    const bad = undecodable('a');
    const plan = planRecords([event('a', 1), bad, event('a', 3), event('b', 1)], new Map(), new Set());
    expect(plan.toApply.map((e) => e.eventId)).toEqual(['a-1', 'b-1']);
    expect([...plan.decodeFailures.keys()]).toEqual(['a']);
    expect(plan.decodeFailures.get('a')?.candidate).toBe(bad);
  });

  it('skips an undecodable record whose header version is already applied', () => {
    const plan = planRecords([undecodable('a', 1)], new Map([['a', 1]]), new Set());
    expect(plan.skipped).toHaveLength(1);
    expect(plan.decodeFailures.size).toBe(0);
  });
});

describe('settle', () => {
  it('parks everything of a stream from its first failed event on, and nothing of other streams', () => {
    const records = [event('a', 1), event('b', 1), event('a', 2), event('a', 3), event('b', 2)];
    const plan = planRecords(records, new Map(), new Set());
    const [a1, b1, a2, a3, b2] = records.map((c) => c.event!);
    const failures = new Map([['a', { event: a2!, error: new Error('boom'), attempts: 3 }]]);
    const { parked, heads } = settle(records, plan, [a1!, b1!, b2!], failures);
    expect(parked.map((c) => c.event)).toEqual([a2, a3]);
    expect(heads.get('a')).toMatchObject({ candidate: records[2], attempts: 3 });
    expect(heads.has('b')).toBe(false);
  });

  it('makes the earlier of a failed apply and a decode failure the head of the stream', () => {
    const records = [event('a', 1), undecodable('a'), event('a', 3)];
    const plan = planRecords(records, new Map(), new Set());
    const failures = new Map([['a', { event: records[0]!.event!, error: new Error('boom'), attempts: 1 }]]);
    const { parked, heads } = settle(records, plan, [], failures);
    expect(parked).toEqual(records);
    expect(heads.get('a')?.candidate).toBe(records[0]);
  });

  it('adds no head for a stream that was parked before', () => {
    const records = [event('a', 5)];
    const plan = planRecords(records, new Map(), new Set(['a']));
    const { parked, heads } = settle(records, plan, [], new Map());
    expect(parked).toEqual(records);
    expect(heads.size).toBe(0);
  });
});
