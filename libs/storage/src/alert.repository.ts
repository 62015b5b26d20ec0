import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import type { AccessScope, Alert, Detection } from '@soc/contracts';
import type { RiskAssessment } from '@soc/scoring';
import { IndexNames } from './index-names';

export interface AlertQuery {
  memberId?: string;
  status?: string;
  severity?: string;
  ruleId?: string;
  from?: string;
  to?: string;
  size?: number;
}

/** Alerts in Elasticsearch, keyed by fingerprint; every read and write is scoped to a member. */
export class AlertRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  /**
   * Creates the alert of a detection, or folds the detection into it. Idempotent: a redelivered
   * detection (same fingerprint) leaves the alert as it was, so replays never double-count.
   */
  async upsertFromDetection(detection: Detection, risk: RiskAssessment, now = new Date().toISOString()): Promise<void> {
    const alert: Alert & { risk_reasons: string[] } = {
      id: detection.fingerprint,
      kind: detection.kind,
      rule: detection.rule,
      organization: detection.organization,
      group_key: detection.group_key,
      status: 'new',
      severity: risk.severity,
      risk_score: risk.risk_score,
      risk_reasons: risk.reasons,
      count: detection.event_count,
      first_seen: detection.first_seen,
      last_seen: detection.last_seen,
      event_ids: detection.event_ids,
      observables: detection.observables,
      created_at: now,
      updated_at: now,
    };
    await this.client.update({
      index: this.names.alerts,
      id: detection.fingerprint,
      retry_on_conflict: 5,
      upsert: alert,
      script: {
        lang: 'painless',
        source: `
          boolean changed = false;
          if (params.count > ctx._source.count) { ctx._source.count = params.count; ctx._source.event_ids = params.event_ids; changed = true; }
          if (params.last_seen.compareTo(ctx._source.last_seen) > 0) { ctx._source.last_seen = params.last_seen; changed = true; }
          if (changed) { ctx._source.updated_at = params.now; } else { ctx.op = 'noop'; }
        `,
        params: { count: detection.event_count, last_seen: detection.last_seen, event_ids: detection.event_ids, now },
      },
    });
  }

  async get(scope: AccessScope, id: string): Promise<Alert | undefined> {
    const result = await this.client.search<Alert>({
      index: this.names.alerts,
      size: 1,
      query: { bool: { filter: [{ ids: { values: [id] } }, ...scopeFilter(scope)] } },
    });
    return result.hits.hits[0]?._source;
  }

  async search(scope: AccessScope, query: AlertQuery = {}): Promise<{ total: number; alerts: Alert[] }> {
    const filters: QueryDslQueryContainer[] = [...scopeFilter(scope)];
    if (query.memberId) filters.push({ term: { 'organization.id': query.memberId } });
    if (query.status) filters.push({ term: { status: query.status } });
    if (query.severity) filters.push({ term: { severity: query.severity } });
    if (query.ruleId) filters.push({ term: { 'rule.id': query.ruleId } });
    if (query.from || query.to) filters.push({ range: { last_seen: { gte: query.from, lte: query.to } } });
    const result = await this.client.search<Alert>({
      index: this.names.alerts,
      size: query.size ?? 50,
      track_total_hits: true,
      sort: [{ last_seen: 'desc' }, { id: 'asc' }],
      query: { bool: { filter: filters } },
    });
    const total = typeof result.hits.total === 'number' ? result.hits.total : (result.hits.total?.value ?? 0);
    return { total, alerts: result.hits.hits.map((hit) => hit._source!) };
  }
}

/** The member filter, applied here and nowhere else. */
export function scopeFilter(scope: AccessScope): QueryDslQueryContainer[] {
  return scope.kind === 'member' ? [{ term: { 'organization.id': scope.memberId } }] : [];
}
