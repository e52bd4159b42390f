import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The lint rules that keep apps off tables they do not own (eslint.config.mjs, README "Who owns each
// table"), run on sources given on stdin as if they lay at `path`: the rule must fire in an app and stay
// quiet in the library that owns the table.

const root = join(__dirname, '..', '..');
const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

function lint(path: string, source: string): LintMessage[] {
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [eslint, '--format', 'json', '--stdin', '--stdin-filename', path],
      {
        cwd: root,
        input: source,
        encoding: 'utf8',
      },
    );
  } catch (error) {
    // ESLint exits 1 when it reports errors; its report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(output) as [{ messages: LintMessage[] }])[0].messages;
}

const tableRule = (messages: LintMessage[]) =>
  messages
    .filter((message) => message.ruleId === 'no-restricted-syntax')
    .map(({ line, message }) => ({ line, owner: /read-model/.test(message) ? 'read-models' : 'other' }));

const appSql = [
  "export const owner = 'select owner_id from account_summaries where account_id = $1';",
  'export const page = (id: string) => `select * from transfer_history h join transfers t on true where id = ${id}`;',
  "export const active = 'select group_name from read_model_active';",
  'export const reset = `truncate account_statement_entries, account_history`;',
  "export const write = 'insert into account_history values ($1)';",
  "export const prose = 'transfers of the account, oldest first';",
].join('\n');

describe('lint: apps stay off the read models tables', () => {
  it('refuses SQL that reads or writes a read-model table in an app', () => {
    expect(tableRule(lint('apps/query-api/src/accounts/fixture.ts', appSql))).toEqual([
      { line: 1, owner: 'read-models' },
      { line: 2, owner: 'read-models' },
      { line: 3, owner: 'read-models' },
      { line: 4, owner: 'read-models' },
      { line: 5, owner: 'read-models' },
    ]);
    expect(tableRule(lint('apps/ops-cli/src/commands/fixture.ts', appSql))).toHaveLength(5);
  });

  it('lets the read-model library, which owns them, query its own tables', () => {
    expect(tableRule(lint('libs/read-models/src/accounts/fixture.ts', appSql))).toEqual([]);
  });

  it('still refuses an app writing the event store', () => {
    expect(
      tableRule(lint('apps/query-api/src/fixture.ts', "export const x = 'delete from events where 1 = 1';")),
    ).toEqual([{ line: 1, owner: 'other' }]);
  });
});
