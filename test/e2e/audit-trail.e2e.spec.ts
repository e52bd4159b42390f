import { waitFor } from '@ledger/testing';
import { RunningSystem } from './support/system';

interface HistoryEntry {
  eventType: string;
  actor: { subject: string; role: string } | null;
  onBehalfOf: { subject: string; role: string } | null;
}

// Who did what, through the running apps: the token's subject becomes the actor of the events, the
// relay carries it as headers, the projector keeps it, the query API shows it; the saga acts for the
// customer who requested the transfer.
describe('the running ledger: audit trail and access', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await RunningSystem.start();
  });
  afterAll(() => system?.stop());

  it('shows each event of an account with its verified actor, the saga acting for the customer', async () => {
    const teller = await system.as('teller-9', 'teller');
    const alice = await system.as('alice', 'customer');
    const bob = await system.as('bob', 'customer');
    const mine = (await alice.command.post('/accounts').send({ currency: 'EUR' }).expect(201)).body
      .accountId as string;
    const theirs = (
      await teller.command.post('/accounts').send({ ownerId: 'bob', currency: 'EUR' }).expect(201)
    ).body.accountId as string;
    await teller.command
      .post(`/accounts/${mine}/deposits`)
      .set('X-Actor', 'spoofed')
      .send({ amount: 1_000 })
      .expect(200);
    const transfer = await alice.command
      .post('/transfers')
      .send({ fromAccountId: mine, toAccountId: theirs, amount: 300 })
      .expect(202);

    const history = await waitFor(
      async () => {
        const response = await alice.query.get(`/accounts/${mine}/history`);
        return response.status === 200 && response.body.items.length === 3
          ? (response.body.items as HistoryEntry[])
          : undefined;
      },
      { timeoutMs: 30_000, what: 'three history entries' },
    );
    expect(
      history.map(({ eventType, actor, onBehalfOf }) => [eventType.split('.').pop(), actor, onBehalfOf]),
    ).toEqual([
      ['AccountOpened', { subject: 'alice', role: 'customer' }, null],
      ['MoneyDeposited', { subject: 'teller-9', role: 'teller' }, null],
      [
        'TransferDebited',
        { subject: 'service:transfer-saga', role: 'service' },
        { subject: 'alice', role: 'customer' },
      ],
    ]);

    // Each customer sees the transfer (from or to an own account); bob does not see alice's account.
    await waitFor(
      async () => (await bob.query.get(`/transfers/${transfer.body.transferId}`)).status === 200,
      { timeoutMs: 30_000, what: 'transfer visible to bob' },
    );
    await bob.query.get(`/accounts/${mine}/history`).expect(404);
    await bob.query.get(`/accounts/${mine}`).expect(404);
    await bob.command.post(`/accounts/${mine}/withdrawals`).send({ amount: 1 }).expect(404);
    await system.query.get('/health/ready').expect(200);
  });

  it('refuses an unauthenticated call on both APIs', async () => {
    const response = await fetch(`http://127.0.0.1:${system.ports['command-service']}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ownerId: 'x', currency: 'EUR' }),
    });
    expect([response.status, response.headers.get('www-authenticate')]).toEqual([
      401,
      'Bearer realm="ledger"',
    ]);
    const query = await fetch(`http://127.0.0.1:${system.ports['query-api']}/accounts`);
    expect(query.status).toBe(401);
  });
});
