import type { AvroRecordSchemaJson } from '@ledger/contracts/wire';
import { readerCannotRead } from './compatibility';
import type { SchemaVersion } from './catalogue';
import type { RegistryAdmin } from './registry-admin';

/** The exact text sent to the registry for a schema version; the codec looks schemas up by the same text. */
export const registryText = (entry: SchemaVersion): string => JSON.stringify(entry.schema);

export interface RegistryGateResult {
  problems: string[];
  /** Versions the registry already holds; nothing to check for them. */
  registered: number;
  /** Versions not registered yet that the registry would accept. */
  acceptable: number;
}

/**
 * Asks the registry whether each schema version that it does not hold yet could be registered under its
 * subject's compatibility level (BACKWARD_TRANSITIVE), i.e. against every version it already holds.
 * When it refuses, the message names the registered versions the new one cannot read, found locally,
 * because some registries (Apicurio) answer with a bare verdict.
 */
export async function checkAgainstRegistry(
  admin: RegistryAdmin,
  versions: SchemaVersion[],
): Promise<RegistryGateResult> {
  const result: RegistryGateResult = { problems: [], registered: 0, acceptable: 0 };
  for (const entry of versions) {
    const text = registryText(entry);
    if (await admin.lookup(entry.subject, text)) {
      result.registered += 1;
      continue;
    }
    const verdict = await admin.checkCompatibility(entry.subject, text);
    if (verdict.compatible) {
      result.acceptable += 1;
      continue;
    }
    const reasons = [...verdict.messages, ...(await explain(admin, entry))];
    result.problems.push(
      `the registry refuses ${entry.type} v${entry.version} under subject ${entry.subject}` +
        (reasons.length > 0 ? `:\n    ${reasons.join('\n    ')}` : ''),
    );
  }
  return result;
}

async function explain(admin: RegistryAdmin, entry: SchemaVersion): Promise<string[]> {
  const reasons: string[] = [];
  for (const registered of await admin.versions(entry.subject)) {
    const writer = JSON.parse(await admin.schemaOf(entry.subject, registered)) as AvroRecordSchemaJson;
    const reason = readerCannotRead(entry.schema, writer);
    if (reason) reasons.push(`cannot read registered version ${registered}: ${reason}`);
  }
  return reasons;
}
