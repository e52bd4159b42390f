import type { Consistency } from './consistency';
import { waitForConsistency } from './wait';

const at = (position: number, reached: boolean): Consistency => ({ reached, position, lagging: [] });

/** A clock that only moves when the wait sleeps, so the loop is observed without real time passing. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('waitForConsistency', () => {
  it('answers at once when the first look has reached the position', async () => {
    const time = virtualTime();
    const outcome = await waitForConsistency({
      check: async () => at(7, true),
      waitMs: 2_000,
      intervalMs: 25,
      ...time,
    });
    expect(outcome).toEqual({ reached: true, consistency: at(7, true), waitedMs: 0 });
    expect(time.sleeps).toEqual([]);
  });

  it('looks again after pauses that double up to the interval, until the position is reached', async () => {
    const time = virtualTime();
    const looks = [at(1, false), at(2, false), at(9, true)];
    const outcome = await waitForConsistency({
      check: async () => looks.shift()!,
      waitMs: 2_000,
      intervalMs: 25,
      ...time,
    });
    expect(outcome).toEqual({ reached: true, consistency: at(9, true), waitedMs: 6 });
    expect(time.sleeps).toEqual([2, 4]);
  });

  it('gives up when the bound runs out, without sleeping past it', async () => {
    const time = virtualTime();
    const outcome = await waitForConsistency({
      check: async () => at(3, false),
      waitMs: 60,
      intervalMs: 25,
      ...time,
    });
    expect(outcome).toEqual({ reached: false, consistency: at(3, false), waitedMs: 60 });
    expect(time.sleeps).toEqual([2, 4, 8, 16, 25, 5]);
  });

  it('looks exactly once with a zero bound', async () => {
    const check = jest.fn(async () => at(3, false));
    const outcome = await waitForConsistency({ check, waitMs: 0, intervalMs: 25, ...virtualTime() });
    expect(outcome.reached).toBe(false);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('does not let a look that hangs stretch the bound', async () => {
    const started = Date.now();
    const outcome = await waitForConsistency({
      check: () => new Promise<Consistency>(() => undefined),
      waitMs: 40,
      intervalMs: 10,
    });
    expect(outcome).toMatchObject({ reached: false, consistency: undefined });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets a failed look end the wait with its error', async () => {
    const check = async (): Promise<Consistency> => Promise.reject(new Error('broker down'));
    await expect(waitForConsistency({ check, waitMs: 1_000, intervalMs: 10 })).rejects.toThrow('broker down');
  });
});
