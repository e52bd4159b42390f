import type { AccountCommand } from '../accounts/commands';
import type { TransferStatus } from './state';
import { isStepStillWanted } from './step-guard';

const base = {
  accountId: 'a',
  transferId: 't',
  amount: 10,
  currency: 'EUR',
  now: '2026-01-01T00:00:00.000Z',
  requestedAt: null,
};
const debit: AccountCommand = { type: 'DebitForTransfer', counterpartyAccountId: 'b', ...base };
const credit: AccountCommand = { type: 'CreditForTransfer', counterpartyAccountId: 'b', ...base };
const refund: AccountCommand = { type: 'RefundTransfer', ...base };

describe('isStepStillWanted', () => {
  const cases: Array<[AccountCommand, TransferStatus[], TransferStatus[]]> = [
    [debit, ['requested', 'debited'], ['failed', 'creditRefused', 'completed', 'notRequested']],
    [credit, ['debited', 'completed'], ['creditRefused', 'failed', 'requested', 'notRequested']],
    [refund, ['creditRefused', 'failed'], ['requested', 'debited', 'completed', 'notRequested']],
  ];
  it.each(cases)('%o runs only while the transfer allows it', (command, wanted, unwanted) => {
    for (const status of wanted) expect(isStepStillWanted(status, command)).toBe(true);
    for (const status of unwanted) expect(isStepStillWanted(status, command)).toBe(false);
  });

  it('a late credit after a refused one is not wanted, so money cannot reach both accounts', () => {
    expect(isStepStillWanted('creditRefused', credit)).toBe(false);
  });
});
