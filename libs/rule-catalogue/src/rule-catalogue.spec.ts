import type { SocEvent } from '@soc/contracts';
import { formatRuleError } from '@soc/sigma';
import { emptySnapshot, type CatalogueSnapshot, type ChangeStamp, type RuleDocument } from './catalogue.schema';
import { CatalogueCompiler, validateChange } from './catalogue-compiler';
import { effectiveCatalogue, provenanceByRule } from './effective-catalogue';
import { importRuleFiles } from './rule-import';

const stamp: ChangeStamp = { by: 'spec', at: '2026-12-02T20:00:00Z', why: 'spec' };
const failedId = '5b0f3c4e-2f57-4b8e-9d55-4b7f8f0f7a11';
const failedRule = `title: Failed SSH login
id: ${failedId}
status: test
level: low
author: Municipal SOC
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: failure
  condition: selection
`;
const bruteId = 'f25b0cb0-0df5-4459-86a3-6ecc84289693';
const bruteForce = `title: SSH brute force
id: ${bruteId}
level: medium
correlation:
  type: event_count
  rules: [ssh_failure]
  group-by: [source.ip]
  timespan: 10m
  condition: { gte: 5 }
---
title: SSH failure
id: 9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97
name: ssh_failure
level: informational
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: failure
  condition: selection
`;

function snapshotOf(files: Record<string, string>, origin: RuleDocument['origin'] = 'bundled'): CatalogueSnapshot {
  const imported = importRuleFiles(
    Object.entries(files).map(([name, text]) => ({ name, text })),
    origin,
    stamp,
  );
  expect(imported.report.rejected).toEqual([]);
  return { ...emptySnapshot, revision: 1, documents: imported.documents.map((d) => ({ ...d, revision: 1 })) };
}

const sshEvent = (member: string, user = 'root'): SocEvent =>
  ({
    '@timestamp': '2026-12-01T10:00:00Z',
    event: { dataset: 'linux.sshd', outcome: 'failure' },
    organization: { id: member },
    user: { name: user },
  }) as SocEvent;

describe('effectiveCatalogue', () => {
  it('runs a document untouched by any override as stored, with a version of its text and revision', () => {
    const snapshot = snapshotOf({ 'linux/failed.yml': failedRule });
    const [document] = effectiveCatalogue(snapshot);
    expect(document.text).toBe(failedRule);
    expect(document.version).toMatch(/^[0-9a-f]{12}$/);
    expect(effectiveCatalogue({ ...snapshot, documents: [{ ...snapshot.documents[0], revision: 2 }] })[0].version).not.toBe(document.version);
  });

  it('disables a rule by its own setting, and a folder by the longest prefix, the rule setting winning', () => {
    const snapshot = snapshotOf({ 'linux/sshd/failed.yml': failedRule });
    const folderOff = { ...snapshot, folders: [{ target: 'linux', enabled: false, stamp }] };
    expect(effectiveCatalogue(folderOff)[0].rules[0]).toMatchObject({ enabled: false, enabledBy: 'folder' });
    const innerOn = { ...folderOff, folders: [...folderOff.folders, { target: 'linux/sshd', enabled: true, stamp }] };
    expect(effectiveCatalogue(innerOn)[0].rules[0]).toMatchObject({ enabled: true, enabledBy: 'folder' });
    const ruleOff = { ...innerOn, rules: [{ target: failedId, enabled: false, stamp }] };
    expect(effectiveCatalogue(ruleOff)[0]).toMatchObject({ text: '', rules: [{ enabled: false, enabledBy: 'rule' }] });
  });

  it('leaves out the base rule of a disabled correlation, so it does not start raising detections', () => {
    const snapshot = { ...snapshotOf({ 'linux/brute.yml': bruteForce }), rules: [{ target: bruteId, enabled: false, stamp }] };
    const [document] = effectiveCatalogue(snapshot);
    expect(document.rules.map((r) => [r.entry.title, r.enabled, r.enabledBy])).toEqual([
      ['SSH brute force', false, 'rule'],
      ['SSH failure', false, 'base_rule'],
    ]);
    expect(document.text).toBe('');
  });

  it('names the rule version, origin and DRL licence of SigmaHQ rules', () => {
    const snapshot = snapshotOf({ 'linux/failed.yml': failedRule }, 'sigmahq');
    const provenance = provenanceByRule(effectiveCatalogue(snapshot)).get(failedId);
    expect(provenance).toEqual({ version: effectiveCatalogue(snapshot)[0].version, origin: 'sigmahq', licence: 'DRL-1.1' });
  });
});

