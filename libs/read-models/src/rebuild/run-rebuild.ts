import { withTransaction } from '@ledger/postgres';
import {
  clearCheckpoints,
  defaultRetryPolicy,
  ensureProjectionTopics,
  missingTables,
  retryGroup,
  startProjector,
  TransientError,
  type DecodedEvent,
  type DecodeRecord,
  type ProjectorHandle,
} from '@ledger/projections';
import { silentLogger, type RuntimeLogger } from '@ledger/runtime';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECTIONS, READ_MODEL_VERSION_TABLES } from '../schema';
import { activeLockKey, activeVersion, type ActiveVersion } from '../versions/active';
import { groupOf, tablesOf, versionSuffix, type ReadModelName } from '../versions/models';
import {
  abandonedRebuilds,
  insertRebuild,
  nextVersion,
  previousVersionsDue,
  recordDropPlan,
  recordPreviousDropped,
  recordProgress,
  recordState,
  type RebuildMode,
  type RebuildProgress,
} from '../versions/rebuilds';
import {
  createShadow,
  dropVersionTables,
  finishShadow,
  setShadowLogged,
  swapTables,
} from '../versions/shadow';
import { AccountsBulkFold } from '../accounts/bulk-accounts';
import { accountTables } from '../tables';
import { bulkLoad, type BulkFold } from './bulk-load';
import { covers, groupPositions, measureBacklog } from './measure';
import { projectionOf } from './projections';

/** The operator's to fix (unknown model, a rebuild already running, setup not run): nothing was changed. */
export class RebuildRefused extends Error {
  override readonly name = 'RebuildRefused';
}

export interface RebuildDependencies {
  /** As the schema owner: the rebuild creates, renames and drops tables. */
  pool: Pool;
  kafka: Kafka;
  admin: Admin;
  decode: DecodeRecord<DecodedEvent>;
  logger?: RuntimeLogger;
}

export type RebuildPhase = 'building' | 'finishing' | 'freezing' | 'swapped' | 'grace';

export interface RebuildOptions {
  model: ReadModelName;
  mode: RebuildMode;
  /** Keep the previous version's tables instead of dropping them after the grace period. */
  keep: boolean;
  graceMs: number;
  /** Swap once the shadow is within this many records of the log end. */
  lagBound: number;
  /** How long the live projector may stay frozen while the shadow catches up with it; then retry. */
  freezeTimeoutMs: number;
  pollMs: number;
  dryRun: boolean;
  topics?: readonly string[];
  onProgress?: (phase: RebuildPhase, progress: RebuildProgress) => void;
  onStep?: (message: string) => void;
}

export interface RebuildPlan {
  readModel: ReadModelName;
  previousVersion: number;
  previousGroup: string;
  version: number;
  group: string;
  mode: RebuildMode;
  topics: string[];
  tables: { canonical: string; shadow: string; retired: string }[];
  steps: string[];
}

export interface RebuildResult {
  plan: RebuildPlan;
  id?: number;
  swapped: boolean;
  previousDropped: boolean;
  progress?: RebuildProgress;
}

const FREEZE_ATTEMPTS = 3;
const LOCK_NOT_AVAILABLE = '55P03';
/** As the projectors' RETRY_TOPIC_PARTITIONS default. */
const RETRY_TOPIC_PARTITIONS = 6;
const hasBulkFold = (model: ReadModelName) => model === 'accounts';

/** The in-memory fold of a fast build's bulk load; none: the projector builds from the start. */
function bulkFoldOf(model: ReadModelName, version: number): BulkFold | undefined {
  return hasBulkFold(model) ? new AccountsBulkFold(accountTables(versionSuffix(version))) : undefined;
}

const rebuildLockKey = (model: ReadModelName) => `ledger.read-model.rebuild.${model}`;
const shadowLockKey = (model: ReadModelName) => `ledger.read-model.shadow.${model}`;

/**
 * Builds a new version of a read model into shadow tables under a new consumer group, from the first
 * record, while the live projector and the query API keep the current one; swaps when caught up; drops
 * the previous version after a grace period (ADR 0020). One rebuild per read model at a time.
 */
export async function runRebuild(deps: RebuildDependencies, options: RebuildOptions): Promise<RebuildResult> {
  const lock = await deps.pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>(
      'select pg_try_advisory_lock(hashtext($1)) as locked',
      [rebuildLockKey(options.model)],
    );
    if (!rows[0]?.locked) throw new RebuildRefused(`a rebuild of ${options.model} is already running`);
    try {
      return await new Rebuild(deps, options).run();
    } finally {
      await lock.query('select pg_advisory_unlock(hashtext($1))', [rebuildLockKey(options.model)]);
    }
  } finally {
    lock.release();
  }
}

