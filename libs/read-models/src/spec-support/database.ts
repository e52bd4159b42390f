import {
  applyProjection,
  ensureProjectionSchema,
  type DecodedEvent,
  type Projection,
} from '@ledger/projections';
import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Pool, type PoolClient } from 'pg';
import { ensureReadModelSchema } from '../schema';

/** A fresh database with the runtime's and the read models' tables, for one test file. */
export class ReadModelDatabase {
  private database!: TestDatabase;
  pool!: Pool;

  async setUp(): Promise<void> {
    this.database = await createTestDatabase('read_models');
    this.pool = new Pool({ connectionString: this.database.url, max: 4 });
    await ensureProjectionSchema(this.pool);
    await ensureReadModelSchema(this.pool);
  }

  async tearDown(): Promise<void> {
    await this.pool?.end();
    await this.database?.drop();
  }

  /** Applies `events` as one batch in one transaction, as the runtime does. Returns the statements run. */
  async apply(projection: Projection<DecodedEvent>, events: DecodedEvent[]): Promise<number> {
    const client = await this.pool.connect();
    let statements = 0;
    const counting = new Proxy(client, {
      get: (target, property, receiver) =>
        property === 'query'
          ? (...args: Parameters<PoolClient['query']>) => {
              statements += 1;
              return (target.query as (...a: unknown[]) => unknown)(...args);
            }
          : Reflect.get(target, property, receiver),
    });
    try {
      await client.query('begin');
      await applyProjection(counting, projection, events);
      await client.query('commit');
      return statements;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }

  async truncate(...tables: readonly string[]): Promise<void> {
    await this.pool.query(`truncate ${tables.join(', ')}`);
  }

  async rows<Row>(sql: string): Promise<Row[]> {
    return (await this.pool.query(sql)).rows as Row[];
  }
}
