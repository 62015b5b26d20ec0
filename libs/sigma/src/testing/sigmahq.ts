import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { defaultEventLimits, parseEventBody, stampEvent } from '@soc/ingest';
import { parse } from 'yaml';
import { readRuleFiles } from '../rule-files';
import type { RuleFile } from '../rule-loader';

/**
 * Test support for SigmaHQ's whole rule set and its regression data (../shared/data/sigmahq, see its
 * SOURCE.md): the rule files as the engine loads them, and the regression events converted the way
 * the collector converts them.
 */
export const sigmaHqRoot = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'sigmahq');
export const sigmaHqPresent = existsSync(sigmaHqRoot);

/** The three rule folders SigmaHQ publishes; the rule names keep the folder (`rules/windows/...`). */
export const sigmaHqRuleFolders = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'] as const;

export function sigmaHqRuleFiles(): RuleFile[] {
  return sigmaHqRuleFolders.flatMap((folder) => readRuleFiles(join(sigmaHqRoot, folder)).map((file) => ({ name: `${folder}/${file.name}`, text: file.text })));
}

export interface RegressionTest {
  name?: string;
  type: string;
  /** SigmaHQ's convention: omitted means one match. */
  match_count?: number;
  path: string;
}

export interface RegressionCase {
  /** The case's folder under regression_data, which is the rule file's path without `.yml`. */
  name: string;
  folder: string;
  ruleId: string;
  ruleTitle: string;
  tests: RegressionTest[];
}

/** Every `info.yml` under regression_data, sorted by folder. */
export function regressionCases(): RegressionCase[] {
  const base = join(sigmaHqRoot, 'regression_data');
  return readdirSync(base, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('info.yml'))
    .sort()
    .map((path) => {
      const info = parse(readFileSync(join(base, path), 'utf8')) as {
        rule_metadata: { id: string; title: string }[];
        regression_tests_info?: RegressionTest[] | null;
      };
      const name = path.replace(/[\\/]info\.yml$/, '');
      return {
        name,
        folder: join(base, name),
        ruleId: info.rule_metadata[0].id,
        ruleTitle: info.rule_metadata[0].title,
        tests: info.regression_tests_info ?? [],
      };
    });
}

/**
 * SigmaHQ keeps each `.evtx` sample beside its JSON rendering (`evtx_dump -o json`): one or more
 * pretty-printed `{ "Event": ... }` documents one after another, not an array.
 */
export function evtxJsonDocuments(text: string): unknown[] {
  const documents: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && --depth === 0) {
      documents.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  if (depth !== 0) throw new Error('unbalanced JSON document');
  return documents;
}

const ingestNow = new Date('2026-12-02T00:00:00Z');

/**
 * Events as the collector makes them of JSON records posted to it (format `auto`: Windows records
 * recognised and normalised by libs/parsing, then stamped for one member). No event-time window:
 * the samples keep the time they were logged.
 */
export function collectorEvents(records: readonly unknown[], member = '0101'): SocEvent[] {
  if (records.length === 0) return [];
  const body = records.map((record) => JSON.stringify(record)).join('\n');
  const parsed = parseEventBody(body, defaultEventLimits, { format: 'auto', now: ingestNow, timeZone: 'UTC', plainText: false });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `line ${p.line}: ${p.path}: ${p.message}`).join('; '));
  return parsed.events.map((event) => stampEvent(event, member, ingestNow.toISOString(), undefined));
}
