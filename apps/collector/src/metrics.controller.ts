import { Controller, Get, Header } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { ForwarderKeyRepository } from '@soc/auth';
import { DeclareAccess } from '@soc/platform';
import { IngestionMetrics } from './ingestion-metrics';

/** Prometheus scrape endpoint of this replica: counters by member and transport, no secrets. */
@Controller('metrics')
@DeclareAccess({ auth: 'none' })
export class MetricsController {
  constructor(
    private readonly metrics: IngestionMetrics,
    keys: ForwarderKeyRepository,
  ) {
    // Read at each scrape: shows that key look-ups (unknown keys included) stay within FORWARDER_KEY_CACHE_MAX_ENTRIES.
    new Gauge({
      name: 'soc_forwarder_key_cache_entries',
      help: 'Forwarder-key look-ups this replica holds in its cache (known and unknown keys)',
      registers: [metrics.registry],
      collect() {
        this.set(keys.cachedEntries);
      },
    });
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
