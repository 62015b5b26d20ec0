import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { presentAlert, type StoredAlert } from '@soc/alerts';
import { allMembers, type Alert } from '@soc/contracts';
import type { ElasticsearchClient, IndexNames } from '@soc/storage';
import { promotedIndicatorOf, spreadOf, type CampaignDetail, type CampaignListQuery } from './campaign-view';

const openStatuses = ['new', 'acknowledged', 'in_progress'];
/** A campaign links at most this many member alerts in one answer (a campaign spans at most the members). */
const maxLinkedAlerts = 1000;

/**
 * Campaign alerts (`kind: campaign`, owned by `shared-soc`) and the member alerts linked to them,
 * read for SOC roles only: the controller refuses every other role, and nothing here is scoped
 * to a member (`allMembers`).
 */
export class CampaignsReader {
  constructor(
    private readonly client: ElasticsearchClient,
    private readonly names: IndexNames,
  ) {}

  /** Open campaigns first, then closed ones; newest (latest first_seen) first within each. */
  async list(query: CampaignListQuery): Promise<{ total: number; open: number; campaigns: Alert[] }> {
    const open = query.state === 'closed' ? undefined : await this.campaigns({ terms: { status: openStatuses } }, query.size);
    const room = query.size - (open?.alerts.length ?? 0);
    const closed = query.state === 'open' ? undefined : await this.campaigns({ bool: { must_not: [{ terms: { status: openStatuses } }] } }, Math.max(room, 0));
    return {
      total: (open?.total ?? 0) + (closed?.total ?? 0),
      open: open?.total ?? 0,
      campaigns: [...(open?.alerts ?? []), ...(closed?.alerts ?? [])],
    };
  }

  /** The campaign with its linked member alerts and its spread; undefined when `id` is no campaign alert. */
  async get(id: string): Promise<CampaignDetail | undefined> {
    const found = await this.client.get<StoredAlert>({ index: this.names.alerts, id }, { ignore: [404] });
    const stored = found.found ? found._source : undefined;
    if (!stored || stored.kind !== 'campaign') return undefined;
    const campaign = presentAlert(stored, allMembers);
    const values = campaign.observables.map((o) => o.value);
    const linked: QueryDslQueryContainer[] = [{ term: { 'campaign.id': id } }];
    // An early warning on the campaign's promoted address belongs to it even before it is linked.
    if (values.length) linked.push({ bool: { filter: [{ term: { kind: 'early_warning' } }, { terms: { 'observables.value': values } }] } });
    const result = await this.client.search<StoredAlert>({
      index: this.names.alerts,
      size: maxLinkedAlerts,
      sort: [{ first_seen: 'asc' }, { id: 'asc' }],
      query: { bool: { must_not: [{ term: { kind: 'campaign' } }], should: linked, minimum_should_match: 1 } },
    });
    const alerts = result.hits.hits.map((hit) => presentAlert(hit._source!, allMembers));
    return { campaign, alerts, spread: spreadOf(campaign, alerts), early_warning_indicator: promotedIndicatorOf(campaign) };
  }

  private async campaigns(filter: QueryDslQueryContainer, size: number): Promise<{ total: number; alerts: Alert[] }> {
    const result = await this.client.search<StoredAlert>({
      index: this.names.alerts,
      size,
      track_total_hits: true,
      sort: [{ first_seen: 'desc' }, { id: 'asc' }],
      query: { bool: { filter: [{ term: { kind: 'campaign' } }, filter] } },
    });
    const total = typeof result.hits.total === 'number' ? result.hits.total : (result.hits.total?.value ?? 0);
    return { total, alerts: result.hits.hits.map((hit) => presentAlert(hit._source!, allMembers)) };
  }
}
