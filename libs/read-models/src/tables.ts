/**
 * The tables a projection writes. The live projector writes the canonical names (what the query API
 * reads); a rebuild writes a shadow version of each table under a suffixed name (ADR 0020), so the same
 * projection code fills either.
 */
export interface AccountTables {
  summaries: string;
  statement: string;
  history: string;
}

export interface TransferTables {
  transfers: string;
  history: string;
}

/** `account_summaries` for the live version, `account_summaries__v3` for the shadow of version 3. */
export const versionedTable = (table: string, suffix = ''): string => `${table}${suffix}`;

export const accountTables = (suffix = ''): AccountTables => ({
  summaries: versionedTable('account_summaries', suffix),
  statement: versionedTable('account_statement_entries', suffix),
  history: versionedTable('account_history', suffix),
});

export const transferTables = (suffix = ''): TransferTables => ({
  transfers: versionedTable('transfers', suffix),
  history: versionedTable('transfer_history', suffix),
});
