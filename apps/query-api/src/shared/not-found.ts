import { NotFoundException } from '@nestjs/common';
import { problem } from '@ledger/http';

export const accountNotFound = (accountId: string, detail = `account ${accountId} is unknown`) =>
  new NotFoundException(problem(404, { code: 'ACCOUNT_NOT_FOUND', detail }));

export const transferNotFound = (transferId: string) =>
  new NotFoundException(
    problem(404, { code: 'TRANSFER_NOT_FOUND', detail: `transfer ${transferId} is unknown` }),
  );
