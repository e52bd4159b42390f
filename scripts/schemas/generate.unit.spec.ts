import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue } from '@ledger/schemas';
import { fixtureVersion } from '../../libs/schemas/src/__fixtures__';
import { renderContracts, staleContracts, writeContracts } from './generate';
import { renderInterface } from './typescript-types';

const repoRoot = join(__dirname, '../..');

describe('renderInterface', () => {
  it('maps timestamps to ISO strings, nullable unions, enums and longs to TypeScript', () => {
    const rendered = renderInterface(
      'ThingV1',
      {
        type: 'record',
        name: 'Thing',
        namespace: 'n',
        doc: 'A thing.',
        fields: [
          { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When.' },
          { name: 'note', type: ['null', 'string'], default: null, doc: 'Note.' },
          { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['a', 'b'] }, doc: 'Kind.' },
          { name: 'amount', type: 'long', doc: 'Amount */ closed.' },
        ],
      },
      1,
    );

    expect(rendered).toBe(
      [
        '/** n.Thing v1: A thing. */',
        'export interface ThingV1 {',
        '  /** When. */',
        '  readonly at: string;',
        '  /** Note. */',
        '  readonly note: null | string;',
        '  /** Kind. */',
        "  readonly kind: 'a' | 'b';",
        '  /** Amount *\\/ closed. */',
        '  readonly amount: number;',
        '}',
      ].join('\n'),
    );
  });

  it('refuses nested records, which events do not use', () => {
    const nested = { type: 'record', name: 'Inner', fields: [] };
    const schema = {
      type: 'record' as const,
      name: 'T',
      namespace: 'n',
      doc: 'T.',
      fields: [{ name: 'inner', type: nested, doc: 'x' }],
    };

    expect(() => renderInterface('TV1', schema, 1)).toThrow(
      /n\.T v1 inner: nested records are not supported/,
    );
  });
});

describe('generated contracts', () => {
  let outDir: string;
  beforeEach(() => (outDir = mkdtempSync(join(tmpdir(), 'contracts-'))));
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it('are reported stale when missing, edited or left over, and fresh once written', () => {
    const files = renderContracts([fixtureVersion('base', 1), fixtureVersion('add-field-with-default', 2)]);
    expect(staleContracts(outDir, files)).toEqual([
      'catalogue.ts',
      'fixtures.schemas.ts',
      'index.ts',
      'schemas.ts',
    ]);

    writeContracts(outDir, files);
    expect(staleContracts(outDir, files)).toEqual([]);
    expect(readFileSync(join(outDir, 'catalogue.ts'), 'utf8')).toContain(
      "'fixtures.schemas.Payment': { 1: PaymentV1; 2: PaymentV2 };",
    );

    writeFileSync(join(outDir, 'schemas.ts'), '// edited');
    writeFileSync(join(outDir, 'old.ts'), '');
    expect(staleContracts(outDir, files)).toEqual(['old.ts', 'schemas.ts']);
    writeContracts(outDir, files);
    expect(staleContracts(outDir, files)).toEqual([]);
  });

  it('committed in libs/contracts are what avro-schemas/ generates', () => {
    const expected = renderContracts(loadCatalogue(join(repoRoot, 'avro-schemas')));

    expect(staleContracts(join(repoRoot, 'libs/contracts/src/generated'), expected)).toEqual([]);
  });
});
