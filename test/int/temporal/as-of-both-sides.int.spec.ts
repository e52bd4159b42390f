import { ledgerUpcasters, TransferSaga } from '@ledger/application';
import { isLedgerEventType, type SagaEvent } from '@ledger/domain';
import { PostgresEventStore } from '@ledger/event-store';
import { accountsProjection } from '@ledger/read-models';
import { CommandApp, startCommandApp } from '../../../apps/command-service/test/command-app';
import { QueryApp, startQueryApp } from '../../../apps/query-api/test/query-app';
import { applyInOneTransaction, asDelivered, sleep } from './support';

// The command side's state and the query side's balance answer "as of" the same way, and an answer with a
// fixed knownAt never changes, even when the transfer saga books its steps late (a broker outage).
describe('as of, on both sides, across a late saga', () => {
  let commands: CommandApp;
  let queries: QueryApp;
  let store: PostgresEventStore;
  let saga: TransferSaga;
  let handled = 0;
  let projected = 0;

  beforeAll(async () => {
    commands = await startCommandApp();
    queries = await startQueryApp();
    store = new PostgresEventStore({ connectionString: commands.database.url, upcasters: ledgerUpcasters() });
    saga = new TransferSaga(store);
  });
  afterAll(async () => {
    await store?.close();
    await commands?.close();
    await queries?.close();
  });

  /** Lets the saga catch up with everything stored, as its consumer would after an outage. */
  async function runSaga(): Promise<void> {
    for (;;) {
      const events = await store.readAll({ after: handled });
      if (events.length === 0) return;
      for (const event of events) {
        handled = event.globalPosition;
        if (!isLedgerEventType(event.type)) continue;
        const sagaEvent = {
          type: event.type,
          data: event.data,
          streamId: event.streamId,
          eventId: event.eventId,
        };
        await saga.handle(sagaEvent as SagaEvent);
      }
    }
  }

  async function project(): Promise<void> {
    const events = (await store.readAll({ after: projected })).filter(
      (event) => event.streamType === 'account',
    );
    projected = (await store.readAll()).at(-1)?.globalPosition ?? projected;
    await applyInOneTransaction(queries.sql, accountsProjection(), events.map(asDelivered));
  }

  async function accountWith(balance: number): Promise<string> {
    const { body } = await commands.http
      .post('/accounts')
      .send({ ownerId: 'o', currency: 'EUR' })
      .expect(201);
    if (balance > 0)
      await commands.http.post(`/accounts/${body.accountId}/deposits`).send({ amount: balance }).expect(200);
    return body.accountId;
  }

  const commandBalance = async (id: string, query: Record<string, string>) =>
    (await commands.http.get(`/accounts/${id}/state`).query(query).expect(200)).body.state.balance;
  const queryBalance = async (id: string, query: Record<string, string>) =>
    (await queries.http.get(`/accounts/${id}/balance`).query(query).expect(200)).body.balance;

  it('gives one balance as of a moment between a transfer request and its late debit', async () => {
    const [source, destination] = [await accountWith(194), await accountWith(0)];
    await commands.http
      .post('/transfers')
      .send({ fromAccountId: source, toAccountId: destination, amount: 5 })
      .expect(202);
    await sleep(20);
    const between = new Date().toISOString();
    await sleep(20);
    await runSaga();
    await project();

    const asOf = { asOf: between };
    expect({ command: await commandBalance(source, asOf), query: await queryBalance(source, asOf) }).toEqual({
      command: 194,
      query: 194,
    });
    const now = { asOf: new Date().toISOString() };
    expect({ command: await commandBalance(source, now), query: await queryBalance(source, now) }).toEqual({
      command: 189,
      query: 189,
    });
  });

  it('answers a question with a fixed knownAt the same before and after a late saga step', async () => {
    const [source, destination] = [await accountWith(300), await accountWith(0)];
    await project();
    await commands.http
      .post('/transfers')
      .send({ fromAccountId: source, toAccountId: destination, amount: 120 })
      .expect(202);
    await project();
    await sleep(20);
    const asked = { asOf: new Date().toISOString(), knownAt: new Date().toISOString() };
    const before = { command: await commandBalance(source, asked), query: await queryBalance(source, asked) };
    await sleep(20);
    await runSaga();
    await project();
    const after = { command: await commandBalance(source, asked), query: await queryBalance(source, asked) };
    expect(before).toEqual({ command: 300, query: 300 });
    expect(after).toEqual(before);
    const later = { asOf: new Date().toISOString() };
    expect(await queryBalance(source, later)).toBe(180);
    expect(await queryBalance(destination, later)).toBe(120);
  });
});
