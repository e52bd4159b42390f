import { kafkaPids } from './stack-pids';
import { formatNumber } from './markdown';
import { cpuBetween, cpuSnapshot, pidsNamed } from './proc';
import { median } from './stats';

/** CPU seconds a pass used, by where they were spent. */
export interface CpuUse {
  /** This process: what the benchmark runs in it (a reader, a projector, a rebuild, the relay, a producer). */
  readonly bench: number;
  /** Every `postgres` process: the backends running the statements, and the writer, WAL writer, checkpointer. */
  readonly postgres: number;
  /** The broker (each broker of a cluster). */
  readonly kafka: number;
}

/**
 * Starts counting CPU seconds; the returned function stops and answers what each side used since. Postgres
 * backends opened in between count from zero; one that closed in between is lost, which the passes avoid
 * by keeping their pools open across the measurement.
 */
export function startCpuMeter(): () => CpuUse {
  const usage = process.cpuUsage();
  const postgres = cpuSnapshot(pidsNamed('postgres'));
  const kafka = cpuSnapshot(kafkaPids());
  return () => {
    const used = process.cpuUsage(usage);
    return {
      bench: (used.user + used.system) / 1e6,
      postgres: cpuBetween(postgres, cpuSnapshot(pidsNamed('postgres'))),
      kafka: cpuBetween(kafka, cpuSnapshot(kafkaPids())),
    };
  };
}

/** Runs a pass and adds the CPU seconds it used (this process, Postgres, the broker). */
export async function withCpu<T extends object>(run: () => Promise<T>): Promise<T & { cpu: CpuUse }> {
  const cpu = startCpuMeter();
  const result = await run();
  return { ...result, cpu: cpu() };
}

/** The columns of a CPU-per-event table, after the pass's label: each side's CPU per event and their total. */
export const CPU_PER_EVENT_COLUMNS = ['benchmark process, µs', 'Postgres, µs', 'Kafka, µs', 'total, µs'];

/**
 * The median over passes of each side's CPU per event in µs, formatted as the cells under
 * CPU_PER_EVENT_COLUMNS, with the total (µs) for the column a report derives from it (a ceiling, a least
 * wall time). Undefined when no pass was measured.
 */
export function cpuPerEvent(
  uses: readonly CpuUse[],
  events: number,
): { readonly cells: string[]; readonly totalMicros: number } | undefined {
  if (uses.length === 0) return undefined;
  const perEvent = (pick: (cpu: CpuUse) => number) => median(uses.map((cpu) => (pick(cpu) * 1e6) / events));
  const totalMicros = perEvent((cpu) => cpu.bench + cpu.postgres + cpu.kafka);
  const sides = [perEvent((cpu) => cpu.bench), perEvent((cpu) => cpu.postgres), perEvent((cpu) => cpu.kafka)];
  return { cells: [...sides, totalMicros].map((micros) => formatNumber(micros, 1)), totalMicros };
}
