import { contrastRatio } from '../map/colour-scales';
import { campaignCells, campaignFills, campaignLegend, earlyWarningsOf, isOpen, memberLabel, membersOf } from './campaign-view';
import type { CampaignDetail, CampaignSpread } from './campaigns-api';

const texts = { affected: (time: string | null) => `reached ${time}`, earlyWarning: (time: string | null) => `warned ${time}` };
const spread: CampaignSpread[] = [
  { member: '0101', first_seen: '2026-12-01T09:00:00Z', last_seen: '2026-12-01T09:05:00Z', alert_ids: ['a-101', 'b-101'], early_warning: false },
  { member: '0851', first_seen: '2026-12-01T09:30:00Z', last_seen: '2026-12-01T09:30:00Z', alert_ids: ['w-851'], early_warning: true },
  { member: '1084', first_seen: '2026-12-01T09:10:00Z', last_seen: '2026-12-01T09:10:00Z', alert_ids: ['r-1084'], early_warning: false },
  { member: '0461', first_seen: null, last_seen: null, alert_ids: [], early_warning: false },
];

describe('campaignCells', () => {
  const cells = campaignCells(spread, texts, (iso) => iso.slice(11, 16), '#/alerts/campaign-1');

  it('marks each municipality the campaign reached, labelled with when, linked to its first alert', () => {
    expect(cells['0101']).toEqual({ fill: campaignFills.affected, label: 'reached 09:00', href: '#/alerts/a-101', state: 'affected' });
  });

  it('marks an early-warned municipality apart, in colour and in words', () => {
    expect(cells['0851']).toEqual({ fill: campaignFills.earlyWarning, label: 'warned 09:30', href: '#/alerts/w-851', state: 'early-warning' });
  });

  it('links a member without a linked alert to the campaign, and leaves regions off the map', () => {
    expect(cells['0461']).toEqual({ fill: campaignFills.affected, label: 'reached null', href: '#/alerts/campaign-1', state: 'affected' });
    expect(cells['1084']).toBeUndefined();
    expect(Object.keys(cells).sort()).toEqual(['0101', '0461', '0851']);
  });
});

describe('campaign view helpers', () => {
  it('names municipalities with their code and other members by id', () => {
    expect(memberLabel('0751')).toBe('Aarhus (0751)');
    expect(memberLabel('1084')).toBe('1084');
    expect(memberLabel('shared-soc')).toBe('shared-soc');
  });

  it('tells open from closed and reads the members', () => {
    expect(isOpen({ status: 'in_progress' })).toBe(true);
    expect(isOpen({ status: 'false_positive' })).toBe(false);
    expect(membersOf({ campaign: { members: ['0101', '0461'] } })).toEqual(['0101', '0461']);
    expect(membersOf({})).toEqual([]);
  });

  it('picks the early-warning alerts', () => {
    const alerts = [
      { id: 'x', kind: 'rule' },
      { id: 'y', kind: 'early_warning' },
    ] as unknown as CampaignDetail['alerts'];
    expect(earlyWarningsOf({ alerts }).map((a) => a.id)).toEqual(['y']);
  });

  it('keeps the marked fills 3:1 against white, apart from each other, and says each in the legend', () => {
    expect(contrastRatio(campaignFills.affected, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(campaignFills.earlyWarning, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(campaignFills.affected).not.toBe(campaignFills.earlyWarning);
    expect(campaignLegend({ affected: 'A', earlyWarning: 'E', untouched: 'U' }).map((e) => e.label)).toEqual(['A', 'E', 'U']);
  });
});
