import { Logger } from '@nestjs/common';

/**
 * The fields of one log line: ids (member_id, batch_id, correlation_id, alert_id, …) and counts,
 * written as JSON properties so a reader filters on them instead of parsing messages
 * (docs/LOGGING.md). Values must be JSON-serialisable; secrets never belong here.
 */
export type LogFields = Record<string, unknown>;

/**
 * A message with its fields, as it travels through Nest's `Logger` to the app's logger:
 * `PinoLogger` writes the fields as properties of the JSON line; Nest's console logger (tests,
 * tools without the platform logger) prints the object as it is.
 */
export class LogEntry {
  constructor(
    readonly msg: string,
    readonly fields: LogFields,
  ) {}
}

/**
 * A logger whose lines carry fields, pino-style (`info(fields, message)`), for code that runs
 * inside a Nest app: it goes through Nest's `Logger`, so the app's logger (PinoLogger) and its
 * level apply, and tests can replace it with `Logger.overrideLogger` as for any Nest logger.
 */
export class StructuredLogger {
  private readonly logger: Logger;

  constructor(context: string) {
    this.logger = new Logger(context);
  }

  info(fields: LogFields, msg: string): void {
    this.logger.log(new LogEntry(msg, fields));
  }

  warn(fields: LogFields, msg: string): void {
    this.logger.warn(new LogEntry(msg, fields));
  }

  error(fields: LogFields, msg: string): void {
    this.logger.error(new LogEntry(msg, fields));
  }
}
