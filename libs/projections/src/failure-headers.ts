/** Headers the runtime adds to a record it sends to a retry or dead-letter topic (beside the original ones). */
export const FailureHeaders = {
  sourceTopic: 'source-topic',
  sourcePartition: 'source-partition',
  sourceOffset: 'source-offset',
  attempts: 'attempts',
  firstFailureAt: 'first-failure-at',
  errorClass: 'error-class',
  errorMessage: 'error-message',
  /** ISO time before which a retry consumer must not process the record. */
  retryNotBefore: 'retry-not-before',
  retryLevel: 'retry-level',
  /** Identifies one publication of a parked stream's head; older publications are stale. */
  parkToken: 'park-token',
} as const;

export interface RetryTicket {
  streamId: string;
  token: string;
  notBefore: number;
}

/** Reads the parts of a retry record the retry consumer acts on; undefined when they are missing. */
export function readRetryTicket(
  key: string | null,
  headers: Readonly<Record<string, string>>,
): RetryTicket | undefined {
  const token = headers[FailureHeaders.parkToken];
  const notBefore = Date.parse(headers[FailureHeaders.retryNotBefore] ?? '');
  if (!key || !token || !/^\d+$/.test(token) || Number.isNaN(notBefore)) return undefined;
  return { streamId: key, token, notBefore };
}
