-- The ledger's Postgres roles, created or brought up to date idempotently. Run as a role that may create
-- roles (the local stack's bootstrap superuser, or a DBA in production), after the caller has put each
-- login role's name and password in session settings (scripts/db/create-roles.sh and
-- libs/testing createTestDatabase do it):
--   ledger.<login>_user, ledger.<login>_password   for <login> in the list below.
--
-- Group roles (NOLOGIN, fixed names) hold the privileges: the schemas' migrations grant table rights to
-- them and to nobody else, so renaming a login role never touches a migration. Login roles only inherit
-- them. The owner role owns the schema (it runs migrations and `ops-cli setup`) and is neither superuser
-- nor able to create roles or databases.
do $roles$
declare
  grp text;
  login record;
  login_name text;
  login_password text;
  member text;
begin
  -- Concurrent runners (parallel test files) would race on pg_authid.
  perform pg_advisory_xact_lock(hashtext('ledger.roles'));
  foreach grp in array array[
    'ledger_can_append_events',      -- command service, saga: insert and read events, snapshots, idempotency keys
    'ledger_can_relay_events',       -- relay: read events, keep its checkpoint
    'ledger_can_read_events',        -- query API: read events and the relay's checkpoint (read-your-writes)
    'ledger_can_run_projections',    -- projectors, saga: the projection runtime's tables
    'ledger_can_write_accounts_view',   -- accounts projector: account summaries and statements
    'ledger_can_write_transfers_view',  -- transfers projector: transfers and their history
    'ledger_can_read_views',         -- query API: every read model and the runtime's progress
    'ledger_can_operate_dead_letters' -- ops API: redrive and discard dead letters (parking rows, the mirror)
  ] loop
    if not exists (select from pg_roles where rolname = grp) then
      begin
        execute format('create role %I nologin', grp);
      exception when duplicate_object or unique_violation then null; -- created by a runner on another database
      end;
    end if;
  end loop;

  for login in
    select * from (values
      ('owner',               array[]::text[]),
      ('command_service',     array['ledger_can_append_events']),
      ('event_relay',         array['ledger_can_relay_events']),
      ('transfer_saga',       array['ledger_can_append_events', 'ledger_can_run_projections']),
      ('projector_accounts',  array['ledger_can_run_projections', 'ledger_can_write_accounts_view']),
      ('projector_transfers', array['ledger_can_run_projections', 'ledger_can_write_transfers_view']),
      ('query_api',           array['ledger_can_read_views', 'ledger_can_read_events']),
      ('ops_api',             array['ledger_can_operate_dead_letters'])
    ) as logins (key, groups)
  loop
    login_name := current_setting('ledger.' || login.key || '_user');
    login_password := current_setting('ledger.' || login.key || '_password');
    if exists (select from pg_roles where rolname = login_name and (rolsuper or rolcreaterole or rolbypassrls)) then
      raise exception 'role % is privileged (superuser, createrole or bypassrls): an app or owner role must not be', login_name;
    end if;
    if not exists (select from pg_roles where rolname = login_name) then
      begin
        execute format('create role %I login password %L', login_name, login_password);
      exception when duplicate_object or unique_violation then
        execute format('alter role %I login password %L', login_name, login_password);
      end;
    else
      -- The environment is the source of the password: a rotated secret takes effect on the next run.
      execute format('alter role %I login password %L', login_name, login_password);
    end if;
    foreach member in array login.groups loop
      if not pg_has_role(login_name, member, 'member') then
        execute format('grant %I to %I', member, login_name);
      end if;
    end loop;
  end loop;
end
$roles$;
