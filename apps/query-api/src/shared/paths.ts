import { UuidParam } from './query-rules';

export class AccountPath {
  @UuidParam({ description: 'Account id' })
  id!: string;
}

export class TransferPath {
  @UuidParam({ description: 'Transfer id' })
  id!: string;
}
