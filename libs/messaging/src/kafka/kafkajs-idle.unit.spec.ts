// kafkajs 2.2.4 rescheduled its pending-request check every millisecond while nothing was pending, for every
// broker connection: ~3 % of a core per idle process. patches/kafkajs+2.2.4.patch (applied by patch-package
// on install) stops it; this fails if the patch is missing, e.g. after an install that skipped scripts.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
};

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const queue = () =>
  new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'b:9092',
    logger,
  });

describe('the kafkajs request queue', () => {
  it('schedules no check while nothing is pending and nothing throttles', () => {
    const idle = queue();
    try {
      idle.checkPendingRequests();
      expect(idle.throttleCheckTimeoutId).toBeNull();
    } finally {
      idle.destroy(); // without the patch, this ends the loop so that the test fails instead of hanging
    }
  });

  it('still schedules the check when a throttle ends later', () => {
    const throttled = queue();
    try {
      throttled.throttledUntil = Date.now() + 60_000;
      throttled.checkPendingRequests();
      expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    } finally {
      throttled.destroy();
    }
  });
});
