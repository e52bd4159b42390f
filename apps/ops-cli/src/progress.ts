import { SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets how much is done (absolute), and the total when it became known or changed. */
  update(done: number, total?: number): void;
  stop(): void;
}

const LINE_EVERY_MS = 2000;

/**
 * Progress of a long operation on stderr (stdout stays for results and --json): a bar when stderr is a
 * terminal, otherwise a line every 2 s with the rate and the time left, for logs and CI.
 */
export function createProgress(
  label: string,
  total: number,
  options: { tty?: boolean; now?: () => number; remaining?: string } = {},
): Progress {
  // A name for what is left (`lag` of a rebuild): shown as its own figure on every line.
  const remaining = options.remaining;
  const tty = options.tty ?? Boolean(process.stderr.isTTY);
  const now = options.now ?? Date.now;
  if (tty) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {value}/{total}${remaining ? ` | ${remaining} {remaining}` : ''} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    });
    bar.start(total, 0, { remaining: total });
    return {
      update: (done, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        bar.update(done, { remaining: Math.max(0, bar.getTotal() - done) });
      },
      stop: () => bar.stop(),
    };
  }
  const started = now();
  let last = started;
  let current = 0;
  let whole = total;
  const line = () => {
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const rate = current / seconds;
    const left = rate > 0 ? Math.max(0, (whole - current) / rate) : Infinity;
    process.stderr.write(
      `${label}: ${current}/${whole} (${whole > 0 ? Math.floor((100 * current) / whole) : 100}%)${remaining ? `, ${remaining} ${Math.max(0, whole - current)}` : ''}, ${rate.toFixed(1)}/s, ETA ${Number.isFinite(left) ? `${left.toFixed(0)} s` : 'unknown'}\n`,
    );
  };
  return {
    update: (done, newTotal) => {
      current = done;
      if (newTotal !== undefined) whole = newTotal;
      if (now() - last >= LINE_EVERY_MS) {
        last = now();
        line();
      }
    },
    stop: line,
  };
}
