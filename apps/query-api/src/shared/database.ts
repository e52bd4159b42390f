import { Logger } from '@nestjs/common';
import { createPool, NotificationListener } from '@ledger/postgres';
import { PROJECTION_PROGRESS_CHANNEL } from '@ledger/projections';
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

/** Wakes waiting minPosition reads when a projector commits (ADR 0006); see progressListener. */
export const PROGRESS_NOTIFICATIONS = Symbol('PROGRESS_NOTIFICATIONS');

/**
 * Listens for the projections' progress on the read-model database. Without it (its connection lost)
 * waiting reads still look at their own pace, so it can fail without failing a request.
 */
export function progressListener(url: string): NotificationListener {
  const logger = new Logger('ProgressNotifications');
  return new NotificationListener({
    connection: { connectionString: url, application_name: 'query-api-progress' },
    channel: PROJECTION_PROGRESS_CHANNEL,
    onState: (state, error) =>
      state === 'lost'
        ? logger.warn({ err: error }, 'progress notifications lost; waiting reads poll until they are back')
        : logger.log('listening for projection progress'),
  });
}
