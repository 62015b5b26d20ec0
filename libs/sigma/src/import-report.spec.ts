import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { buildImportReport } from './import-report';
import { formatRuleError } from './location';
import { ecsEvent } from './testing/rules';
import { collectorEvents, evtxJsonDocuments } from './testing/sigmahq';
import { fromEventXml, windowsEvent } from './testing/windows-events';

/**
 * The third-party Sigma rules of ../shared/data/sigma-rules (SigmaHQ, Hayabusa, the specification's
 * examples): how many load, why the others do not, and whether the accepted ones behave as the
 * example events shipped with them say. The numbers are written up in libs/sigma/SIGMA-IMPORT.md.
 */
const repositoryRoot = join(__dirname, '..', '..', '..');
const corpus = join(repositoryRoot, '..', 'shared', 'data', 'sigma-rules');
const present = existsSync(corpus);

/** Rule files only: regression_data holds test events and their descriptions, not rules. */
function ruleFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'regression_data' ? [] : ruleFiles(path);
    return entry.name.endsWith('.yml') ? [path] : [];
  });
}

/** Measured when this was written: 40 of 67 documents. A drop means the engine lost a feature. */
const acceptedFloor = 40;

(present ? describe : describe.skip)('Sigma import report', () => {
  const files = present
    ? ruleFiles(corpus)
        .sort()
        .map((path) => ({ name: relative(corpus, path), text: readFileSync(path, 'utf8') }))
    : [];
  const report = buildImportReport(files);
  const acceptedIds = new Set(report.ruleSet.rules.map((r) => r.id));

  it('accepts at least the measured number of rule documents', () => {
    process.stdout.write(
      [
        `\nSigma import: ${report.accepted.length} of ${report.documents} rule documents accepted, ${report.rejected.length} rejected`,
        ...Object.entries(report.reasons).map(([reason, count]) => `  ${count} rejected for: ${reason}`),
        '',
      ].join('\n'),
    );
    expect(report.accepted.length).toBeGreaterThanOrEqual(acceptedFloor);
    expect(report.accepted.length + report.rejected.length).toBe(report.documents);
  });

  it('gives every rejection at least one reason, located by file, document, path and line', () => {
    const unlocated = report.rejected.flatMap((rule) =>
      rule.reasons.length === 0
        ? [`${rule.file}: no reason`]
        : rule.reasons.filter((r) => !r.location.file || !r.location.path || r.location.line === undefined || !r.message).map(formatRuleError),
    );
    expect(unlocated).toEqual([]);
  });

  it('rejects the legacy aggregation rules, naming the aggregation', () => {
    const legacy = report.rejected.filter((rule) => rule.file.startsWith('SigmaHQ-sigma/unsupported/'));
    expect(legacy).toHaveLength(6);
    for (const rule of legacy)
      expect(rule.reasons.map((r) => r.message)).toContain("legacy aggregation ('| count() by ...') is not supported; write a correlation rule instead");
  });

  it('matches the SigmaHQ regression events with the accepted rules they belong to', () => {
    const regressionRoot = join(corpus, 'SigmaHQ-sigma');
    const infos = readdirSync(join(regressionRoot, 'regression_data'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('info.yml'));
    expect(infos.length).toBeGreaterThan(0);
    const mismatches: string[] = [];
    let compared = 0;
    for (const info of infos) {
      const description = parse(readFileSync(join(regressionRoot, 'regression_data', info), 'utf8')) as {
        rule_metadata: { id: string }[];
        regression_tests_info: { type: string; match_count: number; path: string }[];
      };
      for (const { id } of description.rule_metadata) {
        if (!acceptedIds.has(id)) continue;
        for (const test of description.regression_tests_info.filter((t) => t.type === 'evtx')) {
          const json = join(regressionRoot, dirname(test.path), `${id}.json`);
          const events = collectorEvents(evtxJsonDocuments(readFileSync(json, 'utf8')));
          const matched = events.filter((event) => report.ruleSet.matchingRules(event).includes(id)).length;
          compared++;
          if (matched !== test.match_count) mismatches.push(`${id}: ${matched} matches, expected ${test.match_count}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });

  it("runs Hayabusa's sample events through their base rules", () => {
    const outcomes: Record<string, boolean> = {};
    for (const file of files.filter((f) => f.name.startsWith('hayabusa-rules/'))) {
      for (const document of file.text.split(/^---$/m)) {
        const rule = parse(document) as { id?: string; name?: string; 'sample-evtx'?: string };
        if (!rule?.name || !rule['sample-evtx']) continue;
        const event = windowsEvent(fromEventXml(rule['sample-evtx']), `${rule.name}-sample`);
        outcomes[rule.name] = report.ruleSet.matchingRules(event).includes(rule.id ?? rule.name);
      }
    }
    expect(outcomes).toEqual({
      incorrect_password: true,
      // Hayabusa's sample for "user does not exist" is a local logon (IpAddress '-'), which the rule's
      // own filter excludes: the sample illustrates the event, it is not a positive test.
      non_existent_user: false,
    });
  });

  it('matches the example lines SigmaHQ documents in the privileged-user rule', () => {
    const id = '0ac15ec3-d24f-4246-aa2a-3077bb1cf90e';
    const rule = files.find((f) => f.name.endsWith('lnx_privileged_user_creation.yml'));
    expect(rule?.text).toContain(`id: ${id}`);
    const examples = [...(rule?.text ?? '').matchAll(/^\s+#\s+(\w{3} \d+ [\d:]+ \S+ useradd\[\d+\]: (.*))$/gm)].map((m) => m[2]);
    expect(examples).toHaveLength(4);
    for (const message of examples) {
      expect(report.ruleSet.matchingRules(ecsEvent({ event: { dataset: 'linux.auth' }, message }))).toContain(id);
    }
    expect(
      report.ruleSet.matchingRules(ecsEvent({ event: { dataset: 'linux.auth' }, message: 'useradd[1]: new user: name=x, UID=1000, GID=1000' })),
    ).not.toContain(id);
  });
});
