import { TransientError } from '@ledger/projections';
import type { WriteGuard } from '../projection-options';
import type { Pool, PoolClient } from 'pg';
import { PROJECTIONS } from '../schema';
import type { ReadModelName } from './models';

/** Which version of a read model the canonical tables hold, and the consumer group that keeps them. */
export interface ActiveVersion {
  version: number;
  group: string;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Key of the advisory lock between the live projector's transactions (shared) and a swap (exclusive). */
export const activeLockKey = (model: ReadModelName): string => `ledger.read-model.active.${model}`;

/** The active version; version 1 under the projector's historical group until a rebuild swapped one in. */
export async function activeVersion(db: Queryable, model: ReadModelName): Promise<ActiveVersion> {
  const { rows } = await db.query<{ version: number; group_name: string }>(
    'select version, group_name from read_model_active where read_model = $1',
    [model],
  );
  const row = rows[0];
  return row
    ? { version: row.version, group: row.group_name }
    : { version: 1, group: PROJECTIONS[model].name };
}

/** Raised in a live projector's transaction once a swap has made another group the active one. */
export class SupersededVersionError extends TransientError {
  constructor(model: ReadModelName, group: string, active: string) {
    super(`read model ${model} is now kept by ${active}, not ${group}: the projector switches over`);
  }
}

/**
 * The guard of each live batch: its first statement takes the lock shared, so it waits while a swap holds
 * it (the world stops briefly); its final statement refuses to commit unless `group` is still the active one, read on a
 * snapshot taken after the lock was granted. Transient, so the runtime backs off and retries until the
 * projector, watching `read_model_active`, restarts on the new group.
 */
export function activeGroupGuard(model: ReadModelName, group: string): WriteGuard {
  return {
    lockKey: activeLockKey(model),
    verify: {
      text: 'select coalesce((select group_name from read_model_active where read_model = $1), $2::text) as g',
      values: [model, PROJECTIONS[model].name],
      check: {
        expression: (result) => `(select g from ${result})`,
        verify: (active) => {
          if (active !== group) throw new SupersededVersionError(model, group, String(active));
        },
      },
    },
  };
}

/**
 * The consumer group keeping a read model now, from its historical group name (what the apps and tools
 * are configured with): the group a rebuild swapped in, or the historical one.
 */
export async function activeGroupOf(db: Queryable, baseGroup: string): Promise<string> {
  const { rows } = await db.query<{ group_name: string }>(
    'select group_name from read_model_active where base_group = $1',
    [baseGroup],
  );
  return rows[0]?.group_name ?? baseGroup;
}
