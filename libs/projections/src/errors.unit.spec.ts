import { DatabaseError } from 'pg';
import { CheckpointConflictError, describeError, isTransientError, TransientError } from './errors';

function pgError(code: string, message = 'pg failure'): Error {
  return Object.assign(new DatabaseError(message, 0, 'error'), { code });
}

describe('isTransientError', () => {
  it.each([
    ['a connection failure', pgError('08006')],
    ['an administrator shutdown (terminated backend)', pgError('57P01')],
    ['a statement timeout', pgError('57014')],
    ['a serialization failure', pgError('40001')],
    ['a deadlock', pgError('40P01')],
    ['too many connections', pgError('53300')],
    ['a refused TCP connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a retriable Kafka error', Object.assign(new Error('leader not available'), { retriable: true })],
    ['a TransientError', new TransientError('dependency down')],
    ['a checkpoint conflict', new CheckpointConflictError('moved')],
    [
      'a fetch failure caused by a refused connection',
      new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }),
    ],
    [
      'an AggregateError of refused connections',
      new AggregateError([{ code: 'ECONNREFUSED' }], 'all failed'),
    ],
  ])('says yes to %s', (_, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a check violation', pgError('23514')],
    ['a syntax error in SQL', pgError('42601')],
    ['a bug in the handler', new TypeError("Cannot read properties of undefined (reading 'amount')")],
    ['bad JSON', new SyntaxError('Unexpected token')],
    ['a non-retriable Kafka error', Object.assign(new Error('bad'), { retriable: false })],
    ['a thrown string', 'nope'],
  ])('says no to %s', (_, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});

describe('describeError', () => {
  it('names the error class with its code', () => {
    expect(describeError(pgError('23505', 'duplicate key'))).toEqual({
      errorClass: 'DatabaseError[23505]',
      message: 'duplicate key',
    });
    expect(describeError(new RangeError('too big'))).toEqual({
      errorClass: 'RangeError',
      message: 'too big',
    });
  });

  it('keeps messages short enough for a header', () => {
    expect(describeError(new Error('x'.repeat(10_000))).message).toHaveLength(2000);
  });
});
