import { backoffDelay, idle, sleep } from './backoff';
import { safeInteger } from './safe-integer';

describe('backoffDelay', () => {
  const equal = { initialMs: 100, maxMs: 5_000, jitter: 'equal' } as const;
  const full = { initialMs: 100, maxMs: 5_000, jitter: 'full' } as const;

  it('with equal jitter doubles the ceiling per retry, keeping at least half of it', () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, equal, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, equal, () => 1))).toEqual([100, 200, 400, 800]);
  });

  it('with full jitter draws from zero up to a ceiling that doubles with every retry', () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, full, () => 0.999_999))).toEqual([
      99, 199, 399, 799,
    ]);
    expect(backoffDelay(3, full, () => 0)).toBe(0);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(backoffDelay(10, equal, () => 1)).toBe(5_000);
    expect(backoffDelay(10_000, equal, () => 1)).toBe(5_000);
    expect(backoffDelay(10_000, full, () => 0.5)).toBe(2500);
  });
});

describe('sleep', () => {
  it('returns early when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleep(10_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
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

describe('safeInteger', () => {
  it('reads exact integers from text or numbers', () => {
    expect(safeInteger('9007199254740991')).toBe(9_007_199_254_740_991);
    expect(safeInteger('-42')).toBe(-42);
    expect(safeInteger(7)).toBe(7);
  });

  it("refuses what a double cannot hold exactly, and text that is no integer, with the caller's error", () => {
    expect(() => safeInteger('9007199254740993', 'position')).toThrow(
      new RangeError('position is not a safe integer: 9007199254740993'),
    );
    expect(() => safeInteger('1e3')).toThrow(RangeError);
    expect(() => safeInteger('', 'x', (message) => new TypeError(message))).toThrow(TypeError);
    expect(() => safeInteger(0.5)).toThrow(RangeError);
  });
});
