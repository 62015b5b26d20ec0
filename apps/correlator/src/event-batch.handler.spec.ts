import type { CorrelationResult } from '@soc/correlation';
import type { SocEvent } from '@soc/contracts';
import { captureLogs } from '../../../libs/platform/src/testing/captured-logs';
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
  lateByMember: new Map([
    ['0751', 1],
    ['0101', 1],
  ]),
  indicatorHits: 0,
  suppressedIndicatorHits: 0,
  sightings: [],
  promotions: [],
  commit: { windows: [], campaigns: [] },
  stats: { events: 3, matchedEvents: 2, invalidTimestamps: 0, suppressed: 0, windowAdditions: 0, evicted: 0 },
};

describe(EventBatchHandler.name, () => {
  let captured: ReturnType<typeof captureLogs>;
  beforeEach(() => (captured = captureLogs()));
  afterEach(() => captured.restore());

  const events = [event('e1', '0751'), event('e2', '0751'), event('e3', '0101')];

  it('counts late events per member and reports them as fields of a warning batch line', async () => {
    const metrics = new CorrelatorMetrics();
    const correlator = { correlate: async () => result } as unknown as BatchCorrelator;
    await new EventBatchHandler(correlator, metrics).handle({ batch_id: 'b1', correlation_id: 'c1', events });
    const text = await metrics.registry.metrics();
    expect(text).toContain('soc_correlator_late_events_total{member="0751"} 1');
    expect(text).toContain('soc_correlator_late_events_total{member="0101"} 1');
    expect(text).toContain('soc_correlator_events_total{member="0751"} 2');
    expect(captured.lines).toHaveLength(1);
    const [line] = captured.lines;
    expect(line).toMatchObject({
      level: 40,
      context: EventBatchHandler.name,
      msg: 'batch correlated',
      batch_id: 'b1',
      correlation_id: 'c1',
      events: 3,
      events_by_member: { '0751': 2, '0101': 1 },
      detections: 0,
      late: 2,
      late_by_member: { '0751': 1, '0101': 1 },
      window_additions: 0,
      indicator_hits: 0,
      suppressed_hits: 0,
      promotions: 0,
    });
    expect(line.ms).toEqual(expect.any(Number));
  });

  it('logs a batch without late events at info and hands its correlation id to the correlator', async () => {
    const seen: Array<string | undefined> = [];
    const onTime = { ...result, late: 0, lateEvents: [], lateEventIds: new Set<string>(), lateByMember: new Map<string, number>() };
    const correlator = {
      correlate: async (_: unknown, correlationId?: string) => {
        seen.push(correlationId);
        return onTime;
      },
    } as unknown as BatchCorrelator;
    await new EventBatchHandler(correlator, new CorrelatorMetrics()).handle({ batch_id: 'b2', correlation_id: 'c2', events });
    expect(seen).toEqual(['c2']);
    expect(captured.lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'batch correlated', batch_id: 'b2', correlation_id: 'c2', late: 0, late_by_member: {} }),
    ]);
  });
});
