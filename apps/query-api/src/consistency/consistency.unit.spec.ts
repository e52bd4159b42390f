import { combine, consistencyAt, PartitionLogEnd, PartitionProgress } from './consistency';

const end = (partition: number, endOffset: number, start = 0): PartitionLogEnd => ({
  topic: 't',
  partition,
  start,
  end: endOffset,
});
const applied = (partition: number, offset: number, globalPosition: number | null): PartitionProgress => ({
  topic: 't',
  partition,
  offset,
  globalPosition,
});

describe('consistencyAt', () => {
  it('is reached when every partition applied an event at or past the position', () => {
    const result = consistencyAt(10, [end(0, 50), end(1, 50)], [applied(0, 20, 12), applied(1, 30, 10)]);
    expect(result).toEqual({ reached: true, position: 10, lagging: [] });
  });

  it('is not reached while a partition with records left has applied less, and names that partition', () => {
    const result = consistencyAt(10, [end(0, 50), end(1, 50)], [applied(0, 20, 12), applied(1, 30, 9)]);
    expect(result).toEqual({
      reached: false,
      position: 9,
      lagging: [{ topic: 't', partition: 1, nextOffset: 31, logEnd: 50, globalPosition: 9 }],
    });
  });

  it('counts a partition with nothing left to read as caught up, however low its positions', () => {
    const result = consistencyAt(100, [end(0, 21), end(1, 50)], [applied(0, 20, 3), applied(1, 49, 7)]);
    expect(result).toEqual({ reached: true, position: 100, lagging: [] });
  });

  it('reports the highest applied position when everything is read and it exceeds the one asked for', () => {
    expect(consistencyAt(5, [end(0, 21)], [applied(0, 20, 40)]).position).toBe(40);
  });

  it('treats a partition the projection never processed as lagging unless it is empty', () => {
    expect(consistencyAt(1, [end(0, 0), end(1, 7, 7)], []).reached).toBe(true);
    expect(consistencyAt(1, [end(0, 3)], [])).toEqual({
      reached: false,
      position: 0,
      lagging: [{ topic: 't', partition: 0, nextOffset: 0, logEnd: 3, globalPosition: null }],
    });
  });

  it('reads from the log start when retention removed what the projection last processed', () => {
    expect(consistencyAt(9, [end(0, 40, 40)], [applied(0, 10, 2)]).reached).toBe(true);
  });

  it('ignores rows of partitions Kafka no longer reports', () => {
    expect(consistencyAt(9, [end(0, 5)], [applied(0, 4, 1), applied(7, 1, 0)]).reached).toBe(true);
  });

  it('only lists the partitions that hold the position back', () => {
    const result = consistencyAt(10, [end(0, 50), end(1, 50)], [applied(0, 20, 15), applied(1, 20, 4)]);
    expect(result.lagging.map((entry) => entry.partition)).toEqual([1]);
    expect(result.position).toBe(4);
  });
});

describe('combine', () => {
  it('is reached only when every projection is, at the least of their positions', () => {
    const reached = { reached: true, position: 30, lagging: [] };
    const behind = {
      reached: false,
      position: 4,
      lagging: [{ topic: 'u', partition: 0, nextOffset: 1, logEnd: 2, globalPosition: 4 }],
    };
    expect(combine([reached, { ...reached, position: 12 }])).toEqual({
      reached: true,
      position: 12,
      lagging: [],
    });
    expect(combine([reached, behind])).toEqual({ reached: false, position: 4, lagging: behind.lagging });
  });
});