class Rebuild {
  private readonly step: (message: string) => void;
  private readonly logger: RuntimeLogger;
  private readonly topics: string[];
  /** Set in the swap: the shadow's batches stop writing (they are retried, then end with its consumer). */
  private handingOver = false;

  constructor(
    private readonly deps: RebuildDependencies,
    private readonly options: RebuildOptions,
  ) {
    this.step = options.onStep ?? (() => undefined);
    this.logger = deps.logger ?? silentLogger;
    this.topics = [...(options.topics ?? PROJECTIONS[options.model].topics)];
  }

  async run(): Promise<RebuildResult> {
    const { pool } = this.deps;
    const { model } = this.options;
    const missing = await missingTables(pool, [...tablesOf(model), ...READ_MODEL_VERSION_TABLES]);
    if (missing.length > 0)
      throw new RebuildRefused(`tables ${missing.join(', ')} are missing: run ops-cli setup first`);
    await this.cleanUpEarlierRuns();
    const active = await activeVersion(pool, model);
    const plan = this.planOf(active, await nextVersion(pool, model, active.version));
    if (this.options.dryRun) return { plan, swapped: false, previousDropped: false };

    await pool.query(
      `insert into read_model_active (read_model, version, group_name, base_group) values ($1, $2, $3, $4)
       on conflict (read_model) do nothing`,
      [model, active.version, active.group, PROJECTIONS[model].name],
    );
    const fast = this.options.mode === 'fast';
    const id = await withTransaction(pool, async (tx) => {
      await createShadow(tx, model, plan.version, { fast });
      await clearCheckpoints(tx, plan.group);
      return insertRebuild(tx, {
        readModel: model,
        version: plan.version,
        group: plan.group,
        previousVersion: active.version,
        mode: this.options.mode,
        keepPrevious: this.options.keep,
      });
    });
    this.step(
      `building version ${plan.version} of ${model} into ${plan.tables.map((t) => t.shadow).join(', ')}`,
    );

    let handle: ProjectorHandle | undefined;
    let progress: RebuildProgress | undefined;
    try {
      // The shadow runs the default retry ladder; the live projector ensures its own levels when it takes over.
      await ensureProjectionTopics(this.deps.admin, plan.group, {
        retryLevels: defaultRetryPolicy.levels,
        partitions: RETRY_TOPIC_PARTITIONS,
      });
      if (fast) await this.loadInBulk(id, plan);
      handle = await startProjector({
        kafka: this.deps.kafka,
        pool,
        projection: projectionOf(model, {
          name: plan.group,
          topics: this.topics,
          tableSuffix: versionSuffix(plan.version),
          // Each shadow batch takes a shared lock the swap takes exclusively, so no shadow write is in
          // flight while the tables are renamed, and none commits after (the suffixed names are gone then).
          guard: {
            lockKey: shadowLockKey(this.options.model),
            afterLock: () => {
              if (this.handingOver)
                throw new TransientError('the rebuild is handing over to the live projector');
            },
          },
        }),
        decode: this.deps.decode,
        // Fast: large transactions and fetches, every partition at once.
        maxBatchSize: fast ? 5000 : 500,
        partitionsConsumedConcurrently: fast ? 8 : 1,
        // Short polls in fast mode: leaving the group after the swap waits for the poll in flight, and the
        // retry consumer's long one (10 s by default) held the rebuild up for seconds after the swap.
        consumerConfig: fast
          ? { maxBytesPerPartition: 16 << 20, maxBytes: 64 << 20, maxWaitTimeInMs: 500 }
          : undefined,
        logger: this.logger,
      });
      const started = { at: performance.now(), processed: -1 };
      progress = await this.catchUp(id, plan, 'building', started);
      if (fast) {
        this.step('building secondary indexes, then logging the tables');
        await finishShadow(pool, model, plan.version);
        progress = await this.catchUp(id, plan, 'finishing', started);
      }
      for (let attempt = 1; ; attempt++) {
        await recordState(pool, id, 'swapping');
        this.step(`freezing ${active.group} while version ${plan.version} catches up with it`);
        if (await this.freezeAndSwap(id, plan, active)) break;
        if (attempt >= FREEZE_ATTEMPTS)
          throw new Error(
            `version ${plan.version} did not catch up within ${this.options.freezeTimeoutMs} ms`,
          );
        this.step('not caught up in time: the live projector resumed; trying again');
        await recordState(pool, id, 'building');
        progress = await this.catchUp(id, plan, 'building', started);
      }
    } catch (error) {
      await handle?.stop().catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      await recordState(pool, id, 'failed', message).catch(() => undefined);
      await dropVersionTables(pool, model, plan.version).catch(() => undefined);
      throw error;
    }
    this.step(`swapped: ${model} is version ${plan.version}, kept by consumer group ${plan.group}`);
    this.options.onProgress?.('swapped', progress);
    // Its batches stopped at the swap; now its consumer leaves the group to the live projector.
    await handle.stop().catch(() => undefined);

    if (this.options.keep) {
      this.step(`version ${active.version} kept as ${plan.tables.map((t) => t.retired).join(', ')}`);
      return { plan, id, swapped: true, previousDropped: false, progress };
    }
    await recordDropPlan(pool, id, this.options.graceMs);
    this.step(`version ${active.version} is dropped in ${Math.round(this.options.graceMs / 1000)} s`);
    await sleep(this.options.graceMs);
    await this.dropPrevious(id, active);
    this.step(`version ${active.version} dropped`);
    return { plan, id, swapped: true, previousDropped: true, progress };
  }

