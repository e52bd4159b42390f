import { Client, Pool, type ClientConfig, type PoolConfig } from 'pg';

/** Where a connection error was heard: the pool's idle clients and checked-out ones alike. */
export type ConnectionErrorHandler = (error: Error) => void;

/**
 * A connection attempt that gets no answer fails after this long (default), so a request while the
 * database host is unreachable ends in an error (503) instead of hanging.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * A pool whose every client always has an 'error' listener, from its first connection to its end.
 * node-postgres emits 'error' on a client whose connection dies (a database restart sends 57P01, then
 * closes the socket); the pool listens only while a client is idle, so a checked-out client without a
 * listener of its own would crash the process. The pool replaces broken clients: nothing else to do.
 */
export function createPool(config: PoolConfig, onError: ConnectionErrorHandler): Pool {
  const pool = new Pool({ connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS, ...config });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/**
 * A dedicated connection (LISTEN, a session lock) with its 'error' listener attached before it connects,
 * so a dropped connection is reported to `onError` and never crashes the process. Not yet connected.
 */
export function createClient(config: ClientConfig, onError: ConnectionErrorHandler): Client {
  const client = new Client({ connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS, ...config });
  client.on('error', onError);
  return client;
}
