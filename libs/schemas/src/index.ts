/**
 * @ledger/schemas — the event schemas of avro-schemas/ at run time: loading and checking the catalogue,
 * compatibility, diffs between versions, and registration at a Confluent-API registry. The CLI, the
 * apps' provisioning and the build tooling (scripts/schemas) all use it; it finds avro-schemas/ itself.
 */
export * from './catalogue';
export * from './compatibility';
export * from './location';
export * from './register';
export * from './registry-admin';
export * from './registry-check';
export * from './schema-diff';
