import { AccountOpenedV1Data, upcastAccountOpenedV1 } from '@ledger/domain';
import { UpcasterRegistry } from '@ledger/event-store';

/** Every upcaster of the ledger's events; every reader of the store (commands, relay, saga) uses these. */
export function ledgerUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry().register<AccountOpenedV1Data>('ledger.accounts.AccountOpened', 1, upcastAccountOpenedV1);
}
