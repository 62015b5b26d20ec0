import { campaignIdOf, campaignMemberAlerts, campaignSearchValues } from './campaign-alerts';

type Found = Parameters<typeof campaignMemberAlerts>[0][number];
const alert = (id: string, member: string, campaign?: string, kind: Found['kind'] = 'correlation'): Found => ({
  id,
  kind,
  organization: { id: member },
  ...(campaign ? { campaign: { id: campaign, members: ['0101', '0461', '0751'] } } : {}),
});

describe('campaignIdOf', () => {
  it("answers a campaign alert's own id and a member alert's campaign.id", () => {
    expect(campaignIdOf({ id: 'c1', kind: 'campaign', campaign: { members: ['0751', '0461', '0101'] } })).toBe('c1');
    expect(campaignIdOf({ id: 'a1', kind: 'correlation', campaign: { id: 'c1', other_members_affected: 2 } })).toBe('c1');
  });

  it('answers nothing for an alert outside any campaign', () => {
    expect(campaignIdOf({ id: 'a1', kind: 'rule' })).toBeUndefined();
  });
});

describe('campaignSearchValues', () => {
  it("searches the campaign's observable values and its group key, each once", () => {
    expect(
      campaignSearchValues({
        group_key: 'source.ip=91.240.118.23',
        observables: [
          { field: 'source.ip', value: '91.240.118.23' },
          { field: 'source.ip', value: '91.240.118.23' },
        ],
      }),
    ).toEqual(['91.240.118.23', 'source.ip=91.240.118.23']);
  });

  it('leaves out values longer than the 200 characters q accepts, and empty ones', () => {
    expect(campaignSearchValues({ group_key: 'x'.repeat(201), observables: [{ field: 'f', value: '' }] })).toEqual([]);
  });
});

describe('campaignMemberAlerts', () => {
  it("keeps the alerts linked to the campaign, not the campaign alert, the shown alert, another campaign's or an unlinked one", () => {
    const found = [
      alert('b', '0751', 'c1'),
      alert('shown', '0461', 'c1'),
      alert('c1', 'shared-soc', undefined, 'campaign'),
      alert('other', '0101', 'c2'),
      alert('loose', '0101'),
      alert('a', '0101', 'c1'),
      alert('b', '0751', 'c1'),
    ];
    expect(campaignMemberAlerts(found, 'c1', 'shown').map((a) => a.id)).toEqual(['a', 'b']);
  });
});
