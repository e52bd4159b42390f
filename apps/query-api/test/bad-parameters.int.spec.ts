import { QueryApp, startQueryApp } from './query-app';

const ACCOUNT = '7b8f0a3e-8f1a-4c36-9d55-0a3c2f9e1d11';
const otherListingCursor = Buffer.from(
  JSON.stringify(['transfers', '2025-01-01T00:00:00.000000Z', ACCOUNT]),
).toString('base64url');

describe('query API: bad parameters are refused with a 400 problem naming the fields', () => {
  let api: QueryApp;
  beforeAll(async () => {
    api = await startQueryApp({ QUERY_MAX_WAIT_MS: '500' });
  });
  afterAll(() => api?.close());

  it.each([
    ['an unknown parameter', `/accounts/${ACCOUNT}?verbose=true`, ['verbose']],
    ['an account id that is not a UUID', '/accounts/not-a-uuid', ['id']],
    ['a transfer id that is not a UUID', '/transfers/123', ['id']],
    ['a limit that is not a number', '/accounts?limit=ten', ['limit']],
    ['a fractional limit', '/accounts?limit=1.5', ['limit']],
    ['a limit in exponent notation', '/accounts?limit=1e1', ['limit']],
    ['a limit of zero', '/accounts?limit=0', ['limit']],
    ['a limit above 100', '/accounts?limit=101', ['limit']],
    ['an empty limit', '/accounts?limit=', ['limit']],
    ['a repeated limit', '/accounts?limit=1&limit=2', ['limit']],
    ['an unknown account status', '/accounts?status=dormant', ['status']],
    ['an empty owner', '/accounts?ownerId=', ['ownerId']],
    ['a cursor with foreign characters', '/accounts?cursor=not%20a%20cursor!', ['cursor']],
    ['a cursor of another listing', `/accounts?cursor=${otherListingCursor}`, ['cursor']],
    ['a cursor that decodes to nonsense', `/accounts/${ACCOUNT}/statement?cursor=bm9uc2Vuc2U`, ['cursor']],
    ['a from that is not a date-time', `/accounts/${ACCOUNT}/statement?from=yesterday`, ['from']],
    ['a to on a day the month lacks', `/accounts/${ACCOUNT}/statement?to=2025-02-30T00:00:00Z`, ['to']],
    ['an asOf without a time', `/accounts/${ACCOUNT}/balance?asOf=2025-01-01`, ['asOf']],
    ['an asOf without an offset', `/accounts/${ACCOUNT}/balance?asOf=2025-01-01T10:00:00`, ['asOf']],
    ['a transfer listing without accountId', '/transfers', ['accountId']],
    ['a transfer listing by a malformed account id', '/transfers?accountId=abc', ['accountId']],
    ['an unknown transfer status', `/transfers?accountId=${ACCOUNT}&status=lost`, ['status']],
    ['a negative minPosition', `/accounts/${ACCOUNT}?minPosition=-1`, ['minPosition']],
    ['a fractional minPosition', `/accounts/${ACCOUNT}?minPosition=2.5`, ['minPosition']],
    [
      'a minPosition beyond safe integers',
      `/accounts/${ACCOUNT}?minPosition=9007199254740993`,
      ['minPosition'],
    ],
    ['a textual minPosition', '/projections?minPosition=latest', ['minPosition']],
    [
      'a maxWaitMs above the configured bound',
      `/accounts/${ACCOUNT}?minPosition=1&maxWaitMs=501`,
      ['maxWaitMs'],
    ],
    ['a negative maxWaitMs', `/transfers?accountId=${ACCOUNT}&maxWaitMs=-5`, ['maxWaitMs']],
    [
      'several bad parameters at once',
      `/accounts/${ACCOUNT}/statement?limit=0&minPosition=-1&from=x`,
      ['limit', 'minPosition', 'from'],
    ],
  ])('%s', async (_, url, fields) => {
    const response = await api.http.get(url).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const named = new Set(response.body.errors.map((error: { field: string }) => error.field));
    expect([...named].sort()).toEqual([...fields].sort());
  });
});
