import { ACCOUNT_READ_MODEL_TABLES, PROJECTIONS, TRANSFER_READ_MODEL_TABLES } from '../schema';

export type ReadModelName = keyof typeof PROJECTIONS;
export const READ_MODEL_NAMES: readonly ReadModelName[] = ['accounts', 'transfers'];

export const isReadModelName = (name: string): name is ReadModelName =>
  (READ_MODEL_NAMES as readonly string[]).includes(name);

/** The canonical tables of a read model: what the query API reads and the live projector writes. */
export const tablesOf = (model: ReadModelName): readonly string[] =>
  model === 'accounts' ? ACCOUNT_READ_MODEL_TABLES : TRANSFER_READ_MODEL_TABLES;

/** Suffix of a version's tables while they are a shadow (being built) or retired (kept after a swap). */
export const versionSuffix = (version: number): string => `__v${version}`;

/**
 * Consumer group (and checkpoint key) of a version: version 1 is the projector's historical group, so an
 * installation that never rebuilt keeps its offsets and checkpoints.
 */
export function groupOf(model: ReadModelName, version: number): string {
  const base = PROJECTIONS[model].name;
  return version === 1 ? base : `${base}.v${version}`;
}
