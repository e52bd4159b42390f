import { covers } from './measure';

const at = (partition: number, offset: number | null) => ({ topic: 't', partition, offset });

describe('covers', () => {
  it('holds when the new group has processed at least what the live one has on every partition', () => {
    expect(covers([at(0, 10), at(1, 5)], [at(0, 10), at(1, 4)])).toBe(true);
    expect(covers([at(0, 10), at(1, 5), at(2, 1)], [at(0, 3)])).toBe(true);
  });

  it('fails while any partition the live group has read is behind or not yet read by the new one', () => {
    expect(covers([at(0, 10), at(1, 3)], [at(0, 10), at(1, 4)])).toBe(false);
    expect(covers([at(0, 10)], [at(0, 10), at(1, 0)])).toBe(false);
  });

  it('holds trivially when the live group never processed anything (no live projector ran)', () => {
    expect(covers([], [])).toBe(true);
  });
});
