import { describeEventStoreContract } from '../contract/event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract(
  'InMemoryEventStore',
  async ({ upcasters }) => new InMemoryEventStore({ upcasters }),
);
