import { bodyOf, conditionText, matchesFilter, membersOf, problemsByField, stateOf, type ExceptionDraft } from './exception-view';
import type { ExceptionItem } from './exceptions-api';

const now = Date.parse('2026-12-03T10:00:00Z');
const exception = (over: Partial<ExceptionItem>): ExceptionItem => ({
  id: 'x',
  scope: { kind: 'member', member_id: '0751' },
  rule_id: 'ssh-brute',
  conditions: [{ field: 'source.ip', op: 'equals', value: '198.51.100.7' }],
  expires_at: '2026-12-31T23:59:59Z',
  suppressed_count: 0,
  ...over,
});

describe('stateOf', () => {
  it('is active until it runs out, lapsed after, expired once expired by hand whatever its expiry', () => {
    expect(stateOf(exception({}), now)).toBe('active');
    expect(stateOf(exception({ expires_at: '2026-12-03T09:59:59Z' }), now)).toBe('lapsed');
    expect(stateOf(exception({ expired_at: '2026-12-02T08:00:00Z' }), now)).toBe('expired');
  });
});

describe('matchesFilter', () => {
  const list = [
    exception({ id: 'a' }),
    exception({ id: 'b', scope: { kind: 'global' } }),
    exception({ id: 'c', expired_at: '2026-12-02T08:00:00Z' }),
    exception({ id: 'd', scope: { kind: 'member', member_id: '0461' }, expires_at: '2026-12-01T00:00:00Z' }),
  ];
  const ids = (state: 'all' | 'active' | 'expired', scope: string) => list.filter((e) => matchesFilter(e, { state, scope }, now)).map((e) => e.id);

  it('takes the active ones, or the expired and lapsed ones, or all', () => {
    expect(ids('all', 'all')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('active', 'all')).toEqual(['a', 'b']);
    expect(ids('expired', 'all')).toEqual(['c', 'd']);
  });

  it('takes one member’s exceptions, or the global ones', () => {
    expect(ids('all', '0751')).toEqual(['a', 'c']);
    expect(ids('all', 'global')).toEqual(['b']);
    expect(ids('expired', '0461')).toEqual(['d']);
    expect(membersOf(list)).toEqual(['0461', '0751']);
  });
});

describe('conditionText', () => {
  it('writes each kind of condition, and a value the caller may not see as …', () => {
    expect(conditionText({ field: 'source.ip', op: 'equals', value: '198.51.100.7' })).toBe('source.ip = 198.51.100.7');
    expect(conditionText({ field: 'user.name', op: 'in', values: ['a', 'b'] })).toBe('user.name in a, b');
    expect(conditionText({ field: 'source.ip', op: 'cidr', value: '10.0.0.0/8' })).toBe('source.ip cidr 10.0.0.0/8');
    expect(conditionText({ field: 'source.ip', op: 'equals' })).toBe('source.ip = …');
  });
});

describe('bodyOf', () => {
  const draft: ExceptionDraft = {
    rule_id: ' ssh-brute ',
    scope: 'member',
    member_id: '0751',
    conditions: [
      { field: 'source.ip', op: 'cidr', value: '198.51.100.0/24' },
      { field: 'user.name', op: 'in', value: 'scanner, backup ,' },
    ],
    owner: 'Sofie',
    reason: 'the municipality’s own scanner',
    expires_on: '2026-12-31',
  };

  it('makes the API body: trimmed values, `in` values split at commas, the expiry at the end of the day (UTC)', () => {
    expect(bodyOf(draft)).toEqual({
      rule_id: 'ssh-brute',
      scope: { kind: 'member', member_id: '0751' },
      conditions: [
        { field: 'source.ip', op: 'cidr', value: '198.51.100.0/24' },
        { field: 'user.name', op: 'in', values: ['scanner', 'backup'] },
      ],
      owner: 'Sofie',
      reason: 'the municipality’s own scanner',
      expires_at: '2026-12-31T23:59:59Z',
    });
  });

  it('sends a global scope without a member, and an empty expiry for the API to name', () => {
    expect(bodyOf({ ...draft, scope: 'global', expires_on: '' })).toMatchObject({ scope: { kind: 'global' }, expires_at: '' });
  });
});

describe('problemsByField', () => {
  it('puts each API problem next to its field, a condition row’s under that row, the rest under the form', () => {
    expect(
      problemsByField([
        { path: 'rule_id', message: 'Too small' },
        { path: 'scope.member_id', message: 'Too small' },
        { path: 'conditions.1.value', message: 'must be a CIDR such as 192.0.2.0/24' },
        { path: 'conditions', message: 'needs at least one condition' },
        { path: 'expires_at', message: 'Invalid ISO datetime' },
        { path: '(root)', message: 'odd' },
      ]),
    ).toEqual({
      rule_id: ['Too small'],
      scope: ['scope.member_id: Too small'],
      'conditions.1': ['conditions.1.value: must be a CIDR such as 192.0.2.0/24'],
      conditions: ['needs at least one condition'],
      expires_at: ['Invalid ISO datetime'],
      form: ['(root): odd'],
    });
  });
});
