import type { Alert } from '../api';

/** alerting's `q` takes at most 200 characters (docs/API.md, `GET /alerts`). */
const maxQueryLength = 200;

/** The id of the campaign an alert belongs to: a campaign alert is its own campaign, a member alert names it in `campaign.id`. */
export function campaignIdOf(alert: Pick<Alert, 'id' | 'kind' | 'campaign'>): string | undefined {
  return alert.kind === 'campaign' ? alert.id : alert.campaign?.id;
}

/**
 * The values to search `GET /alerts?q=` for to find a campaign's member alerts: the campaign
 * alert's observable values and its group key, the same two ways alerting links member alerts to
 * a campaign (an equal group key or a shared observable value: libs/storage `linkCampaign`).
 */
export function campaignSearchValues(campaign: Pick<Alert, 'group_key' | 'observables'>): string[] {
  const values = [...campaign.observables.map((o) => o.value), campaign.group_key];
  return [...new Set(values)].filter((value) => value.length > 0 && value.length <= maxQueryLength);
}

/**
 * Of the alerts a search found, those linked to the campaign (their `campaign.id`), neither the
 * campaign alert itself nor the alert being shown, each once, by member and then id.
 */
export function campaignMemberAlerts<A extends Pick<Alert, 'id' | 'kind' | 'campaign' | 'organization'>>(
  found: readonly A[],
  campaignId: string,
  shownId: string,
): A[] {
  const byId = new Map<string, A>();
  for (const alert of found) {
    if (alert.kind === 'campaign' || alert.id === shownId || alert.campaign?.id !== campaignId) continue;
    byId.set(alert.id, alert);
  }
  return [...byId.values()].sort((a, b) => a.organization.id.localeCompare(b.organization.id) || a.id.localeCompare(b.id));
}
