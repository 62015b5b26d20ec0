import { Registry } from 'prom-client';
import type { TaxiiPullReport } from '@soc/indicator-store';
import { TaxiiFeedMetrics } from './taxii-feed-metrics';

const report: TaxiiPullReport = {
  started_at: '2026-06-01T12:00:00.000Z',
  finished_at: '2026-06-01T12:00:02.000Z',
  pages: 2,
  objects_read: 77,
  indicators_accepted: 10,
  refused: { reserved_address: 1, invalid: 2 },
  refusals: [],
  truncated: false,
};

describe(TaxiiFeedMetrics.name, () => {
  it('counts pulls, objects and indicators by outcome, and the last success', async () => {
    const registry = new Registry();
    const metrics = new TaxiiFeedMetrics(registry);
    metrics.record('oasis', { kind: 'succeeded', report, nextPullAt: new Date() });
    metrics.record('oasis', {
      kind: 'failed',
      reason: 'HTTP 503',
      report: { ...report, objects_read: 0, indicators_accepted: 0, refused: { reserved_address: 0, invalid: 0 } },
      nextPullAt: new Date(),
    });
    metrics.record('oasis', { kind: 'locked' });
    metrics.recordError('other');
    const text = await registry.metrics();
    expect(text).toContain('soc_correlator_taxii_pulls_total{feed="oasis",outcome="succeeded"} 1');
    expect(text).toContain('soc_correlator_taxii_pulls_total{feed="oasis",outcome="failed"} 1');
    expect(text).toContain('soc_correlator_taxii_pulls_total{feed="other",outcome="failed"} 1');
    expect(text).toContain('soc_correlator_taxii_objects_total{feed="oasis"} 77');
    expect(text).toContain('soc_correlator_taxii_indicators_total{feed="oasis",outcome="accepted"} 10');
    expect(text).toContain('soc_correlator_taxii_indicators_total{feed="oasis",outcome="refused_reserved_address"} 1');
    expect(text).toContain('soc_correlator_taxii_indicators_total{feed="oasis",outcome="refused_invalid"} 2');
    expect(text).toContain(`soc_correlator_taxii_last_success_timestamp_seconds{feed="oasis"} ${Date.parse(report.finished_at) / 1000}`);
  });
});
