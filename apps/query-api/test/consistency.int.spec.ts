import { LogEndUnavailableError } from '../src/consistency/progress';
import { QueryApp, startQueryApp } from './query-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(request: PromiseLike<T>): Promise<{ response: T; ms: number }> {
  const started = Date.now();
  const response = await request;
  return { response, ms: Date.now() - started };
}

// Given: the suite's account topic with two partitions holding records, and progress rows as the projector
// would record them. Each test moves the rows (or the log) on from where the previous one left them.
describe('query API: minPosition (read-your-writes)', () => {
  let api: QueryApp;
  let account: string;
  let topic: string;
  let projection: string;
  const progress = (partition: number, offset: number, globalPosition: number | null) =>
    api.seed.progress(projection, topic, partition, offset, globalPosition);

  beforeAll(async () => {
    api = await startQueryApp({ QUERY_MAX_WAIT_MS: '700' });
    projection = api.feeds.accounts.name;
    topic = api.feeds.accounts.topics[0]!;
    account = await api.seed.account();
    await api.produce(topic, 0, 2);
    await api.produce(topic, 1, 2);
  });
  afterAll(() => api?.close());

  it('answers at once with X-Consistent-Position when every partition has applied the position', async () => {
    await progress(0, 0, 20); // one record still to read, but already past the position
    await progress(1, 1, 5); // nothing left to read
    const { response, ms } = await timed(api.http.get(`/accounts/${account}`).query({ minPosition: 15 }));
    expect(response.status).toBe(200);
    expect(response.headers['x-consistent-position']).toBe('20');
    expect(response.body.accountId).toBe(account);
    expect(ms).toBeLessThan(500);
  });

  it('waits while a partition is behind and answers once the projection moves past the position', async () => {
    const pending = timed(api.http.get(`/accounts/${account}/statement`).query({ minPosition: 30 }));
    await sleep(200);
    await progress(0, 1, 31);
    const { response, ms } = await pending;
    expect(response.status).toBe(200);
    expect(Number(response.headers['x-consistent-position'])).toBeGreaterThanOrEqual(30);
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(ms).toBeLessThan(700);
  });

  it('counts partitions with nothing left to read as caught up, whatever position is asked for', async () => {
    const response = await api.http
      .get(`/accounts/${account}/balance`)
      .query({ minPosition: 1_000_000 })
      .expect(200);
    expect(response.headers['x-consistent-position']).toBe('1000000');
  });

  it('answers 503 STALE_READ with Retry-After within the requested bound when the projection stays behind', async () => {
    await api.produce(topic, 1, 1);
    const { response, ms } = await timed(
      api.http.get(`/accounts/${account}`).query({ minPosition: 40, maxWaitMs: 300 }),
    );
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({
      status: 503,
      code: 'STALE_READ',
      minPosition: 40,
      consistentPosition: 5,
      lagging: [{ projection, topic, partition: 1, nextOffset: 2, logEnd: 3, globalPosition: 5 }],
    });
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(1_000);
  });

  it('waits at most QUERY_MAX_WAIT_MS without maxWaitMs', async () => {
    const { response, ms } = await timed(
      api.http.get('/accounts').query({ ownerId: 'owner', minPosition: 40 }),
    );
    expect(response.status).toBe(503);
    expect(ms).toBeGreaterThanOrEqual(700);
    expect(ms).toBeLessThan(1_500);
  });

  it('answers stale at once with maxWaitMs=0', async () => {
    const { response, ms } = await timed(
      api.http.get(`/accounts/${account}`).query({ minPosition: 40, maxWaitMs: 0 }),
    );
    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(300);
  });

  it('never trusts log-end offsets looked up before the request arrived', async () => {
    await progress(1, 2, 45);
    await api.http.get(`/accounts/${account}`).query({ minPosition: 45 }).expect(200);
    await api.produce(topic, 0, 1); // lands right after that look at the log ends
    const response = await api.http
      .get(`/accounts/${account}`)
      .query({ minPosition: 45, maxWaitMs: 0 })
      .expect(503);
    expect(response.body.lagging).toEqual([
      expect.objectContaining({ partition: 0, nextOffset: 2, logEnd: 3, globalPosition: 31 }),
    ]);
  });

  it('waits only for the projection that feeds the endpoint', async () => {
    // The transfers topic holds nothing, so the transfers projection is trivially caught up.
    const transfers = await api.http
      .get('/transfers')
      .query({ accountId: account, minPosition: 40 })
      .expect(200);
    expect(transfers.headers['x-consistent-position']).toBe('40');
    await api.http.get('/projections').query({ minPosition: 40, maxWaitMs: 100 }).expect(503);
  });

  it('reads without waiting and without the header when no minPosition is given', async () => {
    const response = await api.http.get(`/accounts/${account}`).expect(200);
    expect(response.headers).not.toHaveProperty('x-consistent-position');
  });
});

describe('query API: minPosition when Kafka cannot tell where the log ends', () => {
  let api: QueryApp;
  beforeAll(async () => {
    api = await startQueryApp(
      {},
      {
        consistencySources: {
          logEnds: async (topic) =>
            Promise.reject(new LogEndUnavailableError(topic, new Error('broker unreachable'))),
          progress: async () => [],
        },
      },
    );
  });
  afterAll(() => api?.close());

  it('answers 503 CONSISTENCY_UNKNOWN instead of guessing, and still serves reads without minPosition', async () => {
    const id = await api.seed.account();
    const response = await api.http.get(`/accounts/${id}/statement`).query({ minPosition: 1 }).expect(503);
    expect(response.body).toMatchObject({ code: 'CONSISTENCY_UNKNOWN' });
    await api.http.get(`/accounts/${id}`).expect(200);
  });

  it('answers an account that itself reflects minPosition without asking Kafka, and 503 when it does not', async () => {
    const id = await api.seed.account();
    const { rows } = await api.sql.query<{ p: string }>(
      'select last_global_position as p from account_summaries where account_id = $1',
      [id],
    );
    const own = Number(rows[0]!.p);
    const response = await api.http.get(`/accounts/${id}`).query({ minPosition: own }).expect(200);
    expect(response.headers['x-consistent-position']).toBe(String(own));
    await api.http
      .get(`/accounts/${id}`)
      .query({ minPosition: own + 1 })
      .expect(503);
  });
});
