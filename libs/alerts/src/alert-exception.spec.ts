import { ExceptionIndex, exceptionInputSchema, matchingException, type AlertException } from './alert-exception';

const detection = {
  rule: { id: 'ssh-brute', title: 'SSH brute force', level: 'high' as const, tags: [], references: [] },
  organization: { id: '0751' },
  group_key: '10.75.1.9',
  observables: [
    { field: 'source.ip', value: '10.75.1.9' },
    { field: 'user.name', value: 'backup' },
  ],
};

const exception = (overrides: Partial<AlertException>): AlertException => ({
  id: 'x1',
  scope: { kind: 'global' },
  rule_id: 'ssh-brute',
  conditions: [{ field: 'user.name', op: 'equals', value: 'backup' }],
  owner: 'soc',
  reason: 'scanner',
  expires_at: '2099-01-01T00:00:00Z',
  created_at: '2026-01-01T00:00:00Z',
  created_by: 'admin',
  ...overrides,
});

describe('matchingException', () => {
  it('suppresses on a cidr condition over an observable field', () => {
    const e = exception({ conditions: [{ field: 'source.ip', op: 'cidr', value: '10.75.0.0/16' }] });
    expect(matchingException([e], detection)?.id).toBe('x1');
  });

  it('needs every condition to hold (equals and in)', () => {
    const both = exception({
      conditions: [
        { field: 'user.name', op: 'in', values: ['backup', 'ansible'] },
        { field: 'group_key', op: 'equals', value: '10.75.1.9' },
      ],
    });
    expect(matchingException([both], detection)).toBeDefined();
    const one = exception({
      conditions: [
        { field: 'user.name', op: 'equals', value: 'root' },
        { field: 'group_key', op: 'equals', value: '10.75.1.9' },
      ],
    });
    expect(matchingException([one], detection)).toBeUndefined();
  });

  it('applies a member exception only to that member and only to its rule', () => {
    expect(matchingException([exception({ scope: { kind: 'member', member_id: '0461' } })], detection)).toBeUndefined();
    expect(matchingException([exception({ scope: { kind: 'member', member_id: '0751' } })], detection)).toBeDefined();
    expect(matchingException([exception({ rule_id: 'other' })], detection)).toBeUndefined();
  });

  it('never applies an exception without conditions (one stored before they were refused)', () => {
    expect(matchingException([exception({ conditions: [] })], detection)).toBeUndefined();
    expect(new ExceptionIndex([exception({ conditions: [] })]).match(detection)).toBeUndefined();
  });

  it('ignores expired exceptions, by date or by hand', () => {
    expect(matchingException([exception({ expires_at: '2020-01-01T00:00:00Z' })], detection)).toBeUndefined();
    expect(matchingException([exception({ expired_at: '2026-01-02T00:00:00Z' })], detection)).toBeUndefined();
  });
});

describe(ExceptionIndex.name, () => {
  it("finds the same exception as a scan, looking only at the detection's rule", () => {
    const exceptions = [
      exception({ id: 'other', rule_id: 'other' }),
      exception({ id: 'mine', conditions: [{ field: 'user.name', op: 'equals', value: 'backup' }] }),
    ];
    expect(new ExceptionIndex(exceptions).match(detection)?.id).toBe('mine');
    expect(new ExceptionIndex([exceptions[0]]).match(detection)).toBeUndefined();
  });
});

describe('exceptionInputSchema', () => {
  const input = { scope: { kind: 'global' }, rule_id: 'r', owner: 'o', reason: 'why', expires_at: '2099-01-01T00:00:00Z' };

  it('refuses an exception without conditions, and one that leaves them out', () => {
    for (const body of [{ ...input, conditions: [] }, input]) {
      const result = exceptionInputSchema.safeParse(body);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        [
          'conditions',
          body === input
            ? 'must be a list of at least one condition'
            : 'needs at least one condition (an exception without conditions would suppress the whole rule)',
        ],
      ]);
    }
  });

  it('rejects a condition whose cidr is not a network', () => {
    const result = exceptionInputSchema.safeParse({
      scope: { kind: 'global' },
      rule_id: 'r',
      owner: 'o',
      reason: 'why',
      expires_at: '2099-01-01T00:00:00Z',
      conditions: [{ field: 'source.ip', op: 'cidr', value: '10.0.0.0/99' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('must be a CIDR such as 192.0.2.0/24');
  });
});
