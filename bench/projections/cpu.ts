import { kafkaPids } from '../cpu/stack-pids';
import { cpuBetween, cpuSnapshot, pidsNamed } from '../lib/proc';

/** CPU seconds a pass used, by where they were spent. */
export interface CpuUse {
  /** This process: the reader under test (consumer, decoder, projector runtime, pg and kafkajs clients). */
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
