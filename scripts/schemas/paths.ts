import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SCHEMAS_DIR_NAME } from '@ledger/schemas';

export const SCHEMAS_DIR = SCHEMAS_DIR_NAME;
export const CONTRACTS_DIR = join('libs', 'contracts', 'src', 'generated');
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

/**
 * The repository root, found by walking up from this file to the folder holding avro-schemas/; the
 * tooling runs both from source (tests) and compiled under dist/.
 */
export function findRepoRoot(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SCHEMAS_DIR, 'topics.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${SCHEMAS_DIR}/topics.json above ${start}`);
  }
}
