import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from './runner';

const seconds = (ms: number | null | undefined) => (ms == null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const compact = (value: unknown) =>
  (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\|/g, '\\|');

/** The run as markdown: a summary table, then per drill its load, what clients saw and each invariant. */
export function markdown(report: RunReport): string {
  const lines = [
    `# Drill report ${report.startedAt}`,
    '',
    `Target: ${report.target} system; load ${report.options.rate} commands/s over ${report.options.accounts} accounts; ` +
      `finished ${report.finishedAt}. Result: **${report.ok ? 'all invariants held' : 'INVARIANT FAILED'}**.`,
    '',
    '| drill | status | sent | accepted | refused | failed | fault | converged in |',
    '| ----- | ------ | ---: | -------: | ------: | -----: | ----: | -----------: |',
    ...report.drills.map((drill) =>
      drill.load
        ? `| ${drill.name} | ${drill.status} | ${drill.load.sent} | ${drill.load.accepted} | ${drill.load.refused} | ${drill.load.failed} | ${seconds(drill.faultMs)} | ${seconds(drill.convergedMs)} |`
        : `| ${drill.name} | ${drill.status} (not run: ${drill.reason}) | | | | | | |`,
    ),
  ];
  for (const drill of report.drills.filter((d) => d.load)) {
    lines.push('', `## ${drill.name}: ${drill.status}`, '', drill.description + '.', '');
    if (drill.reason) lines.push(`Error: ${drill.reason}`, '');
    lines.push(
      `Clients saw during the fault (every answer, retries included): ${compact(drill.load!.duringFault)}`,
    );
    if (drill.load!.unexpected.length > 0)
      lines.push(`Unexpected answers: ${compact(drill.load!.unexpected)}`);
    if (drill.observations && Object.keys(drill.observations).length > 0)
      lines.push(`Observed: ${compact(drill.observations)}`);
    lines.push('', '| invariant | ok | expected | actual |', '| --------- | -- | -------- | ------ |');
    for (const invariant of drill.invariants ?? []) {
      const actual = compact(invariant.actual) + (invariant.detail ? ` (${compact(invariant.detail)})` : '');
      lines.push(
        `| ${invariant.name} | ${invariant.ok ? 'yes' : '**NO**'} | ${compact(invariant.expected)} | ${actual} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Writes `drills-<time>.json` and `.md`, and `latest.json` / `latest.md`; returns the markdown path. */
export function writeReport(report: RunReport, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const text = markdown(report);
  const json = JSON.stringify(report, null, 2) + '\n';
  for (const name of [`drills-${stamp}`, 'latest']) {
    writeFileSync(join(directory, `${name}.json`), json);
    writeFileSync(join(directory, `${name}.md`), text);
  }
  return join(directory, 'latest.md');
}
