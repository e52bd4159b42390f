import { createClient } from '@ledger/postgres';
import type { WakeSignal } from '../wake-signal';

/** Channel the events table's insert trigger notifies (see the CreateEventStore migration). */
export const APPENDED_CHANNEL = 'events_appended';

/**
 * Opens a dedicated connection that LISTENs for appends and rings `wake` on each notification. A broken
 * connection fails the wake signal, so the subscription rejects instead of silently falling back to polling.
 */
export async function listenForAppends(
  connectionString: string,
  wake: WakeSignal,
): Promise<{ close(): Promise<void> }> {
  let closing = false;
  const client = createClient({ connectionString }, (error) => {
    if (!closing) wake.fail(error);
  });
  client.on('notification', () => wake.notify());
  client.on('end', () => {
    if (!closing) wake.fail(new Error('append notification connection ended'));
  });
  await client.connect();
  try {
    await client.query(`listen ${APPENDED_CHANNEL}`);
  } catch (error) {
    closing = true;
    await client.end();
    throw error;
  }
  return {
    async close() {
      closing = true;
      await client.end();
    },
  };
}
