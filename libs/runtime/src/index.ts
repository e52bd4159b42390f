/**
 * @ledger/runtime — what every long-running part (relay, projector, saga) shares: backoff with an explicit
 * jitter, retry until done, the logger port with error context, exact integers.
 */
export * from './backoff';
export * from './logger';
export * from './retry';
export * from './safe-integer';
