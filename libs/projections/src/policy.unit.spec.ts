import { firstStage, nextStage, validateRetryPolicy } from './policy';

const now = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('retry stages', () => {
  const policy = { levels: 3, delaysMs: [100, 1_000], attemptsPerEvent: 2 };

  it('climbs the retry topics with their delays, repeating the last delay, then dead-letters', () => {
    expect(firstStage(policy, now)).toEqual({ stage: 'retry', level: 1, notBefore: later(100) });
    expect(nextStage(policy, 1, now)).toEqual({ stage: 'retry', level: 2, notBefore: later(1_000) });
    expect(nextStage(policy, 2, now)).toEqual({ stage: 'retry', level: 3, notBefore: later(1_000) });
    expect(nextStage(policy, 3, now)).toEqual({ stage: 'dead-letter', level: 3, notBefore: now });
  });

  it('dead-letters at once without retry levels', () => {
    expect(firstStage({ ...policy, levels: 0 }, now)).toEqual({
      stage: 'dead-letter',
      level: 0,
      notBefore: now,
    });
  });

  it('refuses a policy that cannot work', () => {
    expect(() => validateRetryPolicy({ levels: 2, delaysMs: [], attemptsPerEvent: 1 })).toThrow(RangeError);
    expect(() => validateRetryPolicy({ levels: 1, delaysMs: [10], attemptsPerEvent: 0 })).toThrow(RangeError);
    expect(() => validateRetryPolicy({ levels: -1, delaysMs: [10], attemptsPerEvent: 1 })).toThrow(
      RangeError,
    );
  });
});
