/** An event as the domain sees it: the wire type name and its payload. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/**
 * Everything a generic command handler needs to run one aggregate: fold the stream with `evolve`
 * from `initialState`, call `decide`, append the result with the version it loaded.
 */
export interface Decider<C, E extends DomainEvent, S> {
  /** Stream type recorded in the store; stream ids are `<streamType>-<id>`. */
  readonly streamType: string;
  /** Shape version of `S`; bump it when the state changes so snapshots of the old shape are ignored. */
  readonly stateVersion: number;
  readonly initialState: S;
  /** Returns the new events (possibly none, for a repeated step) or throws a DomainError. */
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
}

/** Folds events into state: a stream from the start, or the events a decision just produced onto `from`. */
export function fold<E extends DomainEvent, S>(
  decider: Decider<never, E, S>,
  events: readonly E[],
  from: S = decider.initialState,
): S {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}

/** Compile-time exhaustiveness: a switch that misses a union member fails to type-check here. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
