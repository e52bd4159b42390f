import { createHash } from 'node:crypto';
import { Decider, DomainEvent, eventSchemaVersion, fold, LedgerEventType } from '@ledger/domain';
import {
  AppendResult,
  EventMetadata,
  EventStore,
  loadAggregate,
  rememberState,
  saveSnapshotIfDue,
  StateCache,
  WrongExpectedVersionError,
} from '@ledger/event-store';

/** Checks an event against its published schema before it is stored; throws when it does not encode. */
export type EventValidator = (type: string, schemaVersion: number, data: unknown) => void;

export interface CommandRequest<C, S> {
  streamId: string;
  /** The command; defaults that depend on the state (e.g. the account's currency) are the decider's to resolve. */
  command: C;
  /**
   * Runs on the loaded state before the command is decided: an authorization rule that needs the
   * aggregate (e.g. the account's owner). It throws to refuse; nothing is written.
   */
  authorize?: (state: S) => void;
  /** The client's `If-Match`: a mismatch is a conflict returned to the caller, never retried. */
  expectedVersion?: number;
  /** Scoped, globally unique key (`<command>:<Idempotency-Key>` or a saga command id) and the request body. */
  idempotency?: { key: string; request: unknown };
  metadata: EventMetadata;
}

export interface CommandResult<S = unknown> {
  streamId: string;
  /**
   * The aggregate as the command left it: the loaded state evolved with the decided events (for a repeat,
   * the stream folded up to the version the first answer gave). Never a read model.
   */
  state: S;
  /** Stream version after the command: the ETag of the aggregate. */
  version: number;
  /** Global position of the stream's last event: the consistency token for queries. */
  globalPosition: number;
  eventIds: readonly string[];
  /** True when the command was a repeat answered from its idempotency record. */
  replayed: boolean;
}

export interface CommandHandlerOptions {
  snapshotEvery?: number;
  /** Attempts after an optimistic-concurrency conflict when the client sent no expected version. */
  maxConflictRetries?: number;
  validate?: EventValidator;
  onConflict?: () => void;
  /** This process's latest state per stream (see StateCache): loads read only the newer events. */
  stateCache?: StateCache;
}

export const requestHash = (request: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');

/**
 * Load, decide, append: the one handler behind every command. Conflicts are retried with a fresh load
 * unless the caller pinned a version; domain errors propagate untouched (nothing was written).
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  request: CommandRequest<C, S>,
  options: CommandHandlerOptions = {},
): Promise<CommandResult<S>> {
  const { streamId } = request;
  const idempotency = request.idempotency && {
    key: request.idempotency.key,
    requestHash: requestHash(request.idempotency.request),
  };
  // A repeated request is answered with its first result. The append itself recognises the key, so the
  // store is asked separately only when deciding again fails (a repeat of a withdrawal that has since
  // become too large, of a version since moved on): new commands pay no extra round trip.
  const answerRepeat = async (error: unknown): Promise<CommandResult<S>> => {
    const earlier =
      idempotency && (await store.findIdempotentResult(idempotency.key, idempotency.requestHash));
    if (!earlier) throw error;
    return repeatAnswer(store, decider, streamId, earlier);
  };
  const attempts = request.expectedVersion === undefined ? 1 + (options.maxConflictRetries ?? 5) : 1;
  // The first attempt decides on this process's cached state without reading the store: the append names
  // the version decided on, so a state another instance has moved past fails the append and nothing is
  // written. Any refusal or conflict on that unread state is only taken after reading the store: one
  // round trip (the append) for the usual command, a second read only when the cache was behind.
  let trustCache = options.stateCache !== undefined;
  let conflicts = 0;
  for (;;) {
    const loaded = await loadAggregate(store, decider, streamId, {
      snapshotEvery: options.snapshotEvery,
      cache: options.stateCache,
      trustCache,
    });
    trustCache = false;
    let newEvents;
    let events: readonly E[];
    try {
      if (request.expectedVersion !== undefined && request.expectedVersion !== loaded.version) {
        throw new WrongExpectedVersionError(streamId, request.expectedVersion, loaded.version);
      }
      request.authorize?.(loaded.state);
      events = decider.decide(request.command, loaded.state);
      newEvents = events.map((event) => {
        const schemaVersion = eventSchemaVersion(event.type as LedgerEventType);
        options.validate?.(event.type, schemaVersion, event.data);
        return { type: event.type, schemaVersion, data: event.data, metadata: request.metadata };
      });
    } catch (error) {
      if (loaded.unread) continue; // decide again on the stored state
      return answerRepeat(error);
    }
    try {
      const appended = await store.appendToStream(streamId, decider.streamType, loaded.version, newEvents, {
        idempotency,
      });
      // Another request with this key got there first: answer with the state its events left.
      if (appended.replayed) return repeatAnswer(store, decider, streamId, appended);
      const state = fold(decider, events, loaded.state);
      if (events.length > 0) {
        rememberState(options.stateCache, decider, streamId, state, appended.nextExpectedVersion);
        await saveSnapshotIfDue(
          store,
          decider,
          streamId,
          { previousVersion: loaded.version, version: appended.nextExpectedVersion, state },
          { snapshotEvery: options.snapshotEvery },
        );
      }
      return toResult(streamId, appended, state);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (loaded.unread) continue; // the cache was behind: not a conflict of this command's
      options.onConflict?.();
      if (++conflicts >= attempts) return answerRepeat(error);
    }
  }
}

/** The answer to a repeat: the first result, with the state the stream had right after it. */
async function repeatAnswer<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  earlier: AppendResult,
): Promise<CommandResult<S>> {
  const { state } = await loadAggregate(store, decider, streamId, { toVersion: earlier.nextExpectedVersion });
  return toResult(streamId, earlier, state);
}

function toResult<S>(
  streamId: string,
  appended: {
    nextExpectedVersion: number;
    lastGlobalPosition: number;
    eventIds: readonly string[];
    replayed: boolean;
  },
  state: S,
): CommandResult<S> {
  return {
    streamId,
    state,
    version: appended.nextExpectedVersion,
    globalPosition: appended.lastGlobalPosition,
    eventIds: appended.eventIds,
    replayed: appended.replayed,
  };
}
