import { performance } from 'node:perf_hooks';

interface KeyState<T> {
  latest?: { startedAt: number; value: T };
  running?: { startedAt: number; promise: Promise<T> };
  next?: Promise<T>;
}

/**
 * Shares lookups among concurrent callers, but never answers a caller with a value whose lookup began
 * before the moment it names (`notBefore`, on `clock`). A caller that arrives while an older lookup runs
 * waits for the one that follows it, shared with everyone else who arrived meanwhile: at most one lookup
 * per key is in flight, and none is reused across the moment that matters to its caller. Failures are
 * never reused.
 */
export function freshLookup<T>(
  fetch: (key: string) => Promise<T>,
  clock: () => number = () => performance.now(),
): (key: string, notBefore: number) => Promise<T> {
  const states = new Map<string, KeyState<T>>();

  const start = (key: string, state: KeyState<T>): Promise<T> => {
    const startedAt = clock();
    const promise = fetch(key);
    state.running = { startedAt, promise };
    promise.then(
      (value) => {
        if (!state.latest || state.latest.startedAt <= startedAt) state.latest = { startedAt, value };
      },
      () => undefined,
    );
    const settled = () => {
      if (state.running?.promise === promise) state.running = undefined;
    };
    promise.then(settled, settled);
    return promise;
  };

  return (key, notBefore) => {
    let state = states.get(key);
    if (!state) states.set(key, (state = {}));
    const { latest, running } = state;
    if (latest && latest.startedAt >= notBefore) return Promise.resolve(latest.value);
    if (running && running.startedAt >= notBefore) return running.promise;
    if (!running) return start(key, state);
    const current = state;
    current.next ??= running.promise
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        current.next = undefined;
        return start(key, current);
      });
    return current.next;
  };
}
