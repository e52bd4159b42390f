import { QueryApp, startQueryApp } from './query-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The pauses between a waiting read's looks grow to QUERY_POLL_INTERVAL_MS (here 1 s: looks at about 2,
// 6, 14, … 510, 1,022 ms). A projector's commit notifies the query API, which looks at once.
describe('query API: a waiting minPosition read wakes when a projector commits', () => {
  let api: QueryApp;
  let account: string;

  beforeAll(async () => {
    api = await startQueryApp({ QUERY_MAX_WAIT_MS: '3000', QUERY_POLL_INTERVAL_MS: '1000' });
    account = await api.seed.account();
    // Two records on partition 0: the projection below has read one, so it is behind until it reads both.
    await api.produce(api.feeds.accounts.topics[0]!, 0, 2);
  });
  afterAll(() => api?.close());

  it('answers within a few milliseconds of the commit, not at its next poll', async () => {
    const { name } = api.feeds.accounts;
    const [topic] = api.feeds.accounts.topics;
    await api.seed.progress(name, topic!, 0, 0, 10);
    await api.seed.progress(name, topic!, 1, -1, null);
    const started = Date.now();
    const pending = api.http.get(`/accounts/${account}/statement`).query({ minPosition: 11 });
    const waiting = pending.then((response) => ({ response, at: Date.now() }));
    // Between the looks at about 510 and 1,022 ms.
    await sleep(600);
    const committedAt = Date.now();
    await api.seed.progress(name, topic!, 0, 1, 11);
    const { response, at } = await waiting;
    expect(response.status).toBe(200);
    expect(response.headers['x-consistent-position']).toBe('11');
    expect(committedAt - started).toBeGreaterThanOrEqual(600);
    expect(at - committedAt).toBeLessThan(250);
  });
});
