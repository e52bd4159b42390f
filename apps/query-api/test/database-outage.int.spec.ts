import { TcpProxy } from '@ledger/testing';
import { QueryApp, startQueryApp } from './query-app';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';

// The query API reaches its database through a proxy the test stops: new connections are refused and
// open ones reset, as while Postgres restarts. Every route must then answer 503 problem+json, never 500.
describe('query API while its database is unreachable', () => {
  let api: QueryApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await TcpProxy.to(
      '127.0.0.1',
      Number(new URL(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432').port || 5432),
    );
    api = await startQueryApp({ QUERY_WAIT_FOR_RELAY: 'true' }, {}, (url) => proxy.urlThrough(url));
    await api.seed.account({ accountId: ACCOUNT, balance: 100 });
  });
  afterAll(async () => {
    await proxy?.start();
    await api?.close();
    await proxy?.stop();
  });

  const routes = [
    `/accounts/${ACCOUNT}?minPosition=1&maxWaitMs=200`,
    `/accounts/${ACCOUNT}`,
    `/accounts?ownerId=owner`,
    `/accounts/${ACCOUNT}/statement?minPosition=1`,
    `/transfers?accountId=${ACCOUNT}`,
    '/projections',
  ];

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After on every route, then serves again when it is back', async () => {
    await api.http.get(`/accounts/${ACCOUNT}`).expect(200);
    await proxy.stop();
    for (const route of routes) {
      const started = Date.now();
      const response = await api.http.get(route);
      expect({ route, status: response.status }).toEqual({ route, status: 503 });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(6_000);
    }
    const ready = await api.http.get('/health/ready').expect(503);
    expect(ready.body.checks.postgres.status).toBe('down');

    await proxy.start();
    await api.http.get(`/accounts/${ACCOUNT}`).expect(200);
    await api.http.get('/health/ready').expect(200);
  });
});
