import { join, relative, sep } from 'node:path';
import {
  checkBackwardTransitive,
  describeCompatibilityProblem,
  loadCatalogue,
  type SchemaVersion,
} from '@ledger/schemas';
import { renderContracts, staleContracts } from './generate';
import { readBaseline, resolveBaselineRef } from './git-baseline';
import { findRewrittenVersions } from './immutability';
import { CONTRACTS_DIR, SCHEMAS_DIR } from './paths';

export interface LocalGateResult {
  versions: SchemaVersion[];
  problems: string[];
  notes: string[];
}

/**
 * Everything that can be checked without a registry: the conventions of avro-schemas/, BACKWARD_TRANSITIVE
 * between the versions in the tree, immutability of versions already published (per git), and that the
 * generated contracts are up to date. `catalogue` errors are thrown; the rest are collected.
 */
export function runLocalGate(repoRoot: string, baseRef?: string): LocalGateResult {
  const versions = loadCatalogue(join(repoRoot, SCHEMAS_DIR));
  const problems = checkBackwardTransitive(versions).map(describeCompatibilityProblem);
  const notes: string[] = [];

  const ref = resolveBaselineRef(repoRoot, baseRef);
  if (ref) {
    const baseline = readBaseline(repoRoot, ref, SCHEMAS_DIR);
    const current = new Map(versions.map((entry) => [toGitPath(repoRoot, entry.file), entry.text]));
    problems.push(
      ...findRewrittenVersions(baseline.files, current).map((problem) => `${problem} (compared with ${ref})`),
    );
    notes.push(`published versions compared with ${ref}: ${baseline.files.size} file(s)`);
  } else {
    notes.push('not in a git work tree with commits: immutability of published versions not checked');
  }

  const stale = staleContracts(join(repoRoot, CONTRACTS_DIR), renderContracts(versions));
  if (stale.length > 0) {
    problems.push(
      `generated contracts are stale (${stale.join(', ')} in ${CONTRACTS_DIR}); run npm run schemas:generate and commit`,
    );
  }
  return { versions, problems, notes };
}

function toGitPath(repoRoot: string, file: string): string {
  return relative(repoRoot, file).split(sep).join('/');
}
