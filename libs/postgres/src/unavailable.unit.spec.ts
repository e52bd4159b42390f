import { DatabaseError } from 'pg';
import { isDatabaseUnavailable } from './unavailable';

const pgError = (code: string) => Object.assign(new DatabaseError('pg failure', 0, 'error'), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a terminated backend (restart)', pgError('57P01')],
    ['a server starting up or shutting down', pgError('57P03')],
    ['a connection failure', pgError('08006')],
    ['too many connections', pgError('53300')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a cause that is one of these', new Error('query failed', { cause: pgError('57P01') })],
  ])('says yes to %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a statement timeout', pgError('57014')],
    ['a syntax error', pgError('42601')],
    ['a bug', new TypeError('x is undefined')],
    ['a string', 'ECONNREFUSED'],
  ])('says no to %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
