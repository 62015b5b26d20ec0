import type { MapCell, MapLegendEntry } from '../map/DenmarkMap';
import { statusFills } from '../map/colour-scales';
import { municipalityName, normalizeCode } from '../map/denmark-geometry';
import type { CampaignDetail, CampaignSpread, CampaignSummary } from './campaigns-api';

/** Fills of the campaign map: reached by the campaign, warned early, not reached. */
export const campaignFills = {
  // Red and blue: told apart with every common colour-vision deficiency; both 3:1 against white.
  affected: statusFills.highlight,
  earlyWarning: '#1f4e9c',
  untouched: statusFills.neutral,
} as const;

const openStatuses: ReadonlySet<string> = new Set(['new', 'acknowledged', 'in_progress']);
export const isOpen = (campaign: Pick<CampaignSummary, 'status'>): boolean => openStatuses.has(campaign.status);

/** The members a campaign names (SOC view), in the API's order. */
export const membersOf = (campaign: Pick<CampaignSummary, 'campaign'>): string[] => campaign.campaign?.members ?? [];

/** A member as people read it: the municipality's name with its code (`Aarhus (0751)`), else the member id. */
export function memberLabel(member: string): string {
  const name = municipalityName(member);
  return name ? `${name} (${normalizeCode(member)})` : member;
}

export interface CampaignMapTexts {
  /** e.g. "Ramt {time}": `{time}` is replaced by the member's first time. */
  affected(time: string | null): string;
  earlyWarning(time: string | null): string;
}

/**
 * The map cells of a campaign: each member that is a municipality, coloured as reached or warned
 * early, labelled with when, and linked to its first alert (or the campaign when none is linked).
 * Members that are no municipality (regions, other bodies) are not on the map; the timeline lists them.
 */
export function campaignCells(
  spread: readonly CampaignSpread[],
  texts: CampaignMapTexts,
  formatTime: (iso: string) => string,
  campaignHref: string,
): Record<string, MapCell> {
  const cells: Record<string, MapCell> = {};
  for (const entry of spread) {
    const code = normalizeCode(entry.member);
    if (!code || municipalityName(code) === undefined || entry.member !== code) continue;
    const time = entry.first_seen === null ? null : formatTime(entry.first_seen);
    const first = entry.alert_ids[0];
    cells[code] = {
      fill: entry.early_warning ? campaignFills.earlyWarning : campaignFills.affected,
      label: entry.early_warning ? texts.earlyWarning(time) : texts.affected(time),
      href: first ? `#/alerts/${encodeURIComponent(first)}` : campaignHref,
      state: entry.early_warning ? 'early-warning' : 'affected',
    };
  }
  return cells;
}

export function campaignLegend(labels: { affected: string; earlyWarning: string; untouched: string }): MapLegendEntry[] {
  return [
    { fill: campaignFills.affected, label: labels.affected },
    { fill: campaignFills.earlyWarning, label: labels.earlyWarning },
    { fill: campaignFills.untouched, label: labels.untouched },
  ];
}

/** The early warnings a campaign produced: its member alerts of kind `early_warning`, oldest first. */
export const earlyWarningsOf = (detail: Pick<CampaignDetail, 'alerts'>) => detail.alerts.filter((alert) => alert.kind === 'early_warning');

/** A campaign's member alerts by id, for the timeline's links. */
export const alertsById = (detail: Pick<CampaignDetail, 'alerts'>) => new Map(detail.alerts.map((alert) => [alert.id, alert]));
