import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer, SortResults } from '@elastic/elasticsearch/lib/api/types';
import type { AccessScope, Alert, Detection } from '@soc/contracts';
import { isClosed, presentAlert, type AlertPlacement, type RiskAssessment, type StoredAlert } from '@soc/alerts';
import { upsertAlerts, type BatchPlacement, type DetectionToPlace } from './alert-upsert-batch';
import { IndexNames } from './index-names';

export interface AlertQuery {
  memberId?: string;
  status?: string;
  severity?: string;
  ruleId?: string;
  from?: string;
  to?: string;
  /** Free text over rule title, observable values and group key. */
  q?: string;
  size?: number;
  /** Opaque cursor from a previous page's `next_cursor`. */
  searchAfter?: string;
  /** 1-based page; an alternative to the cursor for small result sets. */
  page?: number;
}

export interface AlertPage {
  total: number;
  alerts: Alert[];
  next_cursor?: string;
}

/** A `search_after` the server did not hand out; the API answers 400 `invalid_cursor`. */
export class InvalidCursorError extends Error {}

/** Alerts in Elasticsearch, `_id` = `<alert key>-<generation>`; every read and write is scoped to a member. */
export class AlertRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    private readonly suppressionSeconds = 3600,
  ) {}

  /**
   * Creates the alert of a detection, or folds the detection into the latest alert of its key.
   * Idempotent: a redelivered detection (same contribution id) leaves the alert as it was.
   * Generations are walked with real-time reads, so no refresh is needed between two detections.
   * A batch of one (`upsertManyFromDetections`): a refused write or a conflict that does not
   * settle throws.
   */
  async upsertFromDetection(detection: Detection, risk: RiskAssessment, now = new Date().toISOString()): Promise<AlertPlacement> {
    const [placement] = await this.upsertManyFromDetections([{ detection, risk }], now);
    if (placement!.outcome === 'failed') throw placement!.error;
    // A batch of one defers nothing: only a later detection of the same key is deferred.
    if (placement!.outcome === 'deferred') throw new Error('a single detection was deferred');
    return placement!;
  }

  /**
   * Places many detections with one real-time `mget` and one `bulk` per round, each detection
   * getting what it would have got placed alone in the batch's order; optimistic concurrency
   * instead of a stored script (it needs no scripting module, and two writers of one alert retry
   * instead of overwriting each other). See `upsertAlerts` for the rounds, conflicts, per-key
   * failures and the `deferred` detections after one that raised its alert.
   */
  async upsertManyFromDetections(batch: readonly DetectionToPlace[], now = new Date().toISOString()): Promise<BatchPlacement[]> {
    return upsertAlerts(this.client, this.names.alerts, this.suppressionSeconds, batch, now);
  }

  /** Real-time read by id; another member's alert is indistinguishable from a missing one. */
  async get(scope: AccessScope, id: string): Promise<Alert | undefined> {
    const stored = await this.getStored(scope, id);
    return stored && presentAlert(stored, scope);
  }

  async getStored(scope: AccessScope, id: string): Promise<StoredAlert | undefined> {
    const result = await this.client.get<StoredAlert>({ index: this.names.alerts, id }, { ignore: [404] });
    const alert = result.found ? result._source : undefined;
    return alert && inScope(scope, alert.organization.id) ? alert : undefined;
  }

  /**
   * Changes one alert in scope with optimistic concurrency. `change` returns the new alert, or
   * throws to refuse (its error reaches the caller). Undefined when the alert is not in scope.
   */
  async update(scope: AccessScope, id: string, change: (alert: StoredAlert) => StoredAlert): Promise<{ before: StoredAlert; after: StoredAlert } | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await this.client.get<StoredAlert>({ index: this.names.alerts, id }, { ignore: [404] });
      const before = result.found ? result._source : undefined;
      if (!before || !inScope(scope, before.organization.id)) return undefined;
      const after = change(before);
      try {
        await this.client.index({
          index: this.names.alerts,
          id,
          document: after,
          if_seq_no: result._seq_no,
          if_primary_term: result._primary_term,
        });
        return { before, after };
      } catch (error) {
        if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 409) throw error;
      }
    }
    throw new Error(`alert ${id}: too many concurrent updates`);
  }

  async search(scope: AccessScope, query: AlertQuery = {}): Promise<AlertPage> {
    const filters: QueryDslQueryContainer[] = [...scopeFilter(scope)];
    if (query.memberId) filters.push({ term: { 'organization.id': query.memberId } });
    if (query.status) filters.push({ term: { status: query.status } });
    if (query.severity) filters.push({ term: { severity: query.severity } });
    if (query.ruleId) filters.push({ term: { 'rule.id': query.ruleId } });
    if (query.from || query.to) filters.push({ range: { last_seen: { gte: query.from, lte: query.to } } });
    const must: QueryDslQueryContainer[] = query.q
      ? [
          {
            bool: {
              should: [{ match: { 'rule.title': query.q } }, { term: { 'observables.value': query.q } }, { term: { group_key: query.q } }],
              minimum_should_match: 1,
            },
          },
        ]
      : [];
    const size = query.size ?? 50;
    const result = await this.client.search<StoredAlert>({
      index: this.names.alerts,
      size,
      track_total_hits: true,
      sort: [{ last_seen: 'desc' }, { id: 'asc' }],
      query: { bool: { filter: filters, must } },
      ...(query.searchAfter ? { search_after: decodeCursor(query.searchAfter) } : {}),
      ...(query.page ? { from: (query.page - 1) * size } : {}),
    });
    const hits = result.hits.hits;
    const total = typeof result.hits.total === 'number' ? result.hits.total : (result.hits.total?.value ?? 0);
    const last = hits[hits.length - 1];
    return {
      total,
      alerts: hits.map((hit) => presentAlert(hit._source!, scope)),
      ...(hits.length === size && last?.sort ? { next_cursor: encodeCursor(last.sort) } : {}),
    };
  }

  /**
   * Links a campaign alert to the open member alerts it spans (same group key or a shared
   * observable value): each gets the campaign's id and members, which only SOC roles are shown.
   */
  async linkCampaign(campaign: StoredAlert): Promise<string[]> {
    const members = campaign.campaign?.members ?? [];
    if (members.length === 0) return [];
    // Campaign alerts are rare; a refresh makes member alerts written a moment ago findable.
    await this.client.indices.refresh({ index: this.names.alerts });
    const values = campaign.observables.map((o) => o.value);
    const result = await this.client.search<StoredAlert>({
      index: this.names.alerts,
      size: 500,
      query: {
        bool: {
          filter: [{ terms: { 'organization.id': members } }],
          must_not: [{ term: { kind: 'campaign' } }],
          should: [{ term: { group_key: campaign.group_key } }, ...(values.length ? [{ terms: { 'observables.value': values } }] : [])],
          minimum_should_match: 1,
        },
      },
    });
    const linked: string[] = [];
    for (const hit of result.hits.hits) {
      if (isClosed(hit._source!.status)) continue;
      await this.update({ kind: 'all-members' }, hit._id!, (alert) => ({
        ...alert,
        campaign: { id: campaign.id, members },
        updated_at: new Date().toISOString(),
      }));
      linked.push(hit._id!);
    }
    return linked;
  }

  /**
   * The other direction: a member alert created after its campaign alert joins it. Together with
   * `linkCampaign` (which refreshes, making the campaign visible at once) whichever of the two
   * alerts is written second makes the link.
   */
  async joinOpenCampaign(alert: StoredAlert): Promise<string | undefined> {
    if (alert.kind === 'campaign') return undefined;
    const values = alert.observables.map((o) => o.value);
    const result = await this.client.search<StoredAlert>({
      index: this.names.alerts,
      size: 1,
      sort: [{ last_seen: 'desc' }],
      query: {
        bool: {
          filter: [
            { term: { kind: 'campaign' } },
            { term: { 'campaign.members': alert.organization.id } },
            { terms: { status: ['new', 'acknowledged', 'in_progress'] } },
          ],
          should: [{ term: { group_key: alert.group_key } }, ...(values.length ? [{ terms: { 'observables.value': values } }] : [])],
          minimum_should_match: 1,
        },
      },
    });
    const campaign = result.hits.hits[0]?._source;
    if (!campaign) return undefined;
    await this.update({ kind: 'all-members' }, alert.id, (a) => ({
      ...a,
      campaign: { id: campaign.id, members: campaign.campaign?.members ?? [] },
      updated_at: new Date().toISOString(),
    }));
    return campaign.id;
  }
}

