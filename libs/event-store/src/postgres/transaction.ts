// The event store's transactions are the shared ones: every checked-out client has an 'error' listener.
export { withTransaction } from '@ledger/postgres';
