import { isDeepStrictEqual } from 'node:util';

/**
 * Published schema versions are immutable: a consumer may already hold data written with them and the
 * registry has them under a fixed id. Compares the `.avsc` files of a baseline (path -> text) with the
 * working tree and names every published file that was edited or deleted. New files are fine.
 * Formatting does not count as a change; any difference in the parsed JSON (docs included) does.
 */
export function findRewrittenVersions(baseline: Map<string, string>, current: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, publishedText] of baseline) {
    const currentText = current.get(path);
    if (currentText === undefined) {
      problems.push(`${path}: a published schema version was removed; published versions are immutable`);
    } else if (!sameJson(publishedText, currentText)) {
      problems.push(
        `${path}: published schema versions are immutable; add a new version instead of editing it`,
      );
    }
  }
  return problems;
}

function sameJson(a: string, b: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return a === b;
  }
}
