/** The logging surface the runtimes (relay, projector, saga) need; a pino logger satisfies it. */
export interface RuntimeLogger {
  debug(context: object, message: string): void;
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

const ignore = () => undefined;

export const silentLogger: RuntimeLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Puts an error where pino's standard serializer renders it (type, message, stack, cause). */
export const errorContext = (error: unknown) => ({
  err: error instanceof Error ? error : new Error(String(error)),
});
