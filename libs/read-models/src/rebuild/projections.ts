import type { DecodedEvent, Projection } from '@ledger/projections';
import { accountsProjection } from '../accounts/accounts-projection';
import type { ReadModelProjectionOptions } from '../projection-options';
import { transfersProjection } from '../transfers/transfers-projection';
import { activeGroupGuard, type ActiveVersion } from '../versions/active';
import type { ReadModelName } from '../versions/models';

export function projectionOf(
  model: ReadModelName,
  options: ReadModelProjectionOptions,
): Projection<DecodedEvent> {
  return model === 'accounts' ? accountsProjection(options) : transfersProjection(options);
}

/**
 * The projection a live projector runs for the active version: the canonical tables, the version's
 * consumer group, and the guard that stops it writing once a swap has made another version active.
 */
export function liveProjectionOf(model: ReadModelName, active: ActiveVersion): Projection<DecodedEvent> {
  return projectionOf(model, {
    name: active.group,
    guard: activeGroupGuard(model, active.group),
  });
}
