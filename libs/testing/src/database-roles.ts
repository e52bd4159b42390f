import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from 'pg';

/** The login roles of scripts/db/roles.sql: the schema owner and one per app. */
export const DATABASE_LOGINS = [
  'owner',
  'command_service',
  'event_relay',
  'transfer_saga',
  'projector_accounts',
  'projector_transfers',
  'query_api',
  'ops_api',
] as const;
export type DatabaseLogin = (typeof DATABASE_LOGINS)[number];

/** Name and password of a login role: PG_<LOGIN>_USER / PG_<LOGIN>_PASSWORD, locally ledger_<login> for both. */
export function databaseLogin(login: DatabaseLogin, env: NodeJS.ProcessEnv = process.env) {
  const prefix = `PG_${login.toUpperCase()}`;
  const user = env[`${prefix}_USER`] ?? `ledger_${login}`;
  return { user, password: env[`${prefix}_PASSWORD`] ?? user };
}

/** scripts/db/roles.sql of this checkout, found from the sources or from their build under dist/. */
function rolesSqlPath(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'scripts/db/roles.sql');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`scripts/db/roles.sql not found above ${__dirname}`);
}

/**
 * Creates or updates the group and login roles (scripts/db/roles.sql), as scripts/db/create-roles.sh
 * does; `client` must be allowed to create roles (the local stack's bootstrap superuser).
 */
export async function ensureDatabaseRoles(
  client: Client,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  for (const login of DATABASE_LOGINS) {
    const { user, password } = databaseLogin(login, env);
    await client.query('select set_config($1, $2, false), set_config($3, $4, false)', [
      `ledger.${login}_user`,
      user,
      `ledger.${login}_password`,
      password,
    ]);
  }
  await client.query(readFileSync(rolesSqlPath(), 'utf8'));
}
