import { writeFileSync } from 'node:fs';
import { buildImportReport, loadRules } from '@soc/sigma';
import { reasonCategory } from '../src/import-report';
import { sigmaHqPresent, sigmaHqRuleFiles } from '../src/testing/sigmahq';

/**
 * The import report over SigmaHQ's whole rule set (../shared/data/sigmahq: rules,
 * rules-emerging-threats, rules-threat-hunting): per log source, the documents accepted and
 * rejected; the rejections grouped by reason with example locations; and the import goal of issue
 * 15: at least 95 % of the rules whose log source the collector can receive are accepted. Rules
 * rejected as "not receivable" (receivable-logsources.ts) are left out of that denominator and
 * listed. The spec prints the report's tables;
 * `SIGMA_IMPORT_MD=<file> npx jest libs/sigma/test/sigmahq-import --selectProjects unit` also writes
 * them to <file>, as libs/sigma/SIGMA-IMPORT.md shows them.
 */

const receivableGoal = 0.95;

/** Three examples, different messages first (for "not receivable": different log sources). */
function pickExamples(all: readonly string[]): string[] {
  const message = (example: string) => example.slice(example.indexOf(' ('));
  const distinct = all.filter((example, i) => all.findIndex((other) => message(other) === message(example)) === i);
  return [...distinct, ...all.filter((example) => !distinct.includes(example))].slice(0, 3);
}

(sigmaHqPresent ? describe : describe.skip)('SigmaHQ import report', () => {
  const files = sigmaHqPresent ? sigmaHqRuleFiles() : [];
  const report = buildImportReport(files);
  const logsourceOf = new Map<string, string>();
  for (const rule of loadRules(files).rules) {
    const key =
      rule.kind === 'detection'
        ? ['product', 'service', 'category']
            .map((part) => rule.logsource[part as 'product'])
            .map((value) => value ?? '')
            .join('/')
        : '(correlation)';
    logsourceOf.set(`${rule.source.file}\u0000${rule.source.document}`, key);
  }
  const keyOf = (rule: { file: string; document: number }) => logsourceOf.get(`${rule.file}\u0000${rule.document}`) ?? '(not loaded)';
  const notReceivable = report.rejected.filter((rule) => rule.reasons.some((reason) => reasonCategory(reason) === 'not receivable'));
  const receivable = report.documents - notReceivable.length;
  const share = report.accepted.length / receivable;

  it('accepts at least 95 % of the rules whose log source the collector can receive', () => {
    const perLogsource = new Map<string, { accepted: number; rejected: number; notReceivable: number }>();
    const row = (key: string) => perLogsource.get(key) ?? perLogsource.set(key, { accepted: 0, rejected: 0, notReceivable: 0 }).get(key)!;
    for (const rule of report.accepted) row(keyOf(rule)).accepted++;
    for (const rule of report.rejected) row(keyOf(rule)).rejected++;
    for (const rule of notReceivable) row(keyOf(rule)).notReceivable++;

    const examples = new Map<string, string[]>();
    const counts = new Map<string, number>();
    for (const rule of report.rejected) {
      const seen = new Set<string>();
      for (const reason of rule.reasons) {
        const category = reasonCategory(reason);
        if (seen.has(category)) continue;
        seen.add(category);
        counts.set(category, (counts.get(category) ?? 0) + 1);
        const list = examples.get(category) ?? examples.set(category, []).get(category)!;
        list.push(`${reason.location.file}:${reason.location.line ?? '?'} (${reason.message})`);
      }
    }

    const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
    const markdown = [
      `SigmaHQ: ${report.documents} rule documents, ${report.accepted.length} accepted, ${report.rejected.length} rejected.`,
      `Receivable: ${receivable} (${notReceivable.length} not receivable); accepted of receivable: ${percent(share)} (goal ${percent(receivableGoal)}).`,
      '',
      '| log source (product/service/category) | accepted | rejected | of which not receivable |',
      '| --- | ---: | ---: | ---: |',
      ...[...perLogsource.entries()]
        .sort((a, b) => b[1].accepted + b[1].rejected - (a[1].accepted + a[1].rejected) || a[0].localeCompare(b[0]))
        .map(([key, r]) => `| ${key} | ${r.accepted} | ${r.rejected} | ${r.notReceivable} |`),
      '',
      '| rejected for | documents | examples |',
      '| --- | ---: | --- |',
      ...[...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([category, count]) => `| ${category} | ${count} | ${pickExamples(examples.get(category)!).join('<br>').replace(/\|/g, '\\|')} |`),
      '',
    ].join('\n');
    if (process.env.SIGMA_IMPORT_MD) writeFileSync(process.env.SIGMA_IMPORT_MD, markdown);
    process.stdout.write(`\n${markdown}`);

    expect(report.accepted.length + report.rejected.length).toBe(report.documents);
    expect(share).toBeGreaterThanOrEqual(receivableGoal);
  });

  it('rejects no Windows rule the collector can receive, except for reasons of the rule itself', () => {
    // The two left (one exploit's two rules): a placeholder (`|expand: '%known_cdcs%'`) listing a
    // deployment's own domain controllers, which no lookup fills in: the rule cannot be evaluated as written.
    const windows = report.rejected
      .filter((rule) => keyOf(rule).startsWith('windows/') && !notReceivable.includes(rule))
      .map((rule) => `${rule.file}: ${rule.reasons.map((r) => r.message).join('; ')}`)
      .sort();
    expect(windows).toEqual([
      "rules-emerging-threats/2026/Exploits/CVE-2026-54121/win_security_adcs_certighost_cdc_chase_request.yml: modifier 'expand' is not supported: placeholders need a lookup the engine does not have",
      "rules-emerging-threats/2026/Exploits/CVE-2026-54121/win_security_adcs_certighost_cert_issued_via_chase.yml: modifier 'expand' is not supported: placeholders need a lookup the engine does not have",
    ]);
  });
});
