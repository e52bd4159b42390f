import type { Pool } from 'pg';
import { PendingPositions } from './pending-positions';

/** A pool whose statements are recorded (partitions and offsets) and fail while `failing` is set. */
function recordingPool() {
  const written: { partitions: number[]; offsets: string[] }[] = [];
  const state = { failing: false };
  const pool = {
    query: async (_text: string, values: unknown[]) => {
      if (state.failing) throw new Error('connection terminated');
      written.push({ partitions: values[2] as number[], offsets: values[3] as string[] });
    },
  };
  return { written, state, pool: pool as unknown as Pool };
}

describe('PendingPositions', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the latest position of each partition once per interval, in one statement', async () => {
    const { written, pool } = recordingPool();
    const positions = new PendingPositions(pool, 'p', 1000, () => undefined);
    await positions.note({ topic: 't', partition: 0, offset: '1' });
    await positions.note({ topic: 't', partition: 0, offset: '2' });
    await positions.note({ topic: 't', partition: 1, offset: '7' });
    expect(written).toEqual([]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(written).toEqual([{ partitions: [0, 1], offsets: ['2', '7'] }]);
  });

  it('drops what a transaction has recorded since, and keeps what is newer', async () => {
    const { written, pool } = recordingPool();
    const positions = new PendingPositions(pool, 'p', 1000, () => undefined);
    await positions.note({ topic: 't', partition: 0, offset: '5' });
    await positions.note({ topic: 't', partition: 1, offset: '9' });
    positions.recorded({ topic: 't', partition: 0, offset: '6' });
    positions.recorded({ topic: 't', partition: 1, offset: '8' });
    await jest.advanceTimersByTimeAsync(1000);
    expect(written).toEqual([{ partitions: [1], offsets: ['9'] }]);
  });

  it('keeps a position whose write failed and writes it after the next interval', async () => {
    const { written, state, pool } = recordingPool();
    const failures: unknown[] = [];
    const positions = new PendingPositions(pool, 'p', 1000, (error) => failures.push(error));
    state.failing = true;
    await positions.note({ topic: 't', partition: 0, offset: '3' });
    await jest.advanceTimersByTimeAsync(1000);
    expect(failures).toHaveLength(1);
    state.failing = false;
    await jest.advanceTimersByTimeAsync(1000);
    expect(written).toEqual([{ partitions: [0], offsets: ['3'] }]);
  });

  it('writes at once when closed or with an interval of 0', async () => {
    const { written, pool } = recordingPool();
    const immediate = new PendingPositions(pool, 'p', 0, () => undefined);
    await immediate.note({ topic: 't', partition: 0, offset: '1' });
    const closing = new PendingPositions(pool, 'q', 1000, () => undefined);
    await closing.note({ topic: 't', partition: 2, offset: '4' });
    await closing.close();
    await closing.note({ topic: 't', partition: 2, offset: '5' });
    expect(written).toEqual([
      { partitions: [0], offsets: ['1'] },
      { partitions: [2], offsets: ['4'] },
      { partitions: [2], offsets: ['5'] },
    ]);
  });
});
