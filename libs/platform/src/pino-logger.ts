import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { LogEntry } from './logger-fields';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace';

/**
 * Structured JSON logs (pino) behind Nest's logger interface, one per app. A `LogEntry` (from
 * `StructuredLogger`) becomes a line whose fields are JSON properties beside `msg`; anything else
 * is written as the message, as Nest hands it over.
 */
export class PinoLogger implements LoggerService {
  readonly pino: Logger;

  /** `destination` defaults to stdout; tests pass their own stream to read the lines back. */
  constructor(app: string, level: string, destination?: DestinationStream) {
    const options = { name: app, level, base: { app, pid: process.pid } };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, { context });
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, { context, trace });
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, { context });
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, { context });
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, { context });
  }

  private write(level: Level, message: unknown, origin: { context?: string; trace?: string }): void {
    if (message instanceof LogEntry) {
      // The origin comes last: a field cannot pass itself off as the line's context.
      this.pino[level]({ ...message.fields, ...origin }, message.msg);
    } else {
      this.pino[level](origin, String(message));
    }
  }
}
