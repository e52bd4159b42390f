import { Client } from 'pg';
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
  const client = new Client({ connectionString });
  let closing = false;
  client.on('notification', () => wake.notify());
  client.on('error', (error) => {
    if (!closing) wake.fail(error);
  });
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
