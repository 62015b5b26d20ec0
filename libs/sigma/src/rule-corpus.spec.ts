import { detectionSchema } from '@soc/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatRuleError } from './location';
import { compileRules } from './rule-compiler';
import { loadRules, SigmaRule } from './rule-loader';
import { completeEvent, runRuleTests, ruleTestsSchema } from './rule-tests';
import { InMemoryWindowStore } from './in-memory-window-store';

/**
 * Our rule set (rules/<domain>/<tactic>_<behaviour>.yml): every rule loads and compiles, follows the
 * conventions, and its embedded test events behave. All failures are reported at once, each with the
 * rule id and its location, so one run shows everything a rule author has to fix.
 */
const repositoryRoot = join(__dirname, '..', '..', '..');
const rulesDirectory = join(repositoryRoot, 'rules');

const tactics = [
  'reconnaissance',
  'resource_development',
  'initial_access',
  'execution',
  'persistence',
  'privilege_escalation',
  'defense_evasion',
  'credential_access',
  'discovery',
  'lateral_movement',
  'collection',
  'command_and_control',
  'exfiltration',
  'impact',
];
const fileName = new RegExp(`^([a-z]+)/(${tactics.join('|')})_([a-z0-9]+(?:_[a-z0-9]+)*)\\.yml$`);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const technique = /^attack\.t\d{4}(\.\d{3})?$/;

const files = readdirSync(rulesDirectory, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name: relative(repositoryRoot, join(rulesDirectory, name)), text: readFileSync(join(rulesDirectory, name), 'utf8') }));

const loaded = loadRules(files);
const compiled = compileRules(loaded.rules);

describe('rule corpus', () => {
  // The breadth of fail2ban's jails and CrowdSec's base scenarios (docs/DETECTION.md); the engine's
  // benchmark measures 30 rules (docs/PERFORMANCE.md), so more than 40 wants a new measurement.
  it('holds between 8 and 40 rules that produce detections', () => {
    const generating = compiled.ruleSet.rules.filter((r) => r.generates);
    expect(generating.length).toBeGreaterThanOrEqual(8);
    expect(generating.length).toBeLessThanOrEqual(40);
  });

  it('loads and compiles every rule', () => {
    expect([...loaded.errors, ...compiled.errors].map(formatRuleError)).toEqual([]);
  });

  it('follows the conventions', () => {
    const problems: string[] = [];
    const report = (rule: SigmaRule, message: string): void => {
      problems.push(`${rule.id ?? rule.name ?? rule.title} ${rule.source.file} (document ${rule.source.document}): ${message}`);
    };
    const titles = new Map<string, string>();
    for (const rule of loaded.rules) {
      const relativeName = relative('rules', rule.source.file).split('\\').join('/');
      const match = fileName.exec(relativeName);
      const main = rule.source.document === 1;
      if (!match) report(rule, 'file name must be rules/<domain>/<tactic>_<behaviour>.yml with an ATT&CK tactic');
      if (rule.id === undefined || !uuid.test(rule.id)) report(rule, 'id must be a UUID (v4)');
      if (rule.author !== 'Municipal SOC') report(rule, "author must be 'Municipal SOC'");
      if (!rule.description) report(rule, 'description is required');
      const other = titles.get(rule.title);
      if (other) report(rule, `title is also used by ${other}`);
      titles.set(rule.title, rule.source.file);
      if (!main) {
        if (rule.kind !== 'detection' || rule.name === undefined) report(rule, 'further documents of a file are base rules with a name');
        continue;
      }
      if (match && !rule.tags.includes(`attack.${match[2].replace(/_/g, '-')}`))
        report(rule, `tags must include the file's tactic attack.${match[2].replace(/_/g, '-')}`);
      if (!rule.tags.some((tag) => technique.test(tag))) report(rule, 'tags must include an ATT&CK technique (attack.tNNNN)');
      if (rule.level === undefined) report(rule, 'level is required');
      if (rule.falsepositives.length === 0) report(rule, 'falsepositives are required');
      if (rule.references.length === 0) report(rule, 'references are required');
      const tests = ruleTestsSchema.safeParse(rule.document.tests);
      if (!tests.success) report(rule, 'tests are required');
      else if (!tests.data.some((t) => t.expect === 'match') || !tests.data.some((t) => t.expect === 'no_match')) {
        report(rule, 'tests need at least one match and one no_match case');
      }
    }
    expect(problems).toEqual([]);
  });

  it('passes every rule its own test events', async () => {
    const failures = await runRuleTests(loaded.rules, compiled.ruleSet);
    expect(failures.map((f) => `${f.rule} ${formatRuleError(f)}`)).toEqual([]);
  });

  it('produces detections that satisfy the detection contract', async () => {
    const problems: string[] = [];
    for (const rule of loaded.rules) {
      const tests = ruleTestsSchema.safeParse(rule.document.tests);
      if (!tests.success) continue;
      for (const testCase of tests.data.filter((t) => t.expect === 'match')) {
        const events = testCase.events.map((e, i) => completeEvent(e, `${rule.id}-${i}`, Date.parse('2026-01-05T10:00:00Z') + i * 1_000));
        const valid = events.flatMap((e) => ('event' in e ? [e.event] : []));
        const { detections } = await compiled.ruleSet.evaluate(valid, new InMemoryWindowStore());
        for (const detection of detections) {
          const parsed = detectionSchema.safeParse(detection);
          if (!parsed.success) problems.push(`${rule.id}: ${parsed.error.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
