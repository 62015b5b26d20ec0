import { Controller, Get, Header } from '@nestjs/common';
import { DeclareAccess } from '@soc/platform';
import { CorrelatorMetrics } from '../metrics/correlator-metrics';

/** Prometheus scrape endpoint of this replica (no auth, like health: bind it to an internal interface). */
@Controller('metrics')
@DeclareAccess({ auth: 'none' })
export class MetricsController {
  constructor(private readonly metrics: CorrelatorMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
