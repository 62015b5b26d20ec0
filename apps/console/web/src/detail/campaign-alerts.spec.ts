import { campaignIdOf, otherCampaignAlerts } from './campaign-alerts';

type Listed = Parameters<typeof otherCampaignAlerts>[0][number];
const alert = (id: string, member: string, kind: Listed['kind'] = 'correlation'): Listed => ({ id, kind, organization: { id: member } });

describe('campaignIdOf', () => {
  it("answers a campaign alert's own id and a member alert's campaign.id", () => {
    expect(campaignIdOf({ id: 'c1', kind: 'campaign', campaign: { members: ['0751', '0461', '0101'] } })).toBe('c1');
    expect(campaignIdOf({ id: 'a1', kind: 'correlation', campaign: { id: 'c1', other_members_affected: 2 } })).toBe('c1');
  });

  it('answers nothing for an alert outside any campaign', () => {
    expect(campaignIdOf({ id: 'a1', kind: 'rule' })).toBeUndefined();
  });
});

describe('otherCampaignAlerts', () => {
  it('lists every alert of the campaign but the shown one and the campaign alert, each once, by member', () => {
    const alerts = [
      alert('b', '0751'),
      alert('shown', '0461'),
      alert('c1', 'shared-soc', 'campaign'),
      alert('warned', '0851', 'early_warning'),
      alert('a', '0101'),
      alert('b', '0751'),
    ];
    expect(otherCampaignAlerts(alerts, 'shown').map((a) => a.id)).toEqual(['a', 'b', 'warned']);
  });

  it("lists a campaign alert's member alerts, all of them, when the campaign alert is shown", () => {
    expect(otherCampaignAlerts([alert('b', '0751'), alert('a', '0461')], 'c1').map((a) => a.id)).toEqual(['a', 'b']);
  });
});
