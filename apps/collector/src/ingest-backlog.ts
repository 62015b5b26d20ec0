import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventsStream } from '@soc/event-stream';

const REFRESH_MS = 250;

/**
 * How far the slowest consumer group is behind, in stream entries, read from Redis every
 * 250 ms rather than once per request: admission must not cost a round trip, and a quarter of
 * a second of overshoot is nothing against a limit of thousands of entries.
 */
@Injectable()
export class IngestBacklog implements OnModuleInit, OnModuleDestroy {
  private entries = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly stream: EventsStream) {}

  get current(): number {
    return this.entries;
  }

  async refresh(): Promise<void> {
    try {
      this.entries = await this.stream.backlog();
    } catch {
      // Redis is away: keep the last reading; the append itself will answer 503.
    }
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
