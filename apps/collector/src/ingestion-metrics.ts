import { Injectable } from '@nestjs/common';
import type { SocEvent } from '@soc/contracts';

export type Transport = 'http' | 'syslog_tcp' | 'syslog_udp' | 'syslog_tls';
export type RefusalReason = 'unavailable' | 'backlog' | 'rate_limited' | 'invalid' | 'unauthenticated' | 'udp_dropped';

export interface MemberIngestionHealth {
  member_id: string;
  last_event_at: string | null;
  accepted: number;
  parse_errors: number;
  refused: Partial<Record<RefusalReason, number>>;
}

/**
 * Counts what each member sent and what became of it. Every transport reports here, so the
 * health API and `/metrics` see all of it.
 */
@Injectable()
export class IngestionMetrics {
  private readonly members = new Map<string, MemberIngestionHealth>();

  private of(memberId: string): MemberIngestionHealth {
    let health = this.members.get(memberId);
    if (!health) {
      health = { member_id: memberId, last_event_at: null, accepted: 0, parse_errors: 0, refused: {} };
      this.members.set(memberId, health);
    }
    return health;
  }

  accepted(memberId: string, _transport: Transport, events: SocEvent[]): void {
    const health = this.of(memberId);
    health.accepted += events.length;
    health.last_event_at = new Date().toISOString();
  }

  parseErrors(memberId: string, _transport: Transport, count: number): void {
    this.of(memberId).parse_errors += count;
  }

  refused(memberId: string | undefined, _transport: Transport, reason: RefusalReason, count: number): void {
    const health = this.of(memberId ?? 'unknown');
    health.refused[reason] = (health.refused[reason] ?? 0) + count;
  }

  health(memberId: string): MemberIngestionHealth {
    return { ...this.of(memberId) };
  }
}
