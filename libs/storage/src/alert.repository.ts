import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { detectionContributionId, type AccessScope, type Alert, type Detection } from '@soc/contracts';
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
   * detection (same contribution id) leaves the alert as it was, so replays never double-count.
   */
  async upsertFromDetection(detection: Detection, risk: RiskAssessment, now = new Date().toISOString()): Promise<void> {
    const alert: StoredAlert = {
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
      ...(detection.campaign ? { campaign: detection.campaign } : {}),
      contributions: [detectionContributionId(detection)],
      created_at: now,
      updated_at: now,
    };
    // Optimistic concurrency instead of a stored script: it needs no scripting module, and two
    // workers folding detections into one alert at once retry instead of overwriting each other.
    for (let attempt = 0; attempt < 10; attempt++) {
      const existing = await this.client.get<StoredAlert>({ index: this.names.alerts, id: alert.id }, { ignore: [404] });
      try {
        if (!existing.found || !existing._source) {
          await this.client.create({ index: this.names.alerts, id: alert.id, document: alert });
          return;
        }
        const merged = foldDetection(existing._source, detection, now);
        if (!merged) return;
        await this.client.index({
          index: this.names.alerts,
          id: alert.id,
          document: merged,
          if_seq_no: existing._seq_no,
          if_primary_term: existing._primary_term,
        });
        return;
      } catch (error) {
        if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 409) throw error;
      }
    }
    throw new Error(`alert ${alert.id}: too many concurrent updates`);
  }

  /** Real-time read by id; another member's alert is indistinguishable from a missing one. */
  async get(scope: AccessScope, id: string): Promise<Alert | undefined> {
    const result = await this.client.get<StoredAlert>({ index: this.names.alerts, id }, { ignore: [404] });
    const alert = result.found ? result._source : undefined;
    return alert && inScope(scope, alert.organization.id) ? withoutInternals(alert) : undefined;
  }

  async search(scope: AccessScope, query: AlertQuery = {}): Promise<{ total: number; alerts: Alert[] }> {
    const filters: QueryDslQueryContainer[] = [...scopeFilter(scope)];
    if (query.memberId) filters.push({ term: { 'organization.id': query.memberId } });
    if (query.status) filters.push({ term: { status: query.status } });
    if (query.severity) filters.push({ term: { severity: query.severity } });
    if (query.ruleId) filters.push({ term: { 'rule.id': query.ruleId } });
    if (query.from || query.to) filters.push({ range: { last_seen: { gte: query.from, lte: query.to } } });
    const result = await this.client.search<StoredAlert>({
      index: this.names.alerts,
      size: query.size ?? 50,
      track_total_hits: true,
      sort: [{ last_seen: 'desc' }, { id: 'asc' }],
      query: { bool: { filter: filters } },
    });
    const total = typeof result.hits.total === 'number' ? result.hits.total : (result.hits.total?.value ?? 0);
    return { total, alerts: result.hits.hits.map((hit) => withoutInternals(hit._source!)) };
  }
}

/** Contributions remembered per alert for deduplication; older ones are forgotten. */
const maxContributions = 1_000;

/** The alert as stored: with the ids of the detections already folded in. */
type StoredAlert = Alert & { risk_reasons: string[]; contributions: string[] };

function withoutInternals({ contributions: _contributions, ...alert }: StoredAlert): Alert {
  return alert;
}

/** The alert with the detection folded in, or undefined when it was folded in already. */
function foldDetection(alert: StoredAlert, detection: Detection, now: string): StoredAlert | undefined {
  const contribution = detectionContributionId(detection);
  if (alert.contributions.includes(contribution)) return undefined;
  return {
    ...alert,
    count: alert.count + detection.event_count,
    event_ids: [...alert.event_ids, ...detection.event_ids].slice(-100),
    first_seen: detection.first_seen < alert.first_seen ? detection.first_seen : alert.first_seen,
    last_seen: detection.last_seen > alert.last_seen ? detection.last_seen : alert.last_seen,
    contributions: [...alert.contributions, contribution].slice(-maxContributions),
    updated_at: now,
  };
}

export function inScope(scope: AccessScope, memberId: string): boolean {
  return scope.kind === 'all-members' || scope.memberId === memberId;
}

/** The member filter, applied here and nowhere else. */
export function scopeFilter(scope: AccessScope): QueryDslQueryContainer[] {
  return scope.kind === 'member' ? [{ term: { 'organization.id': scope.memberId } }] : [];
}