describe(CatalogueCompiler.name, () => {
  it("applies a member's filter to that member's events only, and a level override", () => {
    const compiler = new CatalogueCompiler({});
    const snapshot = snapshotOf({ 'linux/failed.yml': failedRule });
    const before = compiler.compile(snapshot);
    expect(before.ruleSet.matchingRules(sshEvent('0101', 'backup'))).toEqual([failedId]);
    const tuned: CatalogueSnapshot = {
      ...snapshot,
      revision: 2,
      levels: [{ rule_id: failedId, level: 'high', stamp }],
      tunings: [{ id: 't1', rule_id: failedId, member_id: '0101', filter: { 'user.name': 'backup' }, stamp }],
    };
    const after = compiler.compile(tuned, before.applied);
    expect(after.refused).toEqual([]);
    expect(after.ruleSet.matchingRules(sshEvent('0101', 'backup'))).toEqual([]);
    expect(after.ruleSet.matchingRules(sshEvent('0101', 'root'))).toEqual([failedId]);
    expect(after.ruleSet.matchingRules(sshEvent('0147', 'backup'))).toEqual([failedId]);
    expect(after.ruleSet.rules.find((r) => r.id === failedId)?.level).toBe('high');
    expect(after.provenance.get(failedId)?.version).not.toBe(before.provenance.get(failedId)?.version);
  });

  it('parses again only the documents a change touched', () => {
    const compiler = new CatalogueCompiler({});
    const snapshot = snapshotOf({ 'linux/failed.yml': failedRule, 'linux/brute.yml': bruteForce });
    expect(compiler.compile(snapshot).parsed).toBe(2);
    expect(compiler.compile({ ...snapshot, levels: [{ rule_id: failedId, level: 'high', stamp }] }).parsed).toBe(1);
  });

  it('keeps the previous text of a document whose new text fails, and lists its located errors', () => {
    const compiler = new CatalogueCompiler({});
    const snapshot = snapshotOf({ 'linux/failed.yml': failedRule });
    const before = compiler.compile(snapshot);
    const broken = { ...snapshot, tunings: [{ id: 't1', rule_id: failedId, filter: { 'user.name|nosuchmodifier': 'x' }, stamp }] };
    const after = compiler.compile(broken, before.applied);
    expect(after.refused).toHaveLength(1);
    expect(after.refused[0]).toMatchObject({ key: 'bundled/linux/failed.yml', keptPrevious: true });
    expect(formatRuleError(after.refused[0].errors[0])).toContain('bundled/linux/failed.yml');
    expect(formatRuleError(after.refused[0].errors[0])).toContain('detection.tuning_t1');
    expect(after.ruleSet.matchingRules(sshEvent('0101'))).toEqual([failedId]);
    expect(after.provenance.get(failedId)).toEqual(before.provenance.get(failedId));
  });
});

describe(validateChange.name, () => {
  it('refuses disabling a base rule an enabled correlation counts, naming the correlation', () => {
    const snapshot = { ...snapshotOf({ 'linux/brute.yml': bruteForce }), rules: [{ target: '9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97', enabled: false, stamp }] };
    const errors = validateChange(snapshot, new Set(['bundled/linux/brute.yml']), {}).map(formatRuleError);
    expect(errors).toEqual([expect.stringContaining("no loaded rule has the id or name 'ssh_failure'")]);
  });

  it('accepts a member filter', () => {
    const snapshot = {
      ...snapshotOf({ 'linux/failed.yml': failedRule }),
      tunings: [{ id: 'x', rule_id: failedId, member_id: '0101', filter: { 'user.name': 'a' }, stamp }],
    };
    expect(validateChange(snapshot, new Set(['bundled/linux/failed.yml']), {})).toEqual([]);
  });
});

describe(importRuleFiles.name, () => {
  it('refuses a file with any error, located, and groups the refusals by reason', () => {
    const imported = importRuleFiles(
      [
        { name: 'a.yml', text: failedRule },
        { name: 'b.yml', text: 'title: x\nlogsource: { product: nosuch }\ndetection: { s: { a: 1 }, condition: s }\nlevel: low\nid: b\n' },
        { name: 'c.yml', text: 'title: y\nlogsource: { product: nosuch }\ndetection: { s: { a: 1 }, condition: s }\nlevel: low\nid: c\n' },
      ],
      'third_party',
      stamp,
    );
    expect(imported.documents.map((d) => d.key)).toEqual(['third_party/a.yml']);
    expect(imported.report).toMatchObject({ files: 3, accepted: 1, rules: 1 });
    expect(imported.report.rejected.map((r) => r.file)).toEqual(['b.yml', 'c.yml']);
    expect(imported.report.reasons).toHaveLength(1);
    expect(imported.report.reasons[0].files).toBe(2);
  });
});
