import { FailureHeaders, readRetryTicket } from './failure-headers';

describe('readRetryTicket', () => {
  const headers = {
    [FailureHeaders.parkToken]: '42',
    [FailureHeaders.retryNotBefore]: '2026-01-01T00:00:01.000Z',
  };

  it('reads the stream, token and due time of a retry record', () => {
    expect(readRetryTicket('account-1', headers)).toEqual({
      streamId: 'account-1',
      token: '42',
      notBefore: Date.parse('2026-01-01T00:00:01.000Z'),
    });
  });

  it.each([
    ['no key', null, headers],
    ['no token', 'a', { [FailureHeaders.retryNotBefore]: headers[FailureHeaders.retryNotBefore] }],
    ['a token that is not a number', 'a', { ...headers, [FailureHeaders.parkToken]: 'x' }],
    ['no due time', 'a', { [FailureHeaders.parkToken]: '42' }],
  ])('refuses a record with %s', (_, key, recordHeaders) => {
    expect(readRetryTicket(key, recordHeaders)).toBeUndefined();
  });
});
