import { completeEvent, runRuleTests } from './rule-tests';
import { compileRules } from './rule-compiler';
import { loadRules } from './rule-loader';

const rule = (tests: string) => `title: Sudo refused
id: 6c97c1a0-8eed-4520-8ff6-0ecad693ebaf
level: medium
logsource: { product: linux, service: sudo }
detection:
    keywords: ['user NOT in sudoers']
    condition: keywords
tests:
${tests}`;

const failures = async (text: string) => {
  const loaded = loadRules([{ name: 'rules/linux/x.yml', text }]);
  const { ruleSet } = compileRules(loaded.rules);
  return (await runRuleTests(loaded.rules, ruleSet)).map((f) => `${f.rule} ${f.location.path}: ${f.message}`);
};

describe(runRuleTests.name, () => {
  it('passes when every match event matches and no no_match event does', async () => {
    expect(
      await failures(
        rule(`    - description: refused
      expect: match
      events: [{ event: { dataset: linux.sudo }, message: 'bob : user NOT in sudoers ; TTY=pts/0' }]
    - description: allowed
      expect: no_match
      events: [{ event: { dataset: linux.sudo }, message: 'bob : TTY=pts/0 ; COMMAND=/bin/ls' }]`),
      ),
    ).toEqual([]);
  });

  it('reports each event that behaves differently, with the rule id and the event path', async () => {
    expect(
      await failures(
        rule(`    - description: wrong expectations
      expect: no_match
      events: [{ event: { dataset: linux.sudo }, message: 'user NOT in sudoers' }]
    - description: also wrong
      expect: match
      events: [{ event: { dataset: linux.sudo }, message: 'fine' }]`),
      ),
    ).toEqual([
      "6c97c1a0-8eed-4520-8ff6-0ecad693ebaf tests[0].events[0]: 'wrong expectations': event 0 should not match",
      "6c97c1a0-8eed-4520-8ff6-0ecad693ebaf tests[1].events[0]: 'also wrong': event 0 should match",
    ]);
  });

  it('reports a test event that is not a valid event', async () => {
    expect(
      await failures(
        rule(`    - description: bad address
      expect: match
      events: [{ event: { dataset: linux.sudo }, source: { ip: not-an-ip }, message: 'user NOT in sudoers' }]`),
      ),
    ).toEqual(['6c97c1a0-8eed-4520-8ff6-0ecad693ebaf tests[0].events[0]: not a valid event: source.ip: Invalid input']);
  });

  it('reports malformed tests', async () => {
    expect(await failures(rule(`    - description: x\n      expect: maybe\n      events: []`))).toEqual([
      "6c97c1a0-8eed-4520-8ff6-0ecad693ebaf tests[0].expect: expect must be 'match' or 'no_match'",
      '6c97c1a0-8eed-4520-8ff6-0ecad693ebaf tests[0].events: events must not be empty',
    ]);
  });

  it('reports tests of a rule that was rejected', async () => {
    const text = rule(`    - description: x\n      expect: match\n      events: [{ message: a }]`).replace('service: sudo', 'service: nothing');
    expect(await failures(text)).toEqual(['6c97c1a0-8eed-4520-8ff6-0ecad693ebaf tests: the rule was rejected or is unused, so its tests cannot run']);
  });

  it('reports a correlation that does not fire as expected', async () => {
    const text = `title: Burst
id: f25b0cb0-0df5-4459-86a3-6ecc84289693
level: medium
correlation: { type: event_count, rules: [refused], timespan: 1m, condition: { gte: 3 } }
tests:
    - description: two are not three
      expect: match
      events: [&e { event: { dataset: linux.sudo }, message: 'user NOT in sudoers' }, *e]
---
title: Refused
name: refused
logsource: { product: linux, service: sudo }
detection: { keywords: ['user NOT in sudoers'], condition: keywords }
`;
    expect(await failures(text)).toEqual(["f25b0cb0-0df5-4459-86a3-6ecc84289693 tests[0]: 'two are not three': expected a detection, got none (0 late)"]);
  });
});

describe(completeEvent.name, () => {
  it('adds what the collector adds', () => {
    expect(completeEvent({ message: 'x' }, 'id-1', Date.parse('2026-01-05T10:00:00Z'))).toEqual({
      event: {
        '@timestamp': '2026-01-05T10:00:00.000Z',
        event: { id: 'id-1', ingested: '2026-01-05T10:00:00.000Z' },
        organization: { id: 'test-member' },
        message: 'x',
      },
    });
  });
});
