import { backoffDelay, idle } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 5_000 };

  it('draws from zero up to a ceiling that doubles with every retry', () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, options, () => 0.999_999))).toEqual([
      99, 199, 399, 799,
    ]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });

  it('never exceeds the maximum, however many retries', () => {
    expect(backoffDelay(10, options, () => 0.999_999)).toBe(4999);
    expect(backoffDelay(10_000, options, () => 0.5)).toBe(2500);
  });
});

describe('idle', () => {
  it('ticks while it waits and reports completion', async () => {
    let ticks = 0;
    const done = await idle(60, {
      signal: new AbortController().signal,
      tick: async () => void ticks++,
      tickEveryMs: 20,
    });
    expect(done).toBe(true);
    expect(ticks).toBeGreaterThanOrEqual(2);
  });

  it('returns false at once when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 10);
    expect(await idle(10_000, { signal: controller.signal })).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
