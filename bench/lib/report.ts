import { writeMarkdown } from './markdown';

/** Prints a benchmark's report and keeps it under bench/results/, where runs are compared. */
export async function publishReport(path: string, report: string): Promise<void> {
  process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
  await writeMarkdown(path, report);
}

/** Runs a benchmark's main: a failure prints its stack and exits 1, so a script or CI sees it. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
