import { OffsetCommits } from './offset-commits';

describe('OffsetCommits', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const recorder = () => {
    const runs: string[] = [];
    return { runs, commit: (label: string) => async () => void runs.push(label) };
  };

  it('commits the first request at once and the latest of the interval when it is up', async () => {
    const { runs, commit } = recorder();
    const commits = new OffsetCommits(1000, (error) => {
      throw error;
    });
    jest.setSystemTime(5000);
    await commits.request(commit('first'));
    await commits.request(commit('second'));
    await commits.request(commit('third'));
    expect(runs).toEqual(['first']);
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toEqual(['first']);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toEqual(['first', 'third']);
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toEqual(['first', 'third']);
  });

  it('commits at once when asked to (stopping), and flushes what waits', async () => {
    const { runs, commit } = recorder();
    const commits = new OffsetCommits(1000, () => undefined);
    jest.setSystemTime(5000);
    await commits.request(commit('first'));
    await commits.request(commit('waiting'));
    await commits.flush();
    await commits.request(commit('stopping'), true);
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toEqual(['first', 'waiting', 'stopping']);
  });

  it('commits every request with an interval of 0', async () => {
    const { runs, commit } = recorder();
    const commits = new OffsetCommits(0, () => undefined);
    await commits.request(commit('a'));
    await commits.request(commit('b'));
    expect(runs).toEqual(['a', 'b']);
  });

  it('reports a deferred commit that fails', async () => {
    const failures: unknown[] = [];
    const commits = new OffsetCommits(1000, (error) => failures.push(error));
    jest.setSystemTime(5000);
    await commits.request(async () => undefined);
    await commits.request(() => Promise.reject(new Error('rebalancing')));
    await jest.advanceTimersByTimeAsync(1000);
    expect(failures).toEqual([new Error('rebalancing')]);
  });
});
