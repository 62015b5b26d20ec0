import { z } from 'zod';
import type { Alert } from '@soc/contracts';

/** `GET /campaigns`: which campaigns (open ones are `new`, `acknowledged` or `in_progress`), and how many. */
export const campaignListQuerySchema = z.strictObject({
  state: z.enum(['open', 'closed', 'all']).default('all'),
  size: z.coerce.number().int().min(1).max(500).default(100),
});
export type CampaignListQuery = z.infer<typeof campaignListQuerySchema>;

/** One member's place in a campaign's spread: when it was first and last seen, and its linked alerts. */
export interface CampaignMemberSpread {
  member: string;
  /** The earliest first_seen of its linked alerts; null when none of its alerts is linked (yet). */
  first_seen: string | null;
  last_seen: string | null;
  alert_ids: string[];
  /** Whether one of its alerts is an early warning (it was warned before reaching a threshold of its own). */
  early_warning: boolean;
}

export interface CampaignDetail {
  campaign: Alert;
  /** The member alerts linked to it (`campaign.id`) and the early warnings on its address, oldest first. */
  alerts: Alert[];
  /** Every member of the campaign in the order it was reached (members without a linked alert last). */
  spread: CampaignMemberSpread[];
  /** The shared indicator the campaign promoted (an actor campaign on `source.ip`), else null. */
  early_warning_indicator: string | null;
}

/** Prefix of the indicators a campaign promotes (docs/CORRELATION.md "Early warning"). */
const promotedPrefix = 'campaign:';

/** The indicator id an actor campaign promotes (`campaign:source.ip=<ip>`), or null for other campaigns. */
export function promotedIndicatorOf(campaign: Pick<Alert, 'group_key' | 'observables'>): string | null {
  if (campaign.group_key.startsWith('source.ip=')) return `${promotedPrefix}${campaign.group_key}`;
  return null;
}

const byTime = (a: string | null, b: string | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : Date.parse(a) - Date.parse(b));

/**
 * The spread of a campaign: each of its members with the first and last time one of its linked
 * alerts saw the attacker, oldest first (the order the campaign reached them); members named by
 * the campaign without a linked alert come last, and members of linked alerts the campaign does
 * not (yet) name are added (an early warning joins before the campaign grows).
 */
export function spreadOf(campaign: Pick<Alert, 'campaign'>, alerts: readonly Alert[]): CampaignMemberSpread[] {
  const spread = new Map<string, CampaignMemberSpread>();
  for (const member of campaign.campaign?.members ?? []) {
    spread.set(member, { member, first_seen: null, last_seen: null, alert_ids: [], early_warning: false });
  }
  for (const alert of alerts) {
    const member = alert.organization.id;
    const entry = spread.get(member) ?? { member, first_seen: null, last_seen: null, alert_ids: [], early_warning: false };
    entry.alert_ids.push(alert.id);
    if (entry.first_seen === null || Date.parse(alert.first_seen) < Date.parse(entry.first_seen)) entry.first_seen = alert.first_seen;
    if (entry.last_seen === null || Date.parse(alert.last_seen) > Date.parse(entry.last_seen)) entry.last_seen = alert.last_seen;
    entry.early_warning ||= alert.kind === 'early_warning';
    spread.set(member, entry);
  }
  return [...spread.values()].sort((a, b) => byTime(a.first_seen, b.first_seen) || a.member.localeCompare(b.member));
}
