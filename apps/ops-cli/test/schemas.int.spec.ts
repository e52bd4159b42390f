import { run } from '../src/main';
import { captureCliOutput } from './support/cli';

// `schemas diff` over the committed avro-schemas/: no service needed, but it runs the CLI as operators do.
describe('ops-cli schemas diff', () => {
  const output = captureCliOutput();

  it('shows the field AccountOpened v2 added and that both directions resolve', async () => {
    expect(await run(['schemas', 'diff', 'ledger.accounts.AccountOpened'])).toBe(0);
    expect(output.stdout).toContain('ledger.accounts.AccountOpened v1 → v2');
    expect(output.stdout).toMatch(/\+ dailyWithdrawalLimit: "long" \(default 100000000\)/);
    expect(output.stdout).toContain('backward (v2 reads v1 data): yes');
    expect(output.stdout).toContain('forward (v1 reads v2 data): yes');
  });

  it('answers JSON, and reports no change between a version and itself', async () => {
    expect(
      await run(['--json', 'schemas', 'diff', 'ledger.accounts.AccountOpened', '--from', '2', '--to', '2']),
    ).toBe(0);
    expect(JSON.parse(output.stdout)).toEqual({
      type: 'ledger.accounts.AccountOpened',
      from: 2,
      to: 2,
      added: [],
      removed: [],
      changed: [],
      backward: { compatible: true },
      forward: { compatible: true },
    });
  });

  it.each([
    [['schemas', 'diff', 'ledger.accounts.NoSuchEvent'], 'no event type "ledger.accounts.NoSuchEvent"'],
    [['schemas', 'diff', 'ledger.accounts.AccountOpened', '--to', '7'], 'has no v7; versions: 1, 2'],
    [['schemas', 'diff', 'ledger.accounts.AccountOpened', '--from', 'v1'], 'not a schema version: v1'],
  ])('refuses %j with exit code 2', async (argv, message) => {
    expect(await run(argv)).toBe(2);
    expect(output.stderr).toContain(message);
  });
});
