import type { MigrationInterface, QueryRunner } from 'typeorm';

// The two-integer advisory lock form, in namespaces of their own so they never collide with single-key
// locks such as leader election. Two streams (or keys) sharing a hash merely serialize.
const STREAM_LOCK_SPACE = 0x65_76_73_74;
const IDEMPOTENCY_LOCK_SPACE = 0x69_64_6b_79;

/**
 * An append in one round trip: `append_to_stream` takes the locks, replays or refuses an idempotency key,
 * checks the expected version, inserts the events and stores the key's result, all in the caller's
 * statement (autocommitted, or inside the caller's transaction). It replaces BEGIN, lock, key claim, head
 * read, insert, key update and COMMIT, each a round trip of its own (docs/adr/0015-append-path.md).
 *
 * Guarantees it keeps:
 * - Order. Both advisory locks come before the first write and allocate no transaction id, so an append
 *   that follows another on a stream gets a higher xid: the tail's (transaction_id, global_position)
 *   order keeps every stream in version order. transaction_id keeps its pg_current_xact_id() default.
 * - recorded_at is taken after the stream lock (clock_timestamp(); statement_timestamp() would be the
 *   call's start, before the wait), so it never decreases along a stream.
 * - Idempotency. The key's own lock serializes requests with one key, whichever streams they name; the
 *   key and its result are inserted with the events, so they commit or vanish together.
 * - Least privilege. SECURITY INVOKER: the caller needs its own rights on events and idempotency_keys,
 *   which only ledger_can_append_events holds; EXECUTE is granted to that group and nobody else.
 *
 * Refusals raise their own SQLSTATEs (nothing is written): EV001 wrong expected version (DETAIL: the
 * stream's version), EV002 stream type mismatch (DETAIL: the stored type), EV003 idempotency key reused
 * with another request. A duplicate event id surfaces as the unique violation it is.
 *
 * Also drops the per-statement NOTIFY trigger: every notifying transaction serializes on one
 * database-wide lock at commit. Writers wake tails with a throttled NOTIFY outside the append instead.
 */
export class AppendFunction1764979200000 implements MigrationInterface {
  name = 'AppendFunction1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function append_to_stream(
        p_stream_id text,
        p_stream_type text,
        p_expected_version integer,
        p_events jsonb,
        p_idempotency_key text,
        p_request_hash text,
        out next_expected_version integer,
        out last_global_position bigint,
        out replayed boolean,
        out stored_result jsonb
      ) language plpgsql security invoker as $$
      declare
        head record;
        existing record;
        inserted_last bigint;
      begin
        if p_idempotency_key is not null then
          perform pg_advisory_xact_lock(${IDEMPOTENCY_LOCK_SPACE}, hashtext(p_idempotency_key));
        end if;
        perform pg_advisory_xact_lock(${STREAM_LOCK_SPACE}, hashtext(p_stream_id));

        if p_idempotency_key is not null then
          select k.request_hash, k.result into existing from idempotency_keys k where k.key = p_idempotency_key;
          if found then
            if existing.request_hash is distinct from p_request_hash then
              raise exception 'idempotency key % was already used with a different request', p_idempotency_key
                using errcode = 'EV003';
            end if;
            replayed := true;
            stored_result := existing.result;
            return;
          end if;
        end if;

        select e.stream_version, e.stream_type, e.global_position into head
        from events e where e.stream_id = p_stream_id order by e.stream_version desc limit 1;
        if found and head.stream_type <> p_stream_type then
          raise exception 'stream % has type %, not %', p_stream_id, head.stream_type, p_stream_type
            using errcode = 'EV002', detail = head.stream_type;
        end if;
        next_expected_version := coalesce(head.stream_version, 0);
        if p_expected_version is not null and p_expected_version <> next_expected_version then
          raise exception 'stream % is at version %, expected %', p_stream_id, next_expected_version, p_expected_version
            using errcode = 'EV001', detail = next_expected_version::text;
        end if;

        if jsonb_array_length(p_events) > 0 then
          -- Rows are produced, and so numbered, in batch order.
          with inserted as (
            insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version,
                                data, metadata, recorded_at)
            select p_stream_id, p_stream_type, next_expected_version + e.ordinality::int,
                   (e.item->>'eventId')::uuid, e.item->>'type', (e.item->>'schemaVersion')::int,
                   e.item->'data', coalesce(e.item->'metadata', '{}'::jsonb), clock_timestamp()
            from jsonb_array_elements(p_events) with ordinality as e(item, ordinality)
            order by e.ordinality
            returning global_position
          )
          select max(global_position) into inserted_last from inserted;
          next_expected_version := next_expected_version + jsonb_array_length(p_events);
        end if;
        last_global_position := coalesce(inserted_last, head.global_position, 0);
        replayed := false;

        if p_idempotency_key is not null then
          insert into idempotency_keys (key, request_hash, stream_id, result)
          values (p_idempotency_key, p_request_hash, p_stream_id, jsonb_build_object(
            'nextExpectedVersion', next_expected_version,
            'lastGlobalPosition', last_global_position,
            'eventIds', coalesce(jsonb_path_query_array(p_events, '$[*].eventId'), '[]'::jsonb)));
        end if;
      end $$`);
    await queryRunner.query(
      `revoke all on function append_to_stream(text, text, integer, jsonb, text, text) from public`,
    );
    await queryRunner.query(
      `grant execute on function append_to_stream(text, text, integer, jsonb, text, text) to ledger_can_append_events`,
    );
    await queryRunner.query(`drop trigger events_notify_appended on events`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create trigger events_notify_appended after insert on events
      for each statement execute function events_notify_appended()`);
    await queryRunner.query(`drop function append_to_stream(text, text, integer, jsonb, text, text)`);
  }
}
