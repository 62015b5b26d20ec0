import { Controller, Get, Header } from '@nestjs/common';
import { IngestionMetrics } from './ingestion-metrics';

/** Prometheus scrape endpoint of this replica: counters by member and transport, no secrets. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: IngestionMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
