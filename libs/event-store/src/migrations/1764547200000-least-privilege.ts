import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege on the event store. The group roles come from scripts/db/roles.sql (create them before
 * migrating); the apps' login roles inherit them:
 * - ledger_can_append_events (command service, saga): read and insert events, keep snapshots and
 *   idempotency keys; never update or delete an event.
 * - ledger_can_relay_events (relay): read events, write its checkpoint.
 * - ledger_can_read_events (query API): read events' log positions (not their data) and the relay's
 *   checkpoint.
 * Events are also immutable for their owner: a trigger refuses UPDATE and DELETE unless the transaction
 * declares an event rewrite (`set local ledger.event_rewrite = 'on'`), which only `ops-cli events-migrate`
 * does, and which needs the privileges only the owner holds.
 */
export class LeastPrivilege1764547200000 implements MigrationInterface {
  name = 'LeastPrivilege1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`revoke all on events, snapshots, idempotency_keys, checkpoints from public`);
    await queryRunner.query(`grant select, insert on events to ledger_can_append_events`);
    await queryRunner.query(
      `grant select, insert, update on snapshots, idempotency_keys to ledger_can_append_events`,
    );
    await queryRunner.query(`grant select on events to ledger_can_relay_events`);
    await queryRunner.query(`grant select, insert, update on checkpoints to ledger_can_relay_events`);
    // Positions only: the query API checks what the relay has published and never reads event data.
    await queryRunner.query(
      `grant select (global_position, transaction_id) on events to ledger_can_read_events`,
    );
    await queryRunner.query(`grant select on checkpoints to ledger_can_read_events`);

    await queryRunner.query(`
      create function events_refuse_rewrite() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ledger.event_rewrite', true), '') <> 'on' then
          raise exception 'events are immutable: % refused', tg_op
            using errcode = 'insufficient_privilege',
                  hint = 'a schema upgrade of stored events runs as the owner through ops-cli events-migrate';
        end if;
        return case tg_op when 'DELETE' then old else new end;
      end $$`);
    await queryRunner.query(`
      create trigger events_refuse_rewrite before update or delete on events
      for each row execute function events_refuse_rewrite()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop trigger events_refuse_rewrite on events`);
    await queryRunner.query(`drop function events_refuse_rewrite()`);
    await queryRunner.query(
      `revoke select (global_position, transaction_id) on events from ledger_can_read_events`,
    );
    await queryRunner.query(
      `revoke all on events, snapshots, idempotency_keys, checkpoints
         from ledger_can_append_events, ledger_can_relay_events, ledger_can_read_events`,
    );
  }
}
