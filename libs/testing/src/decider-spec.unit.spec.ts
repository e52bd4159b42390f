import { DomainError, type Decider } from '@ledger/domain';
import { spec } from './decider-spec';

type Event = { type: 'Counted'; data: { by: number } };
type Command = { type: 'Count'; by: number };

// A counter that refuses to count by zero: enough to see the spec's own outcomes.
const counter: Decider<Command, Event, number> = {
  streamType: 'counter',
  stateVersion: 1,
  initialState: 0,
  decide: (command) => {
    if (command.by === 0) throw new DomainError('INVALID_AMOUNT', 'zero');
    return [{ type: 'Counted', data: { by: command.by } }];
  },
  evolve: (state, event) => state + event.data.by,
};

describe('decider spec', () => {
  it('passes a refusal of the expected class or code', () => {
    spec(counter).given([]).when({ type: 'Count', by: 0 }).thenThrows(DomainError);
    spec(counter).given([]).when({ type: 'Count', by: 0 }).thenThrows('INVALID_AMOUNT');
  });

  it('fails thenThrows when nothing is thrown, even for the Error class its own failure is an instance of', () => {
    const accepted = spec(counter).given([]).when({ type: 'Count', by: 2 });
    expect(() => accepted.thenThrows(Error)).toThrow(
      'expected a refusal, but the command produced [{"type":"Counted","data":{"by":2}}]',
    );
    expect(() => accepted.thenThrows('INVALID_AMOUNT')).toThrow('expected a refusal');
  });

  it('fails thenThrows when the refusal is of another code', () => {
    expect(() =>
      spec(counter).given([]).when({ type: 'Count', by: 0 }).thenThrows('ACCOUNT_CLOSED'),
    ).toThrow();
  });
});
