/** Stream id of an account, also its Kafka record key. */
export const accountStreamId = (accountId: string): string => `account-${accountId}`;

/** Stream id of a transfer, also its Kafka record key. */
export const transferStreamId = (transferId: string): string => `transfer-${transferId}`;