  private planOf(active: ActiveVersion, version: number): RebuildPlan {
    const { model, mode, keep, graceMs, lagBound } = this.options;
    const group = groupOf(model, version);
    const tables = tablesOf(model).map((table) => ({
      canonical: table,
      shadow: `${table}${versionSuffix(version)}`,
      retired: `${table}${versionSuffix(active.version)}`,
    }));
    const steps = [
      `create ${mode === 'fast' ? 'unlogged ' : ''}tables ${tables.map((t) => t.shadow).join(', ')} like the live ones`,
      `consume ${this.topics.join(', ')} from the beginning as consumer group ${group}${
        mode === 'fast' && hasBulkFold(model)
          ? ': in bulk up to the current end (folded in memory, rows written in large statements to the tables set logged while empty), then through the projector'
          : ''
      }`,
      ...(mode === 'fast' ? ['build the secondary indexes and set the tables logged'] : []),
      `once within ${lagBound} record(s) of the log end: freeze ${active.group}, let ${group} catch up with it`,
      `in one transaction: rename ${tables.map((t) => t.canonical).join(', ')} to ${tables.map((t) => t.retired).join(', ')}, the shadow tables to the canonical names, make ${group} active`,
      keep
        ? `keep version ${active.version}'s tables`
        : `drop version ${active.version}'s tables after ${Math.round(graceMs / 1000)} s`,
    ];
    return {
      readModel: model,
      previousVersion: active.version,
      previousGroup: active.group,
      version,
      group,
      mode,
      topics: this.topics,
      tables,
      steps,
    };
  }

