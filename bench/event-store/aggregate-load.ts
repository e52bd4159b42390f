import { ledgerUpcasters } from '@ledger/application';
import { accountDecider, type AccountState } from '@ledger/domain';
import { loadAggregate, PostgresEventStore, type SnapshotOptions } from '@ledger/event-store';
import { collectGarbage, summarize, timed, type Summary } from '../lib';
import { addOtherStreams, emptyTables } from './database';
import { AMOUNT } from './fixtures';
import { seedAccount } from './seed-account';

export interface LoadCase {
  readonly name: string;
  readonly streamLength: number;
  /** Events read and folded after the snapshot (all of them without one). */
  readonly eventsFolded: number;
  readonly milliseconds: Summary;
}

interface Seeded {
  readonly streamId: string;
  readonly length: number;
  readonly snapshots: SnapshotOptions;
}

const WARM_UP_LOADS = 2;
/** Other accounts in the table while loading, and their events each. */
export const OTHER_STREAMS = 500;
export const OTHER_EVENTS_EACH = 200;

/**
 * Load time of an account stream without snapshots, with the newest snapshot at the head, and with the
 * newest snapshot `snapshotEvery - 1` events behind the head (the most a snapshotting handler leaves),
 * in a table that also holds other accounts' events.
 */
export async function measureAggregateLoads(
  databaseUrl: string,
  { streamLength, snapshotEvery, loads }: { streamLength: number; snapshotEvery: number; loads: number },
): Promise<LoadCase[]> {
  if (streamLength < snapshotEvery)
    throw new RangeError('the stream must be at least one snapshot interval long');
  const store = new PostgresEventStore({
    connectionString: databaseUrl,
    poolSize: 2,
    upcasters: ledgerUpcasters(),
  });
  try {
    await emptyTables(databaseUrl);
    const seed = async (length: number, snapshots: SnapshotOptions): Promise<Seeded> => ({
      streamId: await seedAccount(store, length, snapshotEvery, snapshots),
      length,
      snapshots,
    });
    const cases = [
      await seed(streamLength, {}),
      await seed(streamLength, { snapshotEvery }),
      await seed(streamLength - (streamLength % snapshotEvery) - 1, { snapshotEvery }),
    ];
    await addOtherStreams(databaseUrl, OTHER_STREAMS, OTHER_EVENTS_EACH);
    const samples = cases.map(() => [] as number[]);
    const folded = cases.map(() => 0);
    // Interleaved, so a burst of load from elsewhere on the machine hits every case alike.
    for (let round = 0; round < WARM_UP_LOADS + loads; round++) {
      for (const [index, seeded] of cases.entries()) {
        collectGarbage();
        const { result: loaded, ms } = await timed(() =>
          loadAggregate(store, accountDecider, seeded.streamId, seeded.snapshots),
        );
        if (loaded.version !== seeded.length || !isBalance(loaded.state, (seeded.length - 1) * AMOUNT)) {
          throw new Error(
            `${seeded.streamId}: loaded an unexpected account state at version ${loaded.version}`,
          );
        }
        folded[index] = seeded.length - (loaded.snapshotStreamVersion ?? 0);
        if (round >= WARM_UP_LOADS) samples[index].push(ms);
      }
    }
    return cases.map((seeded, index) => ({
      name: caseName(seeded, folded[index]),
      streamLength: seeded.length,
      eventsFolded: folded[index],
      milliseconds: summarize(samples[index]),
    }));
  } finally {
    await store.close();
  }
}

const isBalance = (state: AccountState, balance: number) =>
  state.status === 'open' && state.balance === balance;

// Named after what the load found, so a stream length that is no multiple of the interval cannot mislabel.
function caseName(seeded: Seeded, folded: number): string {
  if (seeded.snapshots.snapshotEvery === undefined) return 'no snapshot';
  return folded === 0 ? 'newest snapshot at the head' : `newest snapshot ${folded} events behind the head`;
}
