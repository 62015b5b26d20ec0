import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { anyInput, bodyInput, bound, fuzzSchema, mostly, queryText } from '../../../test/e2e/support/schema-fuzz';
import { exceptionInputSchema } from './alert-exception';

// Property-based fuzzing (fast-check, FUZZ_SEED: docs/TESTING.md) of the exception body
// (POST /exceptions): only zod errors, and an accepted exception keeps docs/ALERTING.md's bounds.
const condition = fc.oneof(
  { weight: 3, arbitrary: fc.record({ field: fc.constantFrom('source.ip', 'user.name'), op: fc.constant('equals'), value: fc.string() }) },
  fc.record({ field: fc.constantFrom('source.ip', 'user.name', ''), op: fc.constant('equals'), value: queryText }),
  fc.record({ field: fc.constantFrom('source.ip', 'group_key'), op: fc.constant('in'), values: fc.array(queryText, { maxLength: 3 }) }),
  fc.record({
    field: fc.constant('source.ip'),
    op: fc.constant('cidr'),
    value: fc.constantFrom('192.0.2.0/24', '10.0.0.0/33', '::/0', '2001:db8::/129', 'x', '1.2.3.4'),
  }),
  fc.record({ field: queryText, op: queryText }),
);
const scope = fc.oneof(fc.constant({ kind: 'global' }), fc.record({ kind: fc.constant('member'), member_id: queryText }), fc.record({ kind: queryText }));

describe('exception body under fuzzed input', () => {
  it('accepts only 1-20 well-formed conditions, a scope, an owner, a reason and a time', () => {
    const inputs = bodyInput(['scope', 'rule_id', 'conditions', 'owner', 'reason', 'expires_at'], {
      scope,
      conditions: fc.array(condition, { maxLength: 22 }),
      reason: fc.constantFrom('ok', 'known scanner', ''),
    });
    const nearValid = fc.record({
      scope: mostly(fc.constantFrom({ kind: 'global' }, { kind: 'member', member_id: '0751' }), { kind: 'member' }, { kind: 'x' }),
      rule_id: mostly(fc.constant('ssh-brute-force'), ''),
      conditions: fc.array(condition, { maxLength: 22 }),
      owner: mostly(fc.constant('soc'), ''),
      reason: mostly(fc.constant('known scanner'), 'no'),
      expires_at: mostly(fc.constant('2027-01-01T00:00:00+01:00'), '2027-01-01'),
    });
    fuzzSchema(exceptionInputSchema, fc.oneof(anyInput, inputs, nearValid, nearValid, nearValid), 500, (e) => {
      // Finding 8 of issue 13: no conditions would suppress the rule for everyone in the scope.
      bound(e.conditions.length >= 1 && e.conditions.length <= 20, 'conditions are not 1-20', e);
      for (const c of e.conditions) {
        bound(c.field.length >= 1, 'a condition has no field', e);
        if (c.op === 'in') bound(c.values.length >= 1 && c.values.length <= 1000, 'an "in" list is not 1-1000 values', e);
        if (c.op === 'cidr') bound(ipaddr.isValidCIDR(c.value), 'a cidr is not a CIDR', e);
      }
      bound(e.scope.kind === 'global' || (e.scope.kind === 'member' && e.scope.member_id.length >= 1), 'the scope is neither global nor a member', e);
      bound(e.rule_id.length >= 1 && e.owner.length >= 1 && e.reason.length >= 3, 'rule_id, owner or reason too short', e);
      bound(Number.isFinite(Date.parse(e.expires_at)), 'expires_at is not a time', e);
    });
  });
});
