import type { AccessScope, Alert } from '@soc/contracts';
import type { StoredAlert } from './alert-lifecycle';

/**
 * What a caller sees of a stored alert. Internals (contributions, the alert key) are
 * dropped; a member never sees which other members a campaign touched, only how many.
 */
export function presentAlert(stored: StoredAlert, scope: AccessScope): Alert {
  const { contributions: _c, alert_key: _k, campaign, ...alert } = stored;
  if (!campaign) return alert;
  const others = Math.max(0, (campaign.members?.length ?? 1) - 1);
  if (scope.kind === 'member') {
    return { ...alert, campaign: { ...(campaign.id ? { id: campaign.id } : {}), other_members_affected: others } };
  }
  return { ...alert, campaign: { ...campaign, other_members_affected: others } };
}
