import type { Alert } from '../api';

/** The id of the campaign an alert belongs to: a campaign alert is its own campaign, a member alert names it in `campaign.id`. */
export function campaignIdOf(alert: Pick<Alert, 'id' | 'kind' | 'campaign'>): string | undefined {
  return alert.kind === 'campaign' ? alert.id : alert.campaign?.id;
}

/**
 * Of a campaign's alerts (`GET /campaigns/{id}`: the member alerts linked to it and the early
 * warnings on its address), those to link from the alert being shown: every one but the shown
 * alert itself and the campaign alert, each once, by member and then id.
 */
export function otherCampaignAlerts<A extends Pick<Alert, 'id' | 'kind' | 'organization'>>(alerts: readonly A[], shownId: string): A[] {
  const byId = new Map<string, A>();
  for (const alert of alerts) if (alert.kind !== 'campaign' && alert.id !== shownId) byId.set(alert.id, alert);
  return [...byId.values()].sort((a, b) => a.organization.id.localeCompare(b.organization.id) || a.id.localeCompare(b.id));
}
