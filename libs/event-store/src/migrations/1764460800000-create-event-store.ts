import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the event store: events, snapshots, idempotency keys, tail checkpoints and the append notification. */
export class CreateEventStore1764460800000 implements MigrationInterface {
  name = 'CreateEventStore1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // recorded_at uses statement_timestamp(), taken after the append holds its stream lock, so it grows with
    // stream_version (now() is the transaction start, which can precede the previous append's commit).
    // Millisecond precision so the value round-trips through a JavaScript Date unchanged.
    await queryRunner.query(`
      create table events (
        global_position bigint generated always as identity primary key,
        stream_id text not null,
        stream_type text not null,
        stream_version integer not null check (stream_version >= 1),
        event_id uuid not null,
        event_type text not null,
        schema_version integer not null check (schema_version >= 1),
        data jsonb not null,
        metadata jsonb not null default '{}'::jsonb,
        recorded_at timestamptz(3) not null default statement_timestamp(),
        transaction_id xid8 not null default pg_current_xact_id(),
        constraint events_event_id_unique unique (event_id),
        constraint events_stream_version_unique unique (stream_id, stream_version)
      )`);
    // The gap-free tail reads in this order and filters on transaction_id.
    await queryRunner.query(`create index events_log_order on events (transaction_id, global_position)`);

    // One notification per append statement, delivered on commit; listeners treat it as a wake-up only.
    await queryRunner.query(`
      create function events_notify_appended() returns trigger language plpgsql as $$
      begin
        perform pg_notify('events_appended', '');
        return null;
      end $$`);
    await queryRunner.query(`
      create trigger events_notify_appended after insert on events
      for each statement execute function events_notify_appended()`);

    await queryRunner.query(`
      create table snapshots (
        stream_id text not null,
        snapshot_version integer not null,
        stream_version integer not null,
        state jsonb not null,
        taken_at timestamptz(3) not null default statement_timestamp(),
        primary key (stream_id, snapshot_version)
      )`);

    // result is written in the same transaction as the key; a committed row always has it.
    await queryRunner.query(`
      create table idempotency_keys (
        key text primary key,
        request_hash text not null,
        stream_id text not null,
        result jsonb,
        created_at timestamptz(3) not null default statement_timestamp()
      )`);
    await queryRunner.query(`create index idempotency_keys_created_at on idempotency_keys (created_at)`);

    await queryRunner.query(`
      create table checkpoints (
        name text primary key,
        transaction_id xid8 not null,
        global_position bigint not null,
        updated_at timestamptz(3) not null default statement_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table checkpoints`);
    await queryRunner.query(`drop table idempotency_keys`);
    await queryRunner.query(`drop table snapshots`);
    await queryRunner.query(`drop table events`);
    await queryRunner.query(`drop function events_notify_appended()`);
  }
}
