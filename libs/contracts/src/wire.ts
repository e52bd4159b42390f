/**
 * The part of the contracts that does not depend on the generated code: the shape of a schema and the
 * subject naming. The schema tooling imports only this (`@ledger/contracts/wire`), so it can regenerate
 * `generated/` from nothing.
 */
export * from './avro-schema';
export * from './subjects';
