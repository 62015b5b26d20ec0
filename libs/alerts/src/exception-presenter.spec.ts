import { allMembers, memberScope } from '@soc/contracts';
import type { AlertException } from './alert-exception';
import { isVisibleTo, presentException } from './exception-presenter';

const fromOdensesAlert: AlertException = {
  id: 'e-global',
  scope: { kind: 'global' },
  rule_id: 'ssh-brute',
  conditions: [
    { field: 'source.ip', op: 'equals', value: '198.51.100.7' },
    { field: 'user.name', op: 'in', values: ['odense-admin'] },
  ],
  owner: 'soc-anna',
  reason: 'Odense pen test by 198.51.100.7',
  expires_at: '2099-01-01T00:00:00Z',
  created_at: '2026-03-01T10:00:00Z',
  created_by: 'soc-anna',
  source_alert_id: 'alert-of-0461',
};
const aarhusOwn: AlertException = { ...fromOdensesAlert, id: 'e-aarhus', scope: { kind: 'member', member_id: '0751' }, reason: 'our scanner' };

describe('presentException', () => {
  it('shows SOC roles every exception in full', () => {
    expect(presentException(fromOdensesAlert, allMembers)).toEqual(fromOdensesAlert);
  });

  it('shows a member its own exception in full', () => {
    expect(presentException(aarhusOwn, memberScope('0751'))).toEqual(aarhusOwn);
  });

  it('shows a member a global exception as rule, condition fields and expiry only', () => {
    const view = presentException({ ...fromOdensesAlert, expired_at: '2026-04-01T00:00:00Z' }, memberScope('0751'));
    expect(view).toEqual({
      id: 'e-global',
      scope: { kind: 'global' },
      rule_id: 'ssh-brute',
      conditions: [
        { field: 'source.ip', op: 'equals' },
        { field: 'user.name', op: 'in' },
      ],
      expires_at: '2099-01-01T00:00:00Z',
      expired_at: '2026-04-01T00:00:00Z',
    });
    expect(JSON.stringify(view)).not.toMatch(/198\.51\.100\.7|odense|0461|alert-of|soc-anna|pen test|2026-03-01/);
  });

  it('shows the member whose alert it was made from the same member view: a global exception belongs to no member', () => {
    expect(presentException(fromOdensesAlert, memberScope('0461'))).not.toHaveProperty('source_alert_id');
  });
});

describe('isVisibleTo', () => {
  it("lets a member see global exceptions and its own, never another member's", () => {
    expect(isVisibleTo(fromOdensesAlert, memberScope('0101'))).toBe(true);
    expect(isVisibleTo(aarhusOwn, memberScope('0751'))).toBe(true);
    expect(isVisibleTo(aarhusOwn, memberScope('0461'))).toBe(false);
    expect(isVisibleTo(aarhusOwn, allMembers)).toBe(true);
  });
});
