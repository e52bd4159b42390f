import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBaseline, resolveBaselineRef } from './git-baseline';
import { findRewrittenVersions } from './immutability';

const v1 = JSON.stringify({ type: 'record', name: 'A', namespace: 'n', doc: 'A.', fields: [] }, null, 2);

describe('findRewrittenVersions', () => {
  const published = new Map([['avro-schemas/n/A.v1.avsc', v1]]);

  it('accepts unchanged published versions, reformatting and new versions', () => {
    const current = new Map([
      ['avro-schemas/n/A.v1.avsc', JSON.stringify(JSON.parse(v1))],
      ['avro-schemas/n/A.v2.avsc', '{}'],
    ]);

    expect(findRewrittenVersions(published, current)).toEqual([]);
  });

  it('refuses an edited published version, even when only a doc changed', () => {
    const edited = JSON.stringify({ ...JSON.parse(v1), doc: 'A, reworded.' });

    expect(findRewrittenVersions(published, new Map([['avro-schemas/n/A.v1.avsc', edited]]))).toEqual([
      'avro-schemas/n/A.v1.avsc: published schema versions are immutable; add a new version instead of editing it',
    ]);
  });

  it('refuses a removed published version', () => {
    expect(findRewrittenVersions(published, new Map())).toEqual([
      'avro-schemas/n/A.v1.avsc: a published schema version was removed; published versions are immutable',
    ]);
  });
});

describe('git baseline', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'baseline-'));
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('has nothing published before the first commit', () => {
    expect(resolveBaselineRef(repo)).toBeUndefined();
  });

  it('reads the committed .avsc files of HEAD, ignoring uncommitted edits and other files', () => {
    mkdirSync(join(repo, 'avro-schemas/n'), { recursive: true });
    writeFileSync(join(repo, 'avro-schemas/n/A.v1.avsc'), v1);
    writeFileSync(join(repo, 'avro-schemas/topics.json'), '{}');
    git('add', '.');
    git('commit', '--quiet', '-m', 'schemas');
    writeFileSync(join(repo, 'avro-schemas/n/A.v1.avsc'), '{}');

    const ref = resolveBaselineRef(repo);
    expect(ref).toBe('HEAD');
    expect(readBaseline(repo, 'HEAD', 'avro-schemas').files).toEqual(
      new Map([['avro-schemas/n/A.v1.avsc', v1]]),
    );
  });

  it('refuses an explicit baseline that does not exist', () => {
    expect(() => resolveBaselineRef(repo, 'origin/nowhere')).toThrow(
      'git revision "origin/nowhere" does not exist',
    );
  });
});
