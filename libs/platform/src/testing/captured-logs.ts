import { Logger } from '@nestjs/common';
import { PinoLogger } from '../pino-logger';

/** One JSON log line as pino wrote it. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/**
 * Routes every Nest `Logger` (and so every `StructuredLogger`) through a real `PinoLogger` whose
 * lines are kept here, parsed, so a spec asserts the fields an app would write. `restore()` puts
 * Nest's own logger back.
 */
export function captureLogs(level = 'info'): { lines: LogLine[]; restore: () => void } {
  const lines: LogLine[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  const holder = Logger as unknown as { staticInstanceRef?: unknown };
  const previous = holder.staticInstanceRef;
  Logger.overrideLogger(new PinoLogger('test', level, destination));
  return { lines, restore: () => void (holder.staticInstanceRef = previous) };
}
