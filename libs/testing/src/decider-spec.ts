import { fold, type Decider, type DomainEvent } from '@ledger/domain';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The outcome half of a decider spec. */
export interface DeciderThen<E> {
  /** The command succeeds with exactly these events (`[]` for an idempotent repeat). */
  then(expected: E[]): void;
  /** The command is refused: by an error of this class, or by an error whose `code` is this string. */
  thenThrows(expected: ErrorClass | string): void;
}

/**
 * Given/when/then for deciders: `spec(decider).given(events).when(command).then(events)`.
 * `given` folds the events with the decider's own `evolve`, so a spec exercises both halves.
 */
export function spec<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      return {
        when(command: C): DeciderThen<E> {
          const run = () => decider.decide(command, fold(decider, events));
          return {
            then(expected) {
              expect(run()).toStrictEqual(expected);
            },
            thenThrows(expected) {
              let produced: E[];
              try {
                produced = run();
              } catch (error) {
                if (typeof expected === 'string') expect(error).toMatchObject({ code: expected });
                else expect(error).toBeInstanceOf(expected);
                return;
              }
              // Outside the try: this failure must reach the test, whatever `expected` would have matched.
              throw new Error(`expected a refusal, but the command produced ${JSON.stringify(produced)}`);
            },
          };
        },
      };
    },
  };
}
