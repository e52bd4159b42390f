import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { groupByType, type SchemaVersion } from './catalogue';
import type { RegistryAdmin } from './registry-admin';
import { registryText } from './registry-check';

export interface Registration {
  type: string;
  version: number;
  subject: string;
  id: number;
}

export class RegistrationError extends Error {
  constructor(
    readonly entry: SchemaVersion,
    cause: unknown,
  ) {
    super(
      `the registry refused ${entry.type} v${entry.version} under ${entry.subject}: ${(cause as Error).message}`,
    );
    this.name = 'RegistrationError';
  }
}

/**
 * Registers every version of every event type, oldest first, under its TopicRecordNameStrategy subject.
 * Each subject's level is set to BACKWARD_TRANSITIVE before its first registration: the client's
 * `register()` compares the level it reads from `GET /config/<subject>` with the one it is given, and on
 * a subject without a level of its own Apicurio answers 200 with NONE where Confluent answers 404 (which
 * the client then treats as a first registration and sets the level afterwards). With the level set
 * first, both registries answer BACKWARD_TRANSITIVE. Registering a version the subject already holds
 * returns its existing id and adds nothing, so running this twice is harmless.
 */
export async function registerAll(
  registry: SchemaRegistry,
  admin: RegistryAdmin,
  versions: SchemaVersion[],
): Promise<Registration[]> {
  const registrations: Registration[] = [];
  for (const list of groupByType(versions).values()) {
    const subject = list[0].subject;
    await admin.setCompatibility(subject, COMPATIBILITY.BACKWARD_TRANSITIVE);
    for (const entry of list) {
      try {
        const { id } = await registry.register(
          { type: SchemaType.AVRO, schema: registryText(entry) },
          { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
        );
        registrations.push({ type: entry.type, version: entry.version, subject, id });
      } catch (error) {
        throw new RegistrationError(entry, error);
      }
    }
  }
  return registrations;
}
