import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { groupByType, loadCatalogue, type SchemaVersion } from './catalogue';
import { findSchemasDir } from './location';
import { RegistryAdmin } from './registry-admin';
import { registryText } from './registry-check';

/** Where the registry is and its basic-auth credentials (the apps' `RegistryConnection`). */
export interface RegistryEndpoint {
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
}

/** The schema versions `avro-schemas/` holds, as this library finds them. */
export const loadSchemas = (): SchemaVersion[] => loadCatalogue(findSchemasDir());

/**
 * Registers every schema version of avro-schemas/ (or `versions`) at `endpoint`, idempotently: what
 * `ops-cli setup`, the apps' provisioning, `npm run schemas:register` and the tests call.
 */
export async function registerSchemas(
  endpoint: RegistryEndpoint,
  versions: SchemaVersion[] = loadSchemas(),
): Promise<Registration[]> {
  const { url, auth } = endpoint;
  const headers: Record<string, string> = auth
    ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
    : {};
  return registerAll(
    new SchemaRegistry({ host: url, ...(auth ? { auth: { ...auth } } : {}) }),
    new RegistryAdmin(url, undefined, headers),
    versions,
  );
}

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