  /**
   * Fast mode's first step, for a read model with a bulk fold: applies the log up to its current end in
   * memory and writes the rows in large statements, then leaves the projector the group's checkpoints,
   * positions and offsets at that end. When it stops (a record it cannot decode, an event the read model
   * rejects, a failed write), what it wrote is emptied and the projector builds everything from the start.
   */
  private async loadInBulk(id: number, plan: RebuildPlan): Promise<void> {
    const { pool, admin } = this.deps;
    const fold = bulkFoldOf(this.options.model, plan.version);
    if (!fold) return;
    const parked = await pool.query('select 1 from projection_parked_keys where projection = $1 limit 1', [
      plan.group,
    ]);
    if (parked.rows.length > 0) {
      this.step(`${plan.group} has parked streams: no bulk load, the projector builds everything`);
      return;
    }
    this.step(`loading ${this.topics.join(', ')} in bulk up to the current end`);
    await setShadowLogged(pool, this.options.model, plan.version, true);
    const started = performance.now();
    let reported = 0;
    try {
      const loaded = await bulkLoad({
        kafka: this.deps.kafka,
        admin,
        pool,
        decode: this.deps.decode,
        group: plan.group,
        topics: this.topics,
        fold,
        onProgress: (read, total) => {
          const now = performance.now();
          if (read < total && now - reported < this.options.pollMs) return;
          reported = now;
          const seconds = (now - started) / 1000;
          const rate = seconds > 0 ? read / seconds : 0;
          const progress: RebuildProgress = {
            eventsApplied: read,
            eventsTotal: total,
            lagEvents: total - read,
            ratePerSecond: rate,
            etaSeconds: rate > 0 ? (total - read) / rate : null,
          };
          this.options.onProgress?.('building', progress);
          void recordProgress(pool, id, progress).catch(() => undefined);
        },
      });
      this.step(
        `loaded ${loaded.records} records in bulk (${loaded.applied} applied, ${loaded.streams} streams) in ${((performance.now() - started) / 1000).toFixed(1)} s; the projector goes on from there`,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ readModel: this.options.model, version: plan.version, reason }, 'bulk load stopped');
      this.step(`bulk load stopped (${reason}): the projector builds version ${plan.version} from the start`);
      await withTransaction(pool, async (tx) => {
        await tx.query(`truncate ${plan.tables.map((table) => `"${table.shadow}"`).join(', ')}`);
        await setShadowLogged(tx, this.options.model, plan.version, false);
        await clearCheckpoints(tx, plan.group);
      });
      // Offsets the load may have set: the projector must start from the beginning.
      await admin.deleteGroups([plan.group]).catch(() => undefined);
    }
  }

  /** An earlier run's leftovers: shadows of runs whose process is gone, previous versions past their grace. */
  private async cleanUpEarlierRuns(): Promise<void> {
    const { pool } = this.deps;
    const { model, dryRun } = this.options;
    for (const left of await abandonedRebuilds(pool, model)) {
      this.step(
        `${dryRun ? 'would drop' : 'dropping'} version ${left.version}, left by a rebuild that ended`,
      );
      if (dryRun) continue;
      await dropVersionTables(pool, model, left.version);
      await recordState(pool, left.id, 'failed', 'abandoned: its process ended before the swap');
    }
    for (const due of await previousVersionsDue(pool, model)) {
      this.step(
        `${dryRun ? 'would drop' : 'dropping'} version ${due.previousVersion}, past its grace period`,
      );
      if (dryRun) continue;
      await this.dropPrevious(due.id, {
        version: due.previousVersion,
        group: groupOf(model, due.previousVersion),
      });
    }
  }

  private async catchUp(
    id: number,
    plan: RebuildPlan,
    phase: RebuildPhase,
    started: { at: number; processed: number },
  ): Promise<RebuildProgress> {
    for (;;) {
      const backlog = await measureBacklog(this.deps.admin, this.deps.pool, plan.group, this.topics);
      if (started.processed < 0) {
        started.processed = backlog.processed;
        started.at = performance.now();
      }
      const seconds = (performance.now() - started.at) / 1000;
      const rate = seconds > 0 ? (backlog.processed - started.processed) / seconds : 0;
      const progress: RebuildProgress = {
        eventsApplied: backlog.processed,
        eventsTotal: backlog.total,
        lagEvents: backlog.lag,
        ratePerSecond: rate,
        etaSeconds: rate > 0 ? backlog.lag / rate : null,
      };
      await recordProgress(this.deps.pool, id, progress);
      this.options.onProgress?.(phase, progress);
      if (backlog.lag <= this.options.lagBound) return progress;
      await sleep(this.options.pollMs);
    }
  }

  /**
   * Stops the world briefly: holds the active version's lock (live batches wait at their first statement),
   * waits until the shadow has processed everything the live group has, stops the shadow's consumer and
   * swaps in the same transaction. False when the shadow did not catch up in time (nothing changed).
   */
  private async freezeAndSwap(id: number, plan: RebuildPlan, active: ActiveVersion): Promise<boolean> {
    const { model, freezeTimeoutMs } = this.options;
    const client = await this.deps.pool.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('lock_timeout', $1, true)`, [`${freezeTimeoutMs}ms`]);
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [activeLockKey(model)]);
      const current = await activeVersion(client, model);
      if (current.group !== active.group)
        throw new Error(`the active version of ${model} changed to ${current.group} during the rebuild`);
      const live = await groupPositions(client, active.group, this.topics);
      const deadline = performance.now() + freezeTimeoutMs;
      while (!covers(await groupPositions(this.deps.pool, plan.group, this.topics), live)) {
        if (performance.now() > deadline) {
          await client.query('rollback');
          return false;
        }
        await sleep(20);
      }
      // The shadow writes suffixed names: its writes stop before they become the canonical ones (waiting
      // for a batch in flight). The live projector resumes on this group from its committed offsets and
      // per-stream checkpoints; the shadow's consumer leaves the group after the commit.
      this.handingOver = true;
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [shadowLockKey(model)]);
      await swapTables(client, model, active.version, plan.version);
      await client.query(
        `update read_model_active set version = $2, group_name = $3, updated_at = now() where read_model = $1`,
        [model, plan.version, plan.group],
      );
      await recordState(client, id, 'swapped');
      await client.query('commit');
      return true;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      this.handingOver = false;
      // A lock not granted within the bound (a long live batch, readers holding the tables): try again later.
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
      throw error;
    } finally {
      client.release();
    }
  }

  private async dropPrevious(id: number, previous: ActiveVersion): Promise<void> {
    const { pool, admin } = this.deps;
    await withTransaction(pool, async (tx) => {
      await dropVersionTables(tx, this.options.model, previous.version);
      await clearCheckpoints(tx, previous.group);
      await recordPreviousDropped(tx, id);
    });
    // The retired group's offsets are of no further use; a member still leaving makes Kafka refuse: harmless.
    await admin.deleteGroups([previous.group, retryGroup(previous.group)]).catch(() => undefined);
  }
}
