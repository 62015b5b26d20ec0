import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Detection } from '@soc/contracts';

/** What the consumer group owes: read by the lag probe at scrape time. */
export interface ConsumerLag {
  /** Stream entries not yet delivered to the group (XINFO GROUPS `lag`); null when Redis cannot tell. */
  lag: number | null;
  /** Delivered, not yet acknowledged. */
  pending: number;
}

/** One batch's outcome, as the handler reports it. */
export interface BatchReport {
  seconds: number;
  eventsByMember: ReadonlyMap<string, number>;
  detections: readonly Detection[];
  lateByMember: ReadonlyMap<string, number>;
  indicatorHits: number;
  suppressedIndicatorHits: number;
}

/**
 * This replica's Prometheus metrics. Member labels are bounded by the member directory (about
 * 110 members); rates (events/s, detections/s) are `rate()` over the counters.
 */
export class CorrelatorMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<'member'>;
  private readonly detections: Counter<'member' | 'kind'>;
  private readonly late: Counter<'member'>;
  private readonly indicatorHits: Counter<'outcome'>;
  private readonly batchSeconds: Histogram;
  private readonly batches: Counter;
  readonly indicatorChanges: Counter;
  readonly indicators: Gauge;

  constructor(lagProbe?: () => Promise<ConsumerLag>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'soc_correlator_' });
    const registers = [this.registry];
    this.events = new Counter({ name: 'soc_correlator_events_total', help: 'Events evaluated, by member', labelNames: ['member'], registers });
    this.detections = new Counter({
      name: 'soc_correlator_detections_total',
      help: 'Detections enqueued, by member (shared-soc for campaigns) and kind',
      labelNames: ['member', 'kind'],
      registers,
    });
    this.late = new Counter({
      name: 'soc_correlator_late_events_total',
      help: 'Correlation matches too late for their window: counted, never silently dropped',
      labelNames: ['member'],
      registers,
    });
    this.indicatorHits = new Counter({
      name: 'soc_correlator_indicator_hits_total',
      help: 'Live indicator hits: detected, or suppressed by a warninglist',
      labelNames: ['outcome'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'soc_correlator_batch_duration_seconds',
      help: 'One stream entry from delivery to detections enqueued',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.batches = new Counter({ name: 'soc_correlator_batches_total', help: 'Stream entries processed', registers });
    this.indicatorChanges = new Counter({
      name: 'soc_correlator_indicator_changes_applied_total',
      help: 'Indicator upserts applied to this replica from the shared set',
      registers,
    });
    this.indicators = new Gauge({ name: 'soc_correlator_indicators', help: "Indicators in this replica's index", registers });
    if (lagProbe) {
      // Both gauges are collected concurrently in one scrape: one XINFO serves them.
      let last: ConsumerLag = { lag: null, pending: 0 };
      let reading: { at: number; result: Promise<ConsumerLag> } | undefined;
      const read = (): Promise<ConsumerLag> => {
        if (!reading || Date.now() - reading.at > 500) {
          reading = {
            at: Date.now(),
            result: lagProbe().then(
              (lag) => (last = lag),
              () => last,
            ),
          };
        }
        return reading.result;
      };
      new Gauge({
        name: 'soc_correlator_consumer_lag_entries',
        help: 'Stream entries not yet delivered to the correlator group (XINFO GROUPS lag)',
        registers,
        async collect() {
          const { lag } = await read();
          this.set(lag ?? Number.NaN);
        },
      });
      new Gauge({
        name: 'soc_correlator_consumer_pending_entries',
        help: 'Entries delivered to the correlator group and not yet acknowledged',
        registers,
        async collect() {
          this.set((await read()).pending);
        },
      });
    }
  }

  recordBatch(report: BatchReport): void {
    this.batches.inc();
    this.batchSeconds.observe(report.seconds);
    for (const [member, count] of report.eventsByMember) this.events.inc({ member }, count);
    for (const [member, count] of report.lateByMember) this.late.inc({ member }, count);
    for (const d of report.detections) this.detections.inc({ member: d.organization.id, kind: d.kind });
    if (report.indicatorHits > 0) this.indicatorHits.inc({ outcome: 'detected' }, report.indicatorHits);
    if (report.suppressedIndicatorHits > 0) this.indicatorHits.inc({ outcome: 'suppressed' }, report.suppressedIndicatorHits);
  }
}
