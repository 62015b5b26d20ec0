import { Logger } from '@nestjs/common';
import type { CorrelationResult } from '@soc/correlation';
import type { SocEvent } from '@soc/contracts';
import type { BatchCorrelator } from './batch-correlator';
import { EventBatchHandler } from './event-batch.handler';
import { CorrelatorMetrics } from './metrics/correlator-metrics';

function event(id: string, member: string): SocEvent {
  return { '@timestamp': '2026-11-28T09:00:00Z', event: { id, ingested: '2026-11-28T09:00:01Z' }, organization: { id: member } } as SocEvent;
}

const result: CorrelationResult & { lateByMember: Map<string, number> } = {
  detections: [],
  late: 2,
  lateEvents: [
    { ruleId: 'r', eventId: 'e1', timestamp: '2026-11-28T09:00:00Z' },
    { ruleId: 'r', eventId: 'e3', timestamp: '2026-11-28T09:00:00Z' },
  ],
  lateEventIds: new Set(['e1', 'e3']),
  lateByMember: new Map([['0751', 1], ['0101', 1]]),
  indicatorHits: 0,
  suppressedIndicatorHits: 0,
  sightings: [],
  promotions: [],
  commit: { windows: [], campaigns: [] },
  stats: { events: 3, matchedEvents: 2, invalidTimestamps: 0, suppressed: 0, windowAdditions: 0, evicted: 0 },
};

describe(EventBatchHandler.name, () => {
  it('counts late events per member and reports them in the batch log line', async () => {
    const metrics = new CorrelatorMetrics();
    const correlator = { correlate: async () => result } as unknown as BatchCorrelator;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await new EventBatchHandler(correlator, metrics).handle({ batch_id: 'b1', events: [event('e1', '0751'), event('e2', '0751'), event('e3', '0101')] });
    const text = await metrics.registry.metrics();
    expect(text).toContain('soc_correlator_late_events_total{member="0751"} 1');
    expect(text).toContain('soc_correlator_late_events_total{member="0101"} 1');
    expect(text).toContain('soc_correlator_events_total{member="0751"} 2');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^batch b1: events=3 detections=0 late=2 window_additions=0 .* late_by_member=0751:1,0101:1$/));
    warn.mockRestore();
  });
});
