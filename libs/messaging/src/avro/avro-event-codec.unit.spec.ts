import * as avro from 'avsc';
import { schemas, subjectOf, type EventType } from '@ledger/contracts';
import { AvroEventCodec, type SchemaRegistryPort } from './avro-event-codec';
import {
  EventSchemaViolationError,
  SchemaNotRegisteredError,
  UndecodableEventError,
  UnknownEventSchemaError,
} from './errors';

/** Registry double with the semantics the codec relies on: ids by subject and content, schemas by id. */
class InMemoryRegistry implements SchemaRegistryPort {
  readonly lookups: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly texts = new Map<number, string>();

  register(subject: string, schema: unknown): number {
    const id = this.texts.size + 1;
    this.ids.set(`${subject}|${JSON.stringify(schema)}`, id);
    this.texts.set(id, JSON.stringify(schema));
    return id;
  }

  registerEvent(type: EventType, version: number): number {
    return this.register(subjectOf(type), schemas[type][version]);
  }

  async getRegistryIdBySchema(subject: string, { schema }: { schema: string }): Promise<number> {
    this.lookups.push(subject);
    const id = this.ids.get(`${subject}|${schema}`);
    // Mirrors the client, which reports the registry's 404 as an error without a status.
    if (id === undefined) throw new Error('Subject not found');
    return id;
  }

  async getSchema(id: number): Promise<unknown> {
    const text = this.texts.get(id);
    if (!text) throw Object.assign(new Error('Schema not found'), { status: 404 });
    return avro.Type.forSchema(JSON.parse(text));
  }
}

const accountId = '6f1c2a9e-51b4-4d7e-9a53-0b8a2f3c4d5e';
const at = '2025-03-01T09:30:00.000Z';
const openedV1 = { accountId, ownerId: 'owner-1', currency: 'EUR', overdraftLimit: 5000, openedAt: at };

describe('AvroEventCodec', () => {
  let registry: InMemoryRegistry;
  let codec: AvroEventCodec;

  beforeEach(() => {
    registry = new InMemoryRegistry();
    codec = new AvroEventCodec(registry);
  });

  it('encodes data validated before without validating it again, yet still refuses a value of the wrong type', async () => {
    registry.registerEvent('ledger.accounts.MoneyDeposited', 1);
    const data = { accountId, amount: 1250, currency: 'EUR', reference: 'salary', depositedAt: at };
    const type = 'ledger.accounts.MoneyDeposited';

    const validated = await codec.encode(type, 1, data);
    // An undeclared field shows that validation was skipped: validation refuses it, Avro drops it.
    const trusted = await codec.encode(type, 1, { ...data, note: 'x' }, { validate: false });
    await expect(codec.encode(type, 1, { ...data, note: 'x' })).rejects.toBeInstanceOf(
      EventSchemaViolationError,
    );
    expect(trusted).toEqual(validated);
    await expect(codec.encode(type, 1, { ...data, amount: 'a lot' }, { validate: false })).rejects.toThrow();
  });

  it('round-trips an event through the Confluent wire format', async () => {
    const id = registry.registerEvent('ledger.accounts.MoneyDeposited', 1);
    const data = { accountId, amount: 1250, currency: 'EUR', reference: 'salary', depositedAt: at };

    const value = await codec.encode('ledger.accounts.MoneyDeposited', 1, data);

    expect(value.readUInt8(0)).toBe(0);
    expect(value.readInt32BE(1)).toBe(id);
    await expect(codec.decode(value)).resolves.toStrictEqual({
      type: 'ledger.accounts.MoneyDeposited',
      version: 1,
      writerVersion: 1,
      schemaId: id,
      data,
    });
  });

  it('decodes an event written as an older version into the current one, filling defaults', async () => {
    registry.registerEvent('ledger.accounts.AccountOpened', 1);

    const decoded = await codec.decode(await codec.encode('ledger.accounts.AccountOpened', 1, openedV1));

    expect(decoded).toMatchObject({ type: 'ledger.accounts.AccountOpened', version: 2, writerVersion: 1 });
    expect(decoded.data).toStrictEqual({ ...openedV1, dailyWithdrawalLimit: 100_000_000 });
  });

  it('refuses to encode a schema version that is not registered, and finds it once it is', async () => {
    await expect(codec.encode('ledger.accounts.AccountOpened', 1, openedV1)).rejects.toThrow(
      SchemaNotRegisteredError,
    );

    registry.registerEvent('ledger.accounts.AccountOpened', 1);

    await expect(codec.encode('ledger.accounts.AccountOpened', 1, openedV1)).resolves.toBeInstanceOf(Buffer);
  });

  it('validates before it asks the registry anything', async () => {
    await expect(
      codec.encode('ledger.accounts.AccountOpened', 1, { ...openedV1, overdraftLimit: '5000' }),
    ).rejects.toThrow(EventSchemaViolationError);
    await expect(codec.encode('ledger.accounts.Unknown', 1, {})).rejects.toThrow(UnknownEventSchemaError);
    expect(registry.lookups).toEqual([]);
  });

  it('asks the registry for a schema id once per event type and version', async () => {
    registry.registerEvent('ledger.accounts.AccountOpened', 1);

    await Promise.all([1, 2, 3].map(() => codec.encode('ledger.accounts.AccountOpened', 1, openedV1)));

    expect(registry.lookups).toEqual(['ledger.account.events-ledger.accounts.AccountOpened']);
  });

  it('rejects values that are not in the wire format or name an unknown schema id', async () => {
    await expect(codec.decode(Buffer.from('{"accountId":"x"}'))).rejects.toThrow(UndecodableEventError);
    await expect(codec.decode(Buffer.from([0, 0, 0, 0, 42, 1]))).rejects.toThrow(/schema id 42/);
  });

  it('lets a registry outage through as it is, so the record is retried rather than parked', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { status: 400 });
    registry.getSchema = () => Promise.reject(outage);

    await expect(codec.decode(Buffer.from([0, 0, 0, 0, 1, 1]))).rejects.toBe(outage);
  });

  it('rejects a record whose type is not in the catalogue', async () => {
    const schema = {
      type: 'record',
      name: 'Stranger',
      namespace: 'elsewhere',
      fields: [{ name: 'a', type: 'string' }],
    };
    const id = registry.register('elsewhere-elsewhere.Stranger', schema);
    const body = avro.Type.forSchema(schema as avro.Schema).toBuffer({ a: 'x' });

    await expect(codec.decode(Buffer.concat([Buffer.from([0, 0, 0, 0, id]), body]))).rejects.toThrow(
      UnknownEventSchemaError,
    );
  });

  it('rejects a truncated body', async () => {
    registry.registerEvent('ledger.accounts.AccountOpened', 1);
    const value = await codec.encode('ledger.accounts.AccountOpened', 1, openedV1);

    await expect(codec.decode(value.subarray(0, value.length - 3))).rejects.toThrow(UndecodableEventError);
  });
});
