import {
  AccountOpenedV1Data,
  FROZEN_STEP_TIMES,
  FrozenStepType,
  upcastAccountOpenedV1,
  upcastTransferStepV1,
} from '@ledger/domain';
import { UpcasterRegistry } from '@ledger/event-store';

/** Every upcaster of the ledger's events; every reader of the store (commands, relay, saga) uses these. */
export function ledgerUpcasters(): UpcasterRegistry {
  const registry = new UpcasterRegistry().register<AccountOpenedV1Data>(
    'ledger.accounts.AccountOpened',
    1,
    upcastAccountOpenedV1,
  );
  for (const type of Object.keys(FROZEN_STEP_TIMES) as FrozenStepType[]) {
    registry.register<Record<string, unknown>>(type, 1, upcastTransferStepV1(type));
  }
  return registry;
}
