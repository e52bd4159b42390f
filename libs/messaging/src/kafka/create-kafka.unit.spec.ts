import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import pino from 'pino';
import { kafkaLogLevelOf, pinoLogCreator } from './create-kafka';

function capturingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

describe('kafkajs logging through pino', () => {
  it('asks kafkajs for no more than the logger prints', () => {
    expect(kafkaLogLevelOf(undefined)).toBe(logLevel.NOTHING);
    expect(kafkaLogLevelOf(pino({ level: 'warn' }))).toBe(logLevel.WARN);
    expect(kafkaLogLevelOf(pino({ level: 'debug' }))).toBe(logLevel.DEBUG);
    expect(kafkaLogLevelOf(pino({ level: 'silent' }))).toBe(logLevel.NOTHING);
  });

  it('keeps the message, the level and kafkajs fields as structured keys', async () => {
    const { logger, lines } = capturingLogger('info');
    const log = pinoLogCreator(logger)(logLevel.INFO);

    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'now', logger: 'kafkajs', message: 'Connection error', broker: '127.0.0.1:9092' },
    });
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'Connection error',
        broker: '127.0.0.1:9092',
        kafkaNamespace: 'Connection',
        component: 'kafkajs',
      }),
    ]);
  });

  it('logs a retry of a transaction the coordinator is still completing at debug level, not as an error', async () => {
    const { logger, lines } = capturingLogger('info');
    const log = pinoLogCreator(logger)(logLevel.INFO);
    const entry = (error: string) => ({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'now', logger: 'kafkajs', message: 'Failed to send messages: ' + error, error },
    });

    log(
      entry(
        'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
    );
    log(entry('The broker is not available'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'Failed to send messages: The broker is not available' }),
    ]);
  });

  it('logs the producer send retry of such a transaction at debug level: kafkajs names the error only in the message', async () => {
    const { logger, lines } = capturingLogger('info');
    const log = pinoLogCreator(logger)(logLevel.INFO);
    // What kafkajs' sendMessages logs before a retry: the error in the message, the retry as fields.
    const entry = (error: string) => ({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: 'now',
        logger: 'kafkajs',
        message: `Failed to send messages: ${error}`,
        retryCount: 0,
        retryTime: 1,
      },
    });

    log(
      entry(
        'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
    );
    log(entry('The broker is not available'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'Failed to send messages: The broker is not available' }),
    ]);
  });
});
