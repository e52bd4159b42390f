import { QueryApp, startQueryApp } from './query-app';

// Hostile query parameters are refused with 4xx problem+json, never a 500 from Postgres.
describe('query API: hostile input catalogue', () => {
  let api: QueryApp;
  let account: string;
  beforeAll(async () => {
    api = await startQueryApp({ QUERY_WAIT_FOR_RELAY: 'true', QUERY_MAX_WAIT_MS: '300' });
    account = await api.seed.account({ ownerId: 'ann' });
  });
  afterAll(() => api?.close());

  function expectProblem(
    response: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
    status: number,
    field?: string,
  ) {
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (field)
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }

  it.each([
    ['ownerId with NUL', '/accounts?ownerId=a%00b', 'ownerId'],
    ['asOf in year 0000', `/accounts/{id}/balance?asOf=0000-01-01T00:00:00Z`, 'asOf'],
    ['from in year 0000', `/accounts/{id}/statement?from=0000-06-01T00:00:00Z`, 'from'],
    ['to in year 0000', `/accounts/{id}/statement?to=0000-12-31T23:59:59Z`, 'to'],
  ])('%s: 400 naming the parameter', async (_, path, field) => {
    expectProblem(await api.http.get(path.replace('{id}', account)), 400, field);
  });

  it('an upper-case account id reads the account, answered in lower case', async () => {
    const response = await api.http.get(`/accounts/${account.toUpperCase()}`).expect(200);
    expect(response.body.accountId).toBe(account);
    const balance = await api.http.get(`/accounts/${account.toUpperCase()}/balance`).expect(200);
    expect(balance.body.accountId).toBe(account);
  });

  it("a minPosition past the store's head: 400 MIN_POSITION_AHEAD with the head", async () => {
    const response = await api.http.get(`/accounts/${account}?minPosition=999999999`);
    expectProblem(response, 400, 'minPosition');
    expect(response.body).toMatchObject({ code: 'MIN_POSITION_AHEAD', headPosition: 0 });
  });

  it('a maxWaitMs above the server cap: 400', async () => {
    expectProblem(await api.http.get(`/accounts/${account}?minPosition=1&maxWaitMs=301`), 400, 'maxWaitMs');
  });

  it('unknown parameters are listed at most 20 at a time', async () => {
    const query = Array.from({ length: 100 }, (_, index) => `p${index}=1`).join('&');
    const response = await api.http.get(`/accounts?${query}`);
    expectProblem(response, 400);
    expect(response.body.errors).toHaveLength(20);
    expect(response.body.errorsOmitted).toBe(80);
  });
});
