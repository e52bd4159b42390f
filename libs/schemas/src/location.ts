import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of the event schemas (the source of truth), at the repository root and in the image. */
export const SCHEMAS_DIR_NAME = 'avro-schemas';

/**
 * `avro-schemas/`, found by walking up from this library: from its sources (tests, tsx), from a build under
 * dist/, and in the container image, which copies avro-schemas/ beside dist/.
 */
export function findSchemasDir(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SCHEMAS_DIR_NAME, 'topics.json'))) return join(dir, SCHEMAS_DIR_NAME);
    if (dirname(dir) === dir) throw new Error(`no ${SCHEMAS_DIR_NAME}/topics.json above ${start}`);
  }
}
