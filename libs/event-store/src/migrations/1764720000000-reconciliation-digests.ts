import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What reconciliation reads from the store, without reading events: the projectors' roles may not select
 * the events table (ADR 0009), so two SECURITY DEFINER functions, owned by the owner role, return only
 * positions, versions and digests of money events, never event data.
 * - reconciliation_streams(after, upto, type, limit): the streams with an event in a position range, for the
 *   incremental pass; reconciliation_stream_page(after_stream, type, limit): streams in id order, for the
 *   slow full pass.
 * - reconciliation_stream_digests(ids): per stream its head and a digest of its money events;
 *   reconciliation_head_position(): where the log ends.
 * Execute is granted to the read-model writers (the projectors) and nobody else; the owner may anyway.
 */
export class ReconciliationDigests1764720000000 implements MigrationInterface {
  name = 'ReconciliationDigests1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function reconciliation_streams(p_after bigint, p_upto bigint, p_stream_type text, p_limit integer)
      returns table (stream_id text, last_position bigint)
      language sql stable security definer set search_path = pg_catalog, public as $$
        select e.stream_id, max(e.global_position)
          from events e
         where e.global_position > p_after and e.global_position <= p_upto and e.stream_type = p_stream_type
         group by e.stream_id
         order by 2
         limit p_limit
      $$`);
    await queryRunner.query(`
      create function reconciliation_stream_page(p_after_stream text, p_stream_type text, p_limit integer)
      returns table (stream_id text)
      language sql stable security definer set search_path = pg_catalog, public as $$
        select distinct e.stream_id
          from events e
         where e.stream_id > p_after_stream and e.stream_type = p_stream_type and e.stream_version = 1
         order by 1
         limit p_limit
      $$`);
    await queryRunner.query(`
      create function reconciliation_head_position() returns bigint
      language sql stable security definer set search_path = pg_catalog, public as $$
        select coalesce(max(global_position), 0) from events
      $$`);
    // Money events and their sign; the digest hashes (version, type, amount) of each in version order.
    await queryRunner.query(`
      create function reconciliation_stream_digests(p_stream_ids text[])
      returns table (stream_id text, head_version integer, head_position bigint, head_recorded_at timestamptz,
                     last_event_type text, money_events integer, credits bigint, debits bigint, money_digest text)
      language sql stable security definer set search_path = pg_catalog, public as $$
        select e.stream_id,
               max(e.stream_version),
               max(e.global_position),
               max(e.recorded_at),
               (array_agg(e.event_type order by e.stream_version desc))[1],
               (count(*) filter (where m.sign is not null))::integer,
               coalesce(sum((e.data->>'amount')::bigint) filter (where m.sign = 1), 0)::bigint,
               coalesce(sum((e.data->>'amount')::bigint) filter (where m.sign = -1), 0)::bigint,
               md5(coalesce(string_agg(e.stream_version || ':' || e.event_type || ':' || (e.data->>'amount'), ','
                                       order by e.stream_version) filter (where m.sign is not null), ''))
          from events e
          left join (values ('ledger.accounts.MoneyDeposited', 1), ('ledger.accounts.TransferCredited', 1),
                            ('ledger.accounts.TransferRefunded', 1), ('ledger.accounts.MoneyWithdrawn', -1),
                            ('ledger.accounts.TransferDebited', -1)) as m (event_type, sign)
            on m.event_type = e.event_type
         where e.stream_id = any(p_stream_ids)
         group by e.stream_id
      $$`);
    for (const fn of [
      'reconciliation_head_position()',
      'reconciliation_streams(bigint, bigint, text, integer)',
      'reconciliation_stream_page(text, text, integer)',
      'reconciliation_stream_digests(text[])',
    ]) {
      await queryRunner.query(`revoke all on function ${fn} from public`);
      await queryRunner.query(
        `grant execute on function ${fn} to ledger_can_write_accounts_view, ledger_can_write_transfers_view`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop function reconciliation_stream_digests(text[])`);
    await queryRunner.query(`drop function reconciliation_head_position()`);
    await queryRunner.query(`drop function reconciliation_stream_page(text, text, integer)`);
    await queryRunner.query(`drop function reconciliation_streams(bigint, bigint, text, integer)`);
  }
}
