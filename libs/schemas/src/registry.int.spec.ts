import { randomBytes } from 'node:crypto';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { schemaRegistryUrl } from '@ledger/testing';
import { fixtureVersion, type FixtureName } from './__fixtures__';
import { checkBackwardTransitive } from './compatibility';
import { registerAll, RegistrationError } from './register';
import { RegistryAdmin } from './registry-admin';
import { checkAgainstRegistry, registryText } from './registry-check';

describe('registry gate and registration', () => {
  const admin = new RegistryAdmin(schemaRegistryUrl());
  const registry = new SchemaRegistry({ host: schemaRegistryUrl() });
  const subjects: string[] = [];
  const freshSubject = () => {
    const subject = `schemas-gate.${randomBytes(6).toString('hex')}-fixtures.schemas.Payment`;
    subjects.push(subject);
    return subject;
  };
  const candidate = (name: FixtureName, subject: string) => [
    fixtureVersion('base', 1, subject),
    fixtureVersion(name, 2, subject),
  ];

  let published: string;
  beforeAll(async () => {
    published = freshSubject();
    await registerAll(registry, admin, [fixtureVersion('base', 1, published)]);
  });
  afterAll(() => Promise.all(subjects.map((subject) => admin.deleteSubject(subject))));

  it('registers every version in order under BACKWARD_TRANSITIVE, and a second run changes nothing', async () => {
    const subject = freshSubject();
    const versions = candidate('add-field-with-default', subject);

    const first = await registerAll(registry, admin, versions);
    const second = await registerAll(registry, admin, versions);

    expect(second).toEqual(first);
    expect(first.map(({ version, subject: registeredAs }) => ({ version, registeredAs }))).toEqual([
      { version: 1, registeredAs: subject },
      { version: 2, registeredAs: subject },
    ]);
    await expect(admin.versions(subject)).resolves.toEqual([1, 2]);
    await expect(admin.subjectCompatibility(subject)).resolves.toBe('BACKWARD_TRANSITIVE');
  });

  it.each<FixtureName>(['add-field-without-default', 'change-field-type'])(
    'refuses %s both locally and in the registry',
    async (name) => {
      const versions = candidate(name, published);

      const gate = await checkAgainstRegistry(admin, versions);

      expect(checkBackwardTransitive(versions)).toHaveLength(1);
      expect(gate).toMatchObject({ registered: 1, acceptable: 0 });
      expect(gate.problems).toEqual([
        expect.stringMatching(
          new RegExp(
            `refuses fixtures.schemas.Payment v2 under subject ${published}:\\s+cannot read registered version 1`,
          ),
        ),
      ]);
    },
  );

  it('accepts a version that adds a field with a default, both locally and in the registry', async () => {
    const versions = candidate('add-field-with-default', published);

    expect(checkBackwardTransitive(versions)).toEqual([]);
    await expect(checkAgainstRegistry(admin, versions)).resolves.toEqual({
      problems: [],
      registered: 1,
      acceptable: 1,
    });
  });

  it('stops registering at the first version the registry refuses', async () => {
    const subject = freshSubject();

    await expect(registerAll(registry, admin, candidate('change-field-type', subject))).rejects.toThrow(
      RegistrationError,
    );
    await expect(admin.versions(subject)).resolves.toEqual([1]);
  });

  it('registers into a subject that exists without a level of its own, where the client alone would refuse', async () => {
    const subject = freshSubject();
    const [v1, v2] = candidate('add-field-with-default', subject);
    await registerWithoutClient(subject, registryText(v1));
    // Apicurio answers GET /config/<subject> with NONE here (Confluent: 404), which the client compares
    // with the level it was asked for.
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: registryText(v2) },
        { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
      ),
    ).rejects.toThrow('Compatibility does not match the configuration (BACKWARD_TRANSITIVE != NONE)');

    await registerAll(registry, admin, [v1, v2]);

    await expect(admin.versions(subject)).resolves.toEqual([1, 2]);
    await expect(admin.subjectCompatibility(subject)).resolves.toBe('BACKWARD_TRANSITIVE');
  });
});

async function registerWithoutClient(subject: string, schema: string): Promise<void> {
  const response = await fetch(`${schemaRegistryUrl()}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema }),
  });
  expect(response.status).toBe(200);
}
