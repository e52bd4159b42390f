import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A pino logger whose JSON lines the test can inspect. */
export function capturedLogs(level = 'info'): {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  messages(msg: string): number;
} {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return {
    logger: pino({ level }, sink),
    lines,
    messages: (msg) => lines.filter((line) => line.msg === msg).length,
  };
}
