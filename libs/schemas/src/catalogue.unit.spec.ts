import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CatalogueError, loadCatalogue } from './catalogue';

const record = (
  name: string,
  namespace = 'shop.orders',
  fields: object[] = [{ name: 'orderId', type: 'string', doc: 'Id.' }],
) => ({
  type: 'record',
  name,
  namespace,
  doc: `${name} happened.`,
  fields,
});

describe('loadCatalogue', () => {
  let dir: string;
  const write = (path: string, content: unknown) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  };
  const problems = () => {
    try {
      loadCatalogue(dir);
      return [];
    } catch (error) {
      return (error as CatalogueError).problems;
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    write('topics.json', { 'shop.orders': 'shop.order.events' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each version with its wire type, topic and TopicRecordNameStrategy subject', () => {
    write('shop.orders/OrderPlaced.v2.avsc', record('OrderPlaced'));
    write('shop.orders/OrderPlaced.v1.avsc', record('OrderPlaced'));

    expect(
      loadCatalogue(dir).map(({ type, version, topic, subject }) => ({ type, version, topic, subject })),
    ).toEqual([
      {
        type: 'shop.orders.OrderPlaced',
        version: 1,
        topic: 'shop.order.events',
        subject: 'shop.order.events-shop.orders.OrderPlaced',
      },
      {
        type: 'shop.orders.OrderPlaced',
        version: 2,
        topic: 'shop.order.events',
        subject: 'shop.order.events-shop.orders.OrderPlaced',
      },
    ]);
  });

  it('requires the namespace to match the folder and the name to match the file', () => {
    write('shop.orders/OrderPlaced.v1.avsc', record('OrderShipped', 'shop.shipping'));

    expect(problems()).toEqual([
      'shop.orders/OrderPlaced.v1.avsc: namespace must be "shop.orders" (its folder)',
      'shop.orders/OrderPlaced.v1.avsc: record name must be "OrderPlaced" (its file name)',
    ]);
  });

  it('requires docs on the record and on every field', () => {
    write('shop.orders/OrderPlaced.v1.avsc', {
      ...record('OrderPlaced', 'shop.orders', [{ name: 'orderId', type: 'string' }]),
      doc: '',
    });

    expect(problems()).toEqual([
      'shop.orders/OrderPlaced.v1.avsc: the record needs a doc',
      'shop.orders/OrderPlaced.v1.avsc: field "orderId" needs a doc',
    ]);
  });

  it('refuses gaps in the version numbers and badly named files', () => {
    write('shop.orders/OrderPlaced.v1.avsc', record('OrderPlaced'));
    write('shop.orders/OrderPlaced.v3.avsc', record('OrderPlaced'));
    write('shop.orders/order-placed.avsc', record('OrderPlaced'));

    expect(problems()).toEqual([
      'shop.orders/order-placed.avsc: file names must look like <RecordName>.v<N>.avsc',
      'shop.orders.OrderPlaced: versions must run 1..N without gaps, found 1, 3',
    ]);
  });

  it('refuses a namespace without a topic and a file that is not an Avro schema', () => {
    write('shop.billing/InvoiceSent.v1.avsc', record('InvoiceSent', 'shop.billing'));
    write('shop.orders/OrderPlaced.v1.avsc', {
      type: 'record',
      name: 'OrderPlaced',
      fields: [{ name: 'x', type: 'decimal' }],
    });

    expect(problems()).toEqual([
      'shop.billing/InvoiceSent.v1.avsc: topics.json names no topic for namespace "shop.billing"',
      expect.stringMatching(/^shop\.orders\/OrderPlaced\.v1\.avsc: not a valid Avro schema/),
    ]);
  });
});
