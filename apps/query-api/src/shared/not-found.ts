/** A read of something the read models do not hold; mapped to a 404 problem carrying `code`. */
export class NotFoundError extends Error {
  constructor(
    readonly code: 'ACCOUNT_NOT_FOUND' | 'TRANSFER_NOT_FOUND',
    detail: string,
  ) {
    super(detail);
    this.name = 'NotFoundError';
  }
}

export const accountNotFound = (accountId: string, detail = `account ${accountId} is unknown`) =>
  new NotFoundError('ACCOUNT_NOT_FOUND', detail);

export const transferNotFound = (transferId: string) =>
  new NotFoundError('TRANSFER_NOT_FOUND', `transfer ${transferId} is unknown`);
