import type { EventStore } from './event-store';

/** What loading needs from a decider: the stream type, the initial state and the fold step. */
export interface AggregateDefinition<S, E extends { readonly type: string; readonly data: unknown }> {
  readonly streamType: string;
  readonly initialState: S;
  /** Shape version of `S`, the default snapshot version. */
  readonly stateVersion?: number;
  evolve(state: S, event: E): S;
}

export interface SnapshotOptions {
  /** Save a snapshot each time an append crosses a multiple of this many events; off when absent. */
  readonly snapshotEvery?: number;
  /** Overrides the definition's stateVersion; snapshots of another version are ignored. */
  readonly snapshotVersion?: number;
}

/**
 * States this process has already folded, by stream: a load reads only the events after the cached
 * version (one read, usually empty) instead of a snapshot and everything after it. The store stays the
 * truth: a cached state is only ever a starting point that the next read brings up to date, so another
 * writer (a second instance) costs a longer read, never a stale decision.
 */
export interface StateCache {
  get(key: string): { readonly state: unknown; readonly version: number } | undefined;
  set(key: string, entry: { readonly state: unknown; readonly version: number }): void;
}

export interface LoadOptions extends SnapshotOptions {
  /** Stop at this stream version (e.g. the state an earlier command left); snapshots past it are skipped. */
  readonly toVersion?: number;
  /** Start from, and remember, this process's latest state of the stream (loads to the head only). */
  readonly cache?: StateCache;
  /**
   * Answer a cached state as it is, reading nothing (`unread` in the result). Only for a caller whose
   * append names the version it decided on, so a stale state fails the append instead of being acted on,
   * and that loads again before it takes a refusal decided on an unread state as final.
   */
  readonly trustCache?: boolean;
}

export interface LoadedAggregate<S> {
  readonly state: S;
  /** Stream version the state reflects: the expected version of the next append. */
  readonly version: number;
  /** Stream version of the snapshot the load started from, when one was used. */
  readonly snapshotStreamVersion?: number;
  /** The cached state, not brought up to date from the store (`trustCache`): it may be behind. */
  readonly unread?: boolean;
}

const snapshotVersionOf = (definition: { stateVersion?: number }, options: SnapshotOptions) =>
  options.snapshotVersion ?? definition.stateVersion;

/**
 * Loads the latest snapshot of the matching snapshot version and the events after it (one read), then
 * folds the events. Stored
 * events are trusted to have the shape their type names: schemas are checked before append, and
 * upcasters bring old versions to the current one on read. Snapshot state must survive a JSON round trip.
 */
export async function loadAggregate<S, E extends { readonly type: string; readonly data: unknown }>(
  store: EventStore,
  definition: AggregateDefinition<S, E>,
  streamId: string,
  options: LoadOptions = {},
): Promise<LoadedAggregate<S>> {
  const snapshotVersion = snapshotVersionOf(definition, options);
  const cacheKey = `${definition.streamType}:${streamId}`;
  const cached = options.toVersion === undefined ? options.cache?.get(cacheKey) : undefined;
  if (cached && options.trustCache)
    return { state: cached.state as S, version: cached.version, unread: true };
  if (cached) {
    // States are immutable values (evolve returns a new one), so the cached one can be folded further.
    let state = cached.state as S;
    let version = cached.version;
    for (const event of await store.readStream(streamId, { fromVersion: cached.version + 1 })) {
      state = definition.evolve(state, event as unknown as E);
      version = event.streamVersion;
    }
    if (version !== cached.version) options.cache!.set(cacheKey, { state, version });
    return { state, version };
  }
  // The usual load is one read (snapshot and later events together); a load up to an earlier version (the
  // state a repeated request's first answer left) reads the snapshot only if it is not past that version.
  const { snapshot, events } =
    options.toVersion === undefined
      ? await store.readStreamFromSnapshot(streamId, snapshotVersion)
      : await readUpTo(store, streamId, snapshotVersion, options.toVersion);
  let state = snapshot === undefined ? definition.initialState : (snapshot.state as S);
  let version = snapshot?.streamVersion ?? 0;
  for (const event of events) {
    state = definition.evolve(state, event as unknown as E);
    version = event.streamVersion;
  }
  // A stream that does not exist is not remembered: probes of unknown ids would fill the cache.
  if (options.cache && options.toVersion === undefined && version > 0)
    options.cache.set(cacheKey, { state, version });
  return { state, version, snapshotStreamVersion: snapshot?.streamVersion };
}

async function readUpTo(
  store: EventStore,
  streamId: string,
  snapshotVersion: number | undefined,
  toVersion: number,
) {
  const stored =
    snapshotVersion === undefined ? undefined : await store.readSnapshot(streamId, snapshotVersion);
  const snapshot = stored && stored.streamVersion <= toVersion ? stored : undefined;
  const events = await store.readStream(streamId, {
    fromVersion: (snapshot?.streamVersion ?? 0) + 1,
    toVersion,
  });
  return { snapshot, events };
}

/** Tells the cache the state a successful append left, so the next load reads nothing it already has. */
export function rememberState<S>(
  cache: StateCache | undefined,
  definition: { readonly streamType: string },
  streamId: string,
  state: S,
  version: number,
): void {
  cache?.set(`${definition.streamType}:${streamId}`, { state, version });
}

/**
 * Saves `state` (the state at `version`, after an append that started at `previousVersion`) when the
 * append crossed a multiple of `snapshotEvery`. Returns whether it saved.
 */
export async function saveSnapshotIfDue<S, E extends { readonly type: string; readonly data: unknown }>(
  store: EventStore,
  definition: AggregateDefinition<S, E>,
  streamId: string,
  change: { readonly previousVersion: number; readonly version: number; readonly state: S },
  options: SnapshotOptions,
): Promise<boolean> {
  const every = options.snapshotEvery;
  const snapshotVersion = snapshotVersionOf(definition, options);
  if (every === undefined || snapshotVersion === undefined) return false;
  if (!(Number.isSafeInteger(every) && every >= 1))
    throw new RangeError(`snapshotEvery must be >= 1, got ${every}`);
  if (Math.floor(change.version / every) <= Math.floor(change.previousVersion / every)) return false;
  await store.saveSnapshot({ streamId, snapshotVersion, streamVersion: change.version, state: change.state });
  return true;
}
