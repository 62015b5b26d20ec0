import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { EventsStream } from '@soc/event-stream';
import { APP_CONFIG } from '@soc/platform';

/** How often acknowledged entries are trimmed: a few seconds of entries at a time. */
export const TRIM_INTERVAL_MS = 10_000;

/**
 * Keeps the events stream to what is not yet acknowledged by every consumer group, plus
 * EVENTS_STREAM_RETAIN_SECONDS of history (docs/OPERATIONS.md). Every collector trims; XTRIM is
 * idempotent, so replicas trimming at once remove each entry once. A failed trim (Redis away) is
 * tried again at the next tick: nothing depends on it but memory.
 */
@Injectable()
export class EventsStreamTrimmer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsStreamTrimmer.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly stream: EventsStream,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), TRIM_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.stream
      .trimAcknowledged(this.config.streams.retainAcknowledgedMs)
      .then((removed) => {
        if (removed > 0) this.logger.debug(`trimmed ${removed} acknowledged entries from ${this.stream.key}`);
      })
      .catch((error: Error) => this.logger.warn(`could not trim ${this.stream.key}, trying again: ${error.message}`))
      .finally(() => (this.running = undefined));
  }
}
