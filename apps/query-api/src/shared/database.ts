import { Logger } from '@nestjs/common';
import { createPool } from '@ledger/postgres';
import type { Pool } from 'pg';

export const READ_MODEL_POOL = Symbol('READ_MODEL_POOL');
/** Reads the relay's checkpoint; null when minPosition does not wait for the relay. */
export const EVENT_STORE_POOL = Symbol('EVENT_STORE_POOL');

/** A read-only pool (read models, or the relay's checkpoint); a statement timeout keeps a runaway query from holding a client. */
export function createReadModelPool(url: string, size: number): Pool {
  const logger = new Logger('ReadModelPool');
  // A client losing its connection must not crash the process; the next query reconnects.
  return createPool(
    { connectionString: url, max: size, statement_timeout: 10_000, application_name: 'query-api' },
    (error) => logger.warn({ err: error }, 'read-model connection failed'),
  );
}
