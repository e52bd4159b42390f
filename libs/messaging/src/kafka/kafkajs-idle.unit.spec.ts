// kafkajs 2.2.4 rescheduled its pending-request check every millisecond while nothing was pending, for every
// broker connection: ~3 % of a core per idle process; and it checked for timed-out requests every 100 ms on
// every connection, in flight or not: the largest JavaScript cost of an idle consumer app
// (bench/results/idle.md). patches/kafkajs+2.2.4.patch (applied by patch-package on install) stops both;
// these fail if the patch is missing, e.g. after an install that skipped scripts.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId?: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  push(request: {
    entry: {
      correlationId: number;
      apiName: string;
      apiKey: number;
      apiVersion: number;
      resolve(): void;
      reject(error: Error): void;
    };
    expectResponse: boolean;
    sendRequest(): void;
  }): void;
  fulfillRequest(response: { correlationId: number; size: number; payload: Buffer }): void;
  destroy(): void;
};

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const queue = (options: { requestTimeout?: number; enforceRequestTimeout?: boolean } = {}) =>
  new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: options.requestTimeout ?? 30_000,
    enforceRequestTimeout: options.enforceRequestTimeout ?? false,
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

  it('checks for timed-out requests only while one is in flight, and still times one out', async () => {
    const connection = queue({ requestTimeout: 50, enforceRequestTimeout: true });
    try {
      connection.scheduleRequestTimeoutCheck(); // what a connection does once connected
      expect(connection.requestTimeoutIntervalId ?? null).toBeNull();

      const answered = new Promise<void>((resolve, reject) =>
        connection.push({
          entry: { correlationId: 1, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve, reject },
          expectResponse: true,
          sendRequest: () => undefined,
        }),
      );
      expect(connection.requestTimeoutIntervalId ?? null).not.toBeNull();
      await expect(answered).rejects.toThrow(/timed out/);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(connection.requestTimeoutIntervalId ?? null).toBeNull();
    } finally {
      connection.destroy();
    }
  });
});
