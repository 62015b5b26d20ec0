import { Counter, Gauge, type Registry } from 'prom-client';
import type { TaxiiPullOutcome } from '@soc/indicator-store';

/**
 * Prometheus metrics of the TAXII feeds, on the correlator's registry (`/metrics`). The `feed`
 * label is a feed id of the feeds file: bounded by configuration. Counted by the replica that
 * pulled; sum over replicas.
 */
export class TaxiiFeedMetrics {
  private readonly pulls: Counter<'feed' | 'outcome'>;
  private readonly objects: Counter<'feed'>;
  private readonly indicators: Counter<'feed' | 'outcome'>;
  private readonly lastSuccess: Gauge<'feed'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.pulls = new Counter({
      name: 'soc_correlator_taxii_pulls_total',
      help: 'TAXII feed pulls this replica ran, by feed and outcome (succeeded, failed)',
      labelNames: ['feed', 'outcome'],
      registers,
    });
    this.objects = new Counter({
      name: 'soc_correlator_taxii_objects_total',
      help: 'STIX objects read from TAXII envelopes, by feed',
      labelNames: ['feed'],
      registers,
    });
    this.indicators = new Counter({
      name: 'soc_correlator_taxii_indicators_total',
      help: 'Indicators from TAXII feeds: accepted, refused_reserved_address, refused_invalid',
      labelNames: ['feed', 'outcome'],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'soc_correlator_taxii_last_success_timestamp_seconds',
      help: 'When this replica last pulled the feed successfully (Unix time)',
      labelNames: ['feed'],
      registers,
    });
  }

  record(feed: string, outcome: TaxiiPullOutcome): void {
    if (outcome.kind !== 'succeeded' && outcome.kind !== 'failed') return;
    const { report } = outcome;
    this.pulls.inc({ feed, outcome: outcome.kind });
    this.objects.inc({ feed }, report.objects_read);
    this.indicators.inc({ feed, outcome: 'accepted' }, report.indicators_accepted);
    this.indicators.inc({ feed, outcome: 'refused_reserved_address' }, report.refused.reserved_address);
    this.indicators.inc({ feed, outcome: 'refused_invalid' }, report.refused.invalid);
    if (outcome.kind === 'succeeded') this.lastSuccess.set({ feed }, Date.parse(report.finished_at) / 1000);
  }

  /** A pull that could not even record its outcome (Redis away, lock lost). */
  recordError(feed: string): void {
    this.pulls.inc({ feed, outcome: 'failed' });
  }
}
