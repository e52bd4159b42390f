import { coalesce } from './coalesce';

describe('coalesce', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 0;
  });

  it('shares one call among callers with the same key within the ttl, and calls again after it', async () => {
    const fn = jest.fn(async (key: string) => `${key}@${now}`);
    const shared = coalesce(fn, { ttlMs: 50, keyOf: (key) => key, clock });
    expect(await Promise.all([shared('a'), shared('a'), shared('b')])).toEqual(['a@0', 'a@0', 'b@0']);
    now = 49;
    expect(await shared('a')).toBe('a@0');
    now = 50;
    expect(await shared('a')).toBe('a@50');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('never reuses a failure', async () => {
    let fail = true;
    const shared = coalesce(
      async () => {
        if (fail) throw new Error('down');
        return 'up';
      },
      { ttlMs: 1_000, keyOf: () => 'k', clock },
    );
    await expect(shared()).rejects.toThrow('down');
    fail = false;
    expect(await shared()).toBe('up');
  });
});