function encodeCursor(sort: SortResults): string {
  return Buffer.from(JSON.stringify(sort)).toString('base64url');
}

/** Elasticsearch's `index.max_result_window` (default, not raised here): `from + size` may not pass it. */
export const maxResultWindow = 10_000;

/**
 * The sort values of the last hit (`last_seen` as epoch milliseconds, the alert id), as handed
 * out in `next_cursor`. Anything else is refused here, so Elasticsearch never sees a value of
 * the wrong type for a sort field (it would answer with its own parse error).
 */
function decodeCursor(cursor: string): SortResults {
  let sort: unknown;
  try {
    sort = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    // falls through to the error below
  }
  if (
    Array.isArray(sort) &&
    sort.length === 2 &&
    Number.isSafeInteger(sort[0]) &&
    typeof sort[1] === 'string' &&
    sort[1].length > 0 &&
    Buffer.byteLength(sort[1]) <= 512
  ) {
    return sort as SortResults;
  }
  throw new InvalidCursorError('search_after: not a cursor returned as next_cursor');
}

export function inScope(scope: AccessScope, memberId: string): boolean {
  return scope.kind === 'all-members' || scope.memberId === memberId;
}

/** The member filter, applied here and nowhere else. */
export function scopeFilter(scope: AccessScope): QueryDslQueryContainer[] {
  return scope.kind === 'member' ? [{ term: { 'organization.id': scope.memberId } }] : [];
}
