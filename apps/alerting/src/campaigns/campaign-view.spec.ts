import type { Alert } from '@soc/contracts';
import { campaignListQuerySchema, promotedIndicatorOf, spreadOf } from './campaign-view';

const alert = (id: string, member: string, first: string, last: string, kind: Alert['kind'] = 'rule'): Alert =>
  ({
    id,
    kind,
    organization: { id: member },
    first_seen: first,
    last_seen: last,
    group_key: 'x',
    observables: [],
  }) as unknown as Alert;

describe('spreadOf', () => {
  const campaign = { campaign: { id: 'c-1', members: ['0101', '0461', '0751'] } };

  it('orders the members by when the campaign first reached them, with each one’s alerts and span', () => {
    const spread = spreadOf(campaign, [
      alert('a-0751', '0751', '2026-12-01T09:02:00Z', '2026-12-01T09:05:00Z'),
      alert('a-0101', '0101', '2026-12-01T09:01:00Z', '2026-12-01T09:01:30Z'),
      alert('b-0101', '0101', '2026-12-01T08:59:00Z', '2026-12-01T09:00:00Z'),
      alert('a-0461', '0461', '2026-12-01T09:03:00Z', '2026-12-01T09:04:00Z'),
    ]);
    expect(spread).toEqual([
      { member: '0101', first_seen: '2026-12-01T08:59:00Z', last_seen: '2026-12-01T09:01:30Z', alert_ids: ['a-0101', 'b-0101'], early_warning: false },
      { member: '0751', first_seen: '2026-12-01T09:02:00Z', last_seen: '2026-12-01T09:05:00Z', alert_ids: ['a-0751'], early_warning: false },
      { member: '0461', first_seen: '2026-12-01T09:03:00Z', last_seen: '2026-12-01T09:04:00Z', alert_ids: ['a-0461'], early_warning: false },
    ]);
  });

  it('puts members without a linked alert last, and adds an early-warned member the campaign does not name yet', () => {
    const spread = spreadOf(campaign, [
      alert('a-0751', '0751', '2026-12-01T09:02:00Z', '2026-12-01T09:02:00Z'),
      alert('w-0851', '0851', '2026-12-01T09:30:00Z', '2026-12-01T09:30:00Z', 'early_warning'),
    ]);
    expect(spread.map((s) => [s.member, s.first_seen, s.early_warning])).toEqual([
      ['0751', '2026-12-01T09:02:00Z', false],
      ['0851', '2026-12-01T09:30:00Z', true],
      ['0101', null, false],
      ['0461', null, false],
    ]);
  });

  it('compares times as instants, whatever their offsets', () => {
    const spread = spreadOf({ campaign: { members: ['a', 'b'] } }, [
      alert('1', 'a', '2026-12-01T10:00:00+02:00', '2026-12-01T10:00:00+02:00'),
      alert('2', 'b', '2026-12-01T09:00:00+00:00', '2026-12-01T09:00:00+00:00'),
    ]);
    expect(spread.map((s) => s.member)).toEqual(['a', 'b']);
  });
});

describe('promotedIndicatorOf', () => {
  it('names the shared indicator of an actor campaign and nothing for an indicator campaign', () => {
    expect(promotedIndicatorOf({ group_key: 'source.ip=91.240.118.23', observables: [] })).toBe('campaign:source.ip=91.240.118.23');
    expect(promotedIndicatorOf({ group_key: 'indicator:feodo-1', observables: [] })).toBeNull();
  });
});

describe('campaignListQuerySchema', () => {
  it('defaults to every campaign, 100 at most, and names a wrong field', () => {
    expect(campaignListQuerySchema.parse({})).toEqual({ state: 'all', size: 100 });
    expect(campaignListQuerySchema.parse({ state: 'open', size: '5' })).toEqual({ state: 'open', size: 5 });
    expect(campaignListQuerySchema.safeParse({ size: '501' }).success).toBe(false);
    const unknown = campaignListQuerySchema.safeParse({ member: '0751' });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('member');
  });
});
