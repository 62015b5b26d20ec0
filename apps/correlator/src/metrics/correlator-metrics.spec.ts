import { CorrelatorMetrics } from './correlator-metrics';

describe(CorrelatorMetrics.name, () => {
  it('counts events, late events and detections per member, and reads the consumer lag at scrape time', async () => {
    const metrics = new CorrelatorMetrics(async () => ({ lag: 42, pending: 3 }));
    metrics.recordBatch({
      seconds: 0.02,
      eventsByMember: new Map([['0751', 10]]),
      lateByMember: new Map([['0751', 2]]),
      detections: [{ organization: { id: 'shared-soc' }, kind: 'campaign' } as never],
      indicatorHits: 1,
      suppressedIndicatorHits: 0,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('soc_correlator_events_total{member="0751"} 10');
    expect(text).toContain('soc_correlator_late_events_total{member="0751"} 2');
    expect(text).toContain('soc_correlator_detections_total{member="shared-soc",kind="campaign"} 1');
    expect(text).toContain('soc_correlator_consumer_lag_entries 42');
    expect(text).toContain('soc_correlator_consumer_pending_entries 3');
    expect(text).toContain('soc_correlator_batch_duration_seconds_count 1');
  });
});
