import { StructuredLogger } from '@soc/platform';
import type { Redis } from '@soc/redis';

/**
 * Logs a queue's or worker's errors once each: while Redis is away BullMQ repeats the same
 * connection error on every reconnect attempt, and the readiness probe reports the outage
 * already. A different error is logged again; so is the same one after the connection came back.
 */
export function logErrorsOnce(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  connection: Redis,
  fields: Record<string, unknown>,
  logger = new StructuredLogger('Jobs'),
): void {
  let last: string | undefined;
  connection.on('ready', () => {
    last = undefined;
  });
  emitter.on('error', (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    logger.error({ ...fields, error: error.message }, 'queue error');
  });
}
