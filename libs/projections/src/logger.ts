/** The logging surface the runtime needs; a pino logger satisfies it. */
export interface ProjectionLogger {
  debug(context: object, message: string): void;
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

const ignore = () => undefined;

export const silentLogger: ProjectionLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
