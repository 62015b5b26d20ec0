import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { SocEvent } from '@soc/contracts';
import { IngestionHealthRepository, type IngestionDelta, type MemberIngestionHealth, type RefusalReason } from '@soc/ingestion-health';

export type Transport = 'http' | 'syslog_tcp' | 'syslog_udp' | 'syslog_tls' | 'syslog_relp' | 'syslog_relp_tls';
export type { MemberIngestionHealth, RefusalReason };

const FLUSH_INTERVAL_MS = 1_000;

/**
 * Counts what each member sent and what became of it. Every transport reports here. Counts go
 * to Prometheus (this replica's `/metrics`) and, flushed every second, to Redis, where the
 * health API reads them summed over every replica. Recording is synchronous and in memory:
 * the ingest hot path never waits for the metrics.
 */
@Injectable()
export class IngestionMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly acceptedEvents = new Counter({
    name: 'soc_ingest_events_accepted_total',
    help: 'Events accepted into the events stream',
    labelNames: ['member', 'transport'],
    registers: [this.registry],
  });
  private readonly parseErrorCount = new Counter({
    name: 'soc_ingest_parse_errors_total',
    help: 'Input records that could not be parsed (kept in the ingest dead-letter stream)',
    labelNames: ['member', 'transport'],
    registers: [this.registry],
  });
  private readonly unparsedEvents = new Counter({
    name: 'soc_ingest_events_unparsed_total',
    help: 'Accepted events whose raw line no parser recognised (kept, tagged unparsed)',
    labelNames: ['member', 'transport'],
    registers: [this.registry],
  });
  private readonly refusedEvents = new Counter({
    name: 'soc_ingest_events_refused_total',
    help: 'Events (or requests, for invalid and unauthenticated) refused, by reason',
    labelNames: ['member', 'transport', 'reason'],
    registers: [this.registry],
  });
  private pending = new Map<string, IngestionDelta>();
  private readonly timer: NodeJS.Timeout;
  private readonly logger = new Logger(IngestionMetrics.name);

  constructor(private readonly store: IngestionHealthRepository) {
    collectDefaultMetrics({ register: this.registry, prefix: 'soc_collector_' });
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  accepted(memberId: string, transport: Transport, events: SocEvent[] | number): void {
    const count = typeof events === 'number' ? events : events.length;
    const now = Date.now();
    const delta = this.delta(memberId);
    delta.accepted += count;
    const minute = Math.floor(now / 60_000);
    delta.acceptedByMinute.set(minute, (delta.acceptedByMinute.get(minute) ?? 0) + count);
    delta.lastEventMs = now;
    this.acceptedEvents.inc({ member: memberId, transport }, count);
  }

  parseErrors(memberId: string, transport: Transport, count: number): void {
    this.delta(memberId).parseErrors += count;
    this.parseErrorCount.inc({ member: memberId, transport }, count);
  }

  /** Accepted events kept as their raw line because no parser recognised it (tag `unparsed`). */
  unparsed(memberId: string, transport: Transport, count: number): void {
    this.delta(memberId).unparsed += count;
    this.unparsedEvents.inc({ member: memberId, transport }, count);
  }

  refused(memberId: string | undefined, transport: Transport, reason: RefusalReason, count: number): void {
    const member = memberId ?? 'unknown';
    const refused = this.delta(member).refused;
    refused[reason] = (refused[reason] ?? 0) + count;
    this.refusedEvents.inc({ member, transport, reason }, count);
  }

  /** Health of one member, or of all members that sent something, across every replica. */
  async health(memberId?: string): Promise<MemberIngestionHealth[]> {
    return this.store.read(memberId === undefined ? undefined : [memberId]);
  }

  /** Sends the counts since the last flush to Redis; kept for the next flush if Redis is away. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const deltas = this.pending;
    this.pending = new Map();
    try {
      await this.store.add(deltas);
    } catch (error) {
      this.merge(deltas);
      this.logger.warn(`ingestion counters not flushed, will retry: ${(error as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private delta(memberId: string): IngestionDelta {
    let delta = this.pending.get(memberId);
    if (!delta) {
      delta = { accepted: 0, parseErrors: 0, unparsed: 0, refused: {}, acceptedByMinute: new Map(), lastEventMs: 0 };
      this.pending.set(memberId, delta);
    }
    return delta;
  }

  private merge(deltas: Map<string, IngestionDelta>): void {
    for (const [memberId, old] of deltas) {
      const delta = this.delta(memberId);
      delta.accepted += old.accepted;
      delta.parseErrors += old.parseErrors;
      delta.unparsed += old.unparsed;
      for (const [reason, count] of Object.entries(old.refused) as Array<[RefusalReason, number]>) {
        delta.refused[reason] = (delta.refused[reason] ?? 0) + count;
      }
      for (const [minute, count] of old.acceptedByMinute) {
        delta.acceptedByMinute.set(minute, (delta.acceptedByMinute.get(minute) ?? 0) + count);
      }
      delta.lastEventMs = Math.max(delta.lastEventMs, old.lastEventMs);
    }
  }
}
