import { Controller, Get, Header } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DeadLetterOperations } from '@soc/dead-letters';
import { DeclareAccess } from '@soc/platform';

/**
 * Prometheus scrape endpoint of alerting: `soc_dead_letters{kind}` and `soc_dead_letter_oldest_age_seconds{kind}`,
 * read from Redis at each scrape (every replica reports the same shared counts), and the process's
 * own Node.js metrics (`soc_alerting_nodejs_*`, `soc_alerting_process_*`) as the other apps have them.
 */
@Controller('metrics')
@DeclareAccess({ auth: 'none' })
export class DeadLettersMetricsController {
  readonly registry = new Registry();

  constructor(operations: DeadLetterOperations) {
    collectDefaultMetrics({ register: this.registry, prefix: 'soc_alerting_' });
    let last: Promise<Awaited<ReturnType<DeadLetterOperations['stats']>>> | undefined;
    const stats = () => (last ??= operations.stats().finally(() => setTimeout(() => (last = undefined), 0)));
    new Gauge({
      name: 'soc_dead_letters',
      help: 'Dead letters kept, by kind (ingest, stream, index, webhook)',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        for (const s of await stats()) this.set({ kind: s.kind }, s.count);
      },
    });
    new Gauge({
      name: 'soc_dead_letter_oldest_age_seconds',
      help: 'Age of the oldest dead letter kept, by kind (0 when there is none)',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        const now = Date.now();
        for (const s of await stats()) this.set({ kind: s.kind }, s.oldest_at ? Math.max(0, (now - Date.parse(s.oldest_at)) / 1000) : 0);
      },
    });
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
