import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { summarize } from './stats';

export type Cell = string | number;

const escapeCell = (cell: Cell) => String(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A GitHub-flavoured markdown table, padded so the raw text lines up as a formatter would leave it.
 * Columns are right-aligned when `rightAligned` says so, by default when every cell is a number.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  rightAligned: readonly boolean[] = header.map(
    (_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === 'number'),
  ),
): string {
  const text = [header, ...rows].map((cells) => cells.map(escapeCell));
  const widths = header.map((_, column) => Math.max(3, ...text.map((cells) => cells[column].length)));
  const pad = (cell: string, column: number) =>
    rightAligned[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const dashes = (width: number, column: number) =>
    rightAligned[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width);
  const rule = `| ${widths.map(dashes).join(' | ')} |`;
  return [line(text[0]), rule, ...text.slice(1).map(line)].join('\n');
}

/** For reading: thousands separators and exactly `digits` decimals. */
export function formatNumber(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A cell of values over rounds: `median (min–max)`, each with exactly `digits` decimals. */
export function formatMedianRange(values: readonly number[], digits: number): string {
  const { median, min, max } = summarize(values);
  return `${formatNumber(median, digits)} (${formatNumber(min, digits)}–${formatNumber(max, digits)})`;
}

export const formatRatio = (ratio: number): string => `${ratio.toFixed(2)}×`;

/** Writes a report, creating its folder; the report is the committed record of a run. */
export async function writeMarkdown(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text.endsWith('\n') ? text : `${text}\n`, 'utf8');
}
