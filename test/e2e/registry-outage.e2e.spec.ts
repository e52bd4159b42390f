import { schemaRegistryUrl, TcpProxy, waitFor } from '@ledger/testing';
import { LedgerClient } from './support/ledger-client';
import { AppName, RunningSystem } from './support/system';

const CONSUMERS: AppName[] = ['event-relay', 'transfer-saga', 'projector-accounts', 'projector-transfers'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every app reaches the schema registry through a proxy the test stops. Readiness means "cannot do its
// job now": with the schemas it needs cached, an app keeps working and stays ready; an app that needs a
// schema it does not have is not ready until the registry answers again.
describe('readiness while the schema registry is down', () => {
  let system: RunningSystem;
  let proxy: TcpProxy;
  let ledger: LedgerClient;

  beforeAll(async () => {
    const registry = new URL(schemaRegistryUrl());
    proxy = await TcpProxy.to(registry.hostname, Number(registry.port || 80));
    system = await RunningSystem.start({
      SCHEMA_REGISTRY_URL: proxy.urlThrough(schemaRegistryUrl()),
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    });
    ledger = new LedgerClient(system);
  });
  afterAll(async () => {
    await proxy?.start();
    await system?.stop();
    await proxy?.stop();
  });

  const ready = async (app: AppName) =>
    (await fetch(`http://127.0.0.1:${system.ports[app]}/health/ready`)).status;

  async function transfer(from: string, to: string, amount: number): Promise<string> {
    const requested = await ledger.command(
      '/transfers',
      { fromAccountId: from, toAccountId: to, amount },
      202,
    );
    return requested.transferId!;
  }

  it('stays ready while cached schemas do, and is not ready only where a missing schema stops the work', async () => {
    // Every schema a transfer needs passes through each app once, and is cached.
    const [a, b] = [(await ledger.openAccount()).accountId, (await ledger.openAccount()).accountId];
    await ledger.command(`/accounts/${a}/deposits`, { amount: 1_000 });
    await ledger.command(`/accounts/${a}/withdrawals`, { amount: 10 });
    expect(await ledger.settledTransfer(await transfer(a, b, 100))).toMatchObject({ status: 'completed' });

    await proxy.stop();
    const samples: Array<[AppName, number]> = [];
    const sampling = (async () => {
      for (let i = 0; i < 15; i++) {
        for (const app of CONSUMERS) samples.push([app, await ready(app)]);
        await sleep(200);
      }
    })();
    const during = await transfer(a, b, 50);
    const deposit = await ledger.command(`/accounts/${b}/deposits`, { amount: 7 });
    await sampling;
    expect(await ledger.settledTransfer(during)).toMatchObject({ status: 'completed' });
    expect(await ledger.read(`/accounts/${b}`, deposit.globalPosition)).toMatchObject({ balance: 157 });
    expect(samples.filter(([, status]) => status !== 200)).toEqual([]);

    // A projector restarted now has no schema cached: the first record it must decode stops it.
    await system.stopApp('projector-transfers');
    await system.restartApp('projector-transfers');
    const stuck = await transfer(a, b, 5);
    await waitFor(async () => (await ready('projector-transfers')) === 503, {
      timeoutMs: 30_000,
      what: 'projector-transfers not ready',
    });
    // The relay has never encoded an AccountFrozen: it cannot publish it, nor anything after it.
    await ledger.command(`/accounts/${b}/freeze`, { reason: 'audit' });
    await waitFor(async () => (await ready('event-relay')) === 503, {
      timeoutMs: 30_000,
      what: 'event-relay not ready',
    });
    const relayReport = (await (
      await fetch(`http://127.0.0.1:${system.ports['event-relay']}/health/ready`)
    ).json()) as {
      checks: Record<string, { status: string }>;
    };
    expect(relayReport.checks['schema-registry']).toMatchObject({ status: 'down' });
    expect(await ready('projector-accounts')).toBe(200);

    await proxy.start();
    for (const app of CONSUMERS) await system.waitReady(app, 45_000);
    expect(await ledger.settledTransfer(stuck)).toMatchObject({ status: 'completed' });
    await waitFor(async () => (await system.query.get(`/accounts/${b}`)).body.status === 'frozen', {
      timeoutMs: 30_000,
      what: 'the frozen account in the read model',
    });
  });
});
