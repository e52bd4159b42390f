import { partitionLag } from './status';

describe('partitionLag', () => {
  it('is zero when everything is applied and committed', () => {
    expect(partitionLag({ low: 0, high: 10, committed: 10, processed: 9 })).toEqual({
      lagEvents: 0,
      rereadEvents: 0,
      unappliedEvents: 0,
    });
  });

  it('counts what the group will read again after a reset to earliest, though it is all applied', () => {
    expect(partitionLag({ low: 0, high: 10, committed: 0, processed: 9 })).toEqual({
      lagEvents: 10,
      rereadEvents: 10,
      unappliedEvents: 0,
    });
  });

  it('counts from the log start when the group never committed (it starts from the beginning)', () => {
    expect(partitionLag({ low: 2, high: 10, committed: null, processed: 5 })).toEqual({
      lagEvents: 8,
      rereadEvents: 4,
      unappliedEvents: 4,
    });
  });

  it('counts records a group moved past without applying them (a reset to latest)', () => {
    expect(partitionLag({ low: 0, high: 10, committed: 10, processed: 3 })).toEqual({
      lagEvents: 6,
      rereadEvents: 0,
      unappliedEvents: 6,
    });
  });

  it('ignores offsets the log no longer holds', () => {
    expect(partitionLag({ low: 8, high: 10, committed: 1, processed: 2 })).toEqual({
      lagEvents: 2,
      rereadEvents: 0,
      unappliedEvents: 2,
    });
  });
});
