import { execFileSync } from 'node:child_process';

/** The `.avsc` files of one git revision, keyed by repository-relative path. */
export interface Baseline {
  ref: string;
  files: Map<string, string>;
}

function git(repoRoot: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function revisionExists(repoRoot: string, ref: string): boolean {
  try {
    git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * What counts as published: an explicit ref when given, else `origin/main` when the clone has it (what CI
 * compares a branch against), else `HEAD`. Returns undefined outside a git work tree or before the first
 * commit, when nothing has been published yet.
 */
export function resolveBaselineRef(repoRoot: string, explicit?: string): string | undefined {
  if (explicit) {
    if (!revisionExists(repoRoot, explicit)) throw new Error(`git revision "${explicit}" does not exist`);
    return explicit;
  }
  return ['origin/main', 'HEAD'].find((ref) => revisionExists(repoRoot, ref));
}

/** Reads every `.avsc` file under `dir` (repository-relative) as it was at `ref`. */
export function readBaseline(repoRoot: string, ref: string, dir: string): Baseline {
  const paths = git(repoRoot, ['ls-tree', '-r', '--name-only', ref, '--', dir])
    .split('\n')
    .filter((path) => path.endsWith('.avsc'));
  const files = new Map(paths.map((path) => [path, git(repoRoot, ['show', `${ref}:${path}`])]));
  return { ref, files };
}
