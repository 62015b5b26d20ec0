import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { buildImportReport, compileRules, formatRuleError, loadRules, readRuleFiles, type RuleFile, type RuleSet } from '@soc/sigma';
import { evtxJsonDocuments } from '../../libs/sigma/src/testing/sigmahq';

/**
 * The whole SigmaHQ rule set as bench:engine runs it: every rule document the import report accepts
 * (whatever that count is when it runs), plus the project's own rules/, and the real Windows events
 * (OTRF datasets, SigmaHQ's regression events) the corpus is seeded with. See docs/PERFORMANCE.md.
 */
export const sharedData = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const sigmahq = join(sharedData, 'sigmahq');
const ruleFolders = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'];

/** SigmaHQ's rule files, named `<folder>/<path>` (regression_data is not a rule folder). */
export function sigmahqRuleFiles(): RuleFile[] {
  return ruleFolders.flatMap((folder) => readRuleFiles(join(sigmahq, folder)).map((f) => ({ name: `${folder}/${f.name}`, text: f.text })));
}

export interface SigmaConfiguration {
  ruleSet: RuleSet;
  /** Rule documents compiled: accepted SigmaHQ documents + our own. */
  rulesLoaded: number;
  sigmahqAccepted: number;
  sigmahqDocuments: number;
  /** Load (YAML + schema) and compile of those documents, wall-clock seconds. */
  compileSeconds: number;
}

/**
 * The accepted SigmaHQ documents (by the import report) and our own rules, loaded and compiled in one
 * rule set. The import report runs first and is not timed; the timed part is what the correlator does
 * with a rule set it is given: load the files, compile the rules.
 */
export function sigmaConfiguration(ourRulesDir: string): SigmaConfiguration {
  const sigmaFiles = sigmahqRuleFiles();
  const report = buildImportReport(sigmaFiles);
  const accepted = new Set(report.accepted.map((r) => `${r.file}\u0000${r.document}`));
  const acceptedFiles = new Set(report.accepted.map((r) => r.file));
  const ours = readRuleFiles(ourRulesDir).map((f) => ({ name: `rules/${f.name}`, text: f.text }));
  const files = [...sigmaFiles.filter((f) => acceptedFiles.has(f.name)), ...ours];
  const oursNames = new Set(ours.map((f) => f.name));
  const started = process.hrtime.bigint();
  const loaded = loadRules(files);
  const rules = loaded.rules.filter((r) => oursNames.has(r.source.file) || accepted.has(`${r.source.file}\u0000${r.source.document}`));
  const compiled = compileRules(rules);
  const compileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const errors = [
    ...loaded.errors.filter((e) => oursNames.has(e.location.file) || accepted.has(`${e.location.file}\u0000${e.location.document}`)),
    ...compiled.errors,
  ];
  if (errors.length > 0) throw new Error(errors.slice(0, 20).map(formatRuleError).join('\n'));
  return { ruleSet: compiled.ruleSet, rulesLoaded: rules.length, sigmahqAccepted: report.accepted.length, sigmahqDocuments: report.documents, compileSeconds };
}

/** A real Windows record as a forwarder sends it: NXLog's flat JSON (OTRF) or EVTX as JSON (SigmaHQ regression data). */
export interface RealWindowsRecord {
  source: string;
  record: Record<string, any>;
  /** For regression events: the rule id the event must match and how often (SigmaHQ's info.yml). */
  expects?: { ruleId: string; matchCount: number; events: number };
}

/** Every event of the OTRF datasets (JSON lines) and of SigmaHQ's regression data. */
export function realWindowsRecords(): RealWindowsRecord[] {
  const records: RealWindowsRecord[] = [];
  const otrf = join(sharedData, 'otrf-security-datasets');
  for (const name of readdirSync(otrf)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    for (const line of readFileSync(join(otrf, name), 'utf8').split('\n')) {
      if (line.trim() !== '') records.push({ source: `otrf/${name}`, record: JSON.parse(line) as Record<string, any> });
    }
  }
  return [...records, ...regressionRecords()];
}

/** SigmaHQ's regression events (EVTX as JSON), each with the rule it belongs to and its expected match count. */
export function regressionRecords(): RealWindowsRecord[] {
  const root = join(sigmahq, 'regression_data');
  const records: RealWindowsRecord[] = [];
  const infos = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((n) => n.endsWith('info.yml'))
    .sort();
  for (const info of infos) {
    const description = parse(readFileSync(join(root, info), 'utf8')) as {
      rule_metadata?: { id: string }[];
      regression_tests_info?: { type: string; match_count?: number }[];
    };
    const folder = join(root, dirname(info));
    for (const { id } of description.rule_metadata ?? []) {
      const test = description.regression_tests_info?.find((t) => t.type === 'evtx' && typeof t.match_count === 'number');
      let text: string;
      try {
        text = readFileSync(join(folder, `${id}.json`), 'utf8');
      } catch {
        continue;
      }
      const events = evtxJsonDocuments(text) as Record<string, any>[];
      events.forEach((record, n) => {
        // The expected count is of the whole file: carried by its first event.
        const expects = test && n === 0 ? { ruleId: id, matchCount: test.match_count!, events: events.length } : undefined;
        records.push({ source: relative(root, join(folder, `${id}.json`)), record, expects });
      });
    }
  }
  return records;
}

function sysmonUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/**
 * A copy of a real record moved to `time`: every time field the Windows parser reads is rewritten
 * (flat: `@timestamp`, `TimeCreated`, Sysmon's `UtcTime`; EVTX: `System.TimeCreated`, `UtcTime`).
 * Shallow copies only: the rest of the record is shared with the template.
 */
export function retimed(record: Record<string, any>, time: number): Record<string, unknown> {
  const iso = new Date(time).toISOString();
  const event = record.Event as Record<string, any> | undefined;
  if (event?.System !== undefined) {
    const data = event.EventData as Record<string, unknown> | null | undefined;
    return {
      Event: {
        ...event,
        System: { ...event.System, TimeCreated: { '#attributes': { SystemTime: iso } } },
        EventData: data && typeof data === 'object' && 'UtcTime' in data ? { ...data, UtcTime: sysmonUtc(iso) } : data,
      },
    };
  }
  const copy: Record<string, unknown> = { ...record, '@timestamp': iso, TimeCreated: iso };
  delete copy.EventTime;
  if ('UtcTime' in record) copy.UtcTime = sysmonUtc(iso);
  return copy;
}
