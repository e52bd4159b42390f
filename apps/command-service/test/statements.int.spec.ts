import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandApp, startCommandApp } from './command-app';

// What one command costs the database, counted at the driver: every statement any of the service's pools
// sends goes through Client.prototype.query. Besides the command's own statements an append may send one
// throttled wake-up NOTIFY on its own connection after it committed (APPEND_NOTIFY_INTERVAL_MS, ADR 0015).
describe('command service: statements per command', () => {
  let service: CommandApp;
  let sent: string[] = [];
  let counting = false;

  beforeAll(async () => {
    service = await startCommandApp();
    const query = Client.prototype.query;
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      if (counting) {
        const config = args[0] as string | { text?: string; name?: string };
        sent.push(typeof config === 'string' ? config : (config.name ?? config.text ?? '?'));
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await service.close();
  });

  async function counted(send: () => Promise<unknown>): Promise<string[]> {
    sent = [];
    counting = true;
    try {
      await send();
      await sleep(50); // anything the command sets off after answering counts too
    } finally {
      counting = false;
    }
    return sent.filter((statement) => statement !== 'event-store.notify');
  }

  it('a deposit to an account the service knows is one statement: the append', async () => {
    const opened = await service.http.post('/accounts').send({ ownerId: 'o', currency: 'EUR' }).expect(201);
    const id = opened.body.accountId as string;
    await service.http.post(`/accounts/${id}/deposits`).send({ amount: 1 }).expect(200);
    const statements = await counted(() =>
      service.http.post(`/accounts/${id}/deposits`).send({ amount: 5 }).expect(200),
    );
    expect(statements).toEqual(['event-store.append']);
  });

  it('a deposit after another instance wrote the account: the append refused, the newer events, the append', async () => {
    const opened = await service.http.post('/accounts').send({ ownerId: 'o', currency: 'EUR' }).expect(201);
    const id = opened.body.accountId as string;
    await service.http.post(`/accounts/${id}/deposits`).send({ amount: 1 }).expect(200);
    const other = await service.cloneOnSameDatabase();
    try {
      await other.http.post(`/accounts/${id}/deposits`).send({ amount: 10 }).expect(200);
    } finally {
      await other.closeApp();
    }
    let answer: { body: { version: number; account: { balance: number } } } | undefined;
    const statements = await counted(async () => {
      answer = await service.http.post(`/accounts/${id}/deposits`).send({ amount: 5 }).expect(200);
    });
    expect(statements).toEqual(['event-store.append', 'event-store.read-stream', 'event-store.append']);
    expect(answer?.body).toMatchObject({ version: 4, account: { balance: 16 } });
  });

  it('a keyed deposit costs no extra statement on the common path', async () => {
    const opened = await service.http.post('/accounts').send({ ownerId: 'o', currency: 'EUR' }).expect(201);
    const id = opened.body.accountId as string;
    await service.http.post(`/accounts/${id}/deposits`).send({ amount: 1 }).expect(200);
    const statements = await counted(() =>
      service.http
        .post(`/accounts/${id}/deposits`)
        .set('Idempotency-Key', 'statements-1')
        .send({ amount: 5 })
        .expect(200),
    );
    expect(statements).toEqual(['event-store.append']);
  });
});
