import { batchHandlerOf } from './projection';
import type { DecodedEvent } from './event';
import { describeError } from './errors';
import { applyIsolating } from './apply';
import type { RetryTicket } from './failure-headers';
import { planRecords, settle, type Candidate } from './plan';
import { firstStage, nextStage, type Stage } from './policy';
import { decodeCandidates, type Runtime } from './runtime';
import { advanceCheckpoints, readCheckpoints } from './store/checkpoints';
import { mirrorDeadLetters } from './store/dead-letters';
import { dropParked, lockParkedKey, parkedQueue, recordOf, setHead } from './store/parking';
import { inTransaction } from './store/transaction';

export type RetryOutcome<E extends DecodedEvent> =
  { kind: 'stale' } | { kind: 'released'; applied: E[] } | { kind: 'parked'; applied: E[]; stage: Stage };

/**
 * Retries a parked stream: applies its queue in order, head first, in one transaction. When everything
 * applies the stream is released; otherwise the first failing record becomes (or stays) the head and moves
 * to its next stage. A ticket whose token is no longer the stream's current one is stale and changes nothing.
 */
export async function retryParkedStream<E extends DecodedEvent>(
  runtime: Runtime<E>,
  ticket: RetryTicket,
): Promise<RetryOutcome<E>> {
  const { pool, projection, policy } = runtime;
  const name = projection.name;
  return inTransaction(pool, async (tx): Promise<RetryOutcome<E>> => {
    const key = await lockParkedKey(tx, name, ticket.streamId, ticket.token);
    if (!key || key.stage !== 'retry') return { kind: 'stale' };
    const queue = await parkedQueue(tx, name, ticket.streamId);
    const candidates = await decodeCandidates(runtime.decode, queue.map(recordOf), projection.eventTypes);
    const seqOf = new Map<Candidate<E>, string>(
      candidates.map((candidate, index) => [candidate, queue[index]!.seq]),
    );

    const checkpoints = await readCheckpoints(tx, name, [ticket.streamId]);
    const plan = planRecords(candidates, checkpoints, new Set());
    const { applied, failures } = await applyIsolating(
      tx,
      batchHandlerOf(projection),
      plan.toApply,
      policy.attemptsPerEvent,
    );
    await advanceCheckpoints(tx, name, checkpoints, applied);
    const { parked, heads } = settle(candidates, plan, applied, failures);

    const waiting = new Set(parked.map((candidate) => seqOf.get(candidate)!));
    const done = queue.map((row) => row.seq).filter((seq) => !waiting.has(seq));
    const head = heads.get(ticket.streamId);
    if (!head && parked.length > 0) {
      // Only possible when decoding assigns these records to another stream: keep them rather than guess.
      throw new Error(`records parked for stream ${ticket.streamId} decode as another stream`);
    }
    if (!head) {
      await dropParked(tx, name, ticket.streamId, done, { unpark: true });
      return { kind: 'released', applied };
    }
    const headSeq = seqOf.get(head.candidate)!;
    // The same event failing again climbs the ladder; a later event failing (after the head applied) starts it.
    const failedAgain = headSeq === key.head_seq && key.error_class !== null;
    const now = new Date();
    const stage = failedAgain ? nextStage(policy, key.retry_level, now) : firstStage(policy, now);
    await setHead(tx, name, {
      streamId: ticket.streamId,
      headSeq,
      stage,
      attempts: head.attempts,
      error: describeError(head.error),
      sameHead: failedAgain,
    });
    await dropParked(tx, name, ticket.streamId, done, { unpark: false });
    if (stage.stage === 'dead-letter') await mirrorDeadLetters(tx, name, [ticket.streamId]);
    return { kind: 'parked', applied, stage };
  });
}
