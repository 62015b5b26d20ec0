import { compileRules, loadRules, type EngineOptions, type RuleError, type RuleFile, type SigmaRule } from '@soc/sigma';
import type { ChangeStamp, RuleDocument, RuleEntry, RuleOrigin } from './catalogue.schema';

/** What importing a folder of rule files gave: the documents to store and every file refused, with why. */
export interface RuleImport {
  documents: Array<Omit<RuleDocument, 'revision'>>;
  report: RuleImportReport;
}

export interface RuleImportReport {
  origin: RuleOrigin;
  files: number;
  accepted: number;
  rules: number;
  rejected: Array<{ file: string; errors: RuleError[] }>;
  /** Rejected files per reason (the first error's message with quoted values elided), most frequent first. */
  reasons: Array<{ reason: string; files: number }>;
}

/** The catalogue key of a file of an origin. */
export function documentKey(origin: RuleOrigin, path: string): string {
  return `${origin}/${path}`;
}

/** What the catalogue lists of a loaded rule. */
export function ruleEntryOf(rule: SigmaRule): RuleEntry {
  return {
    id: rule.id,
    name: rule.name,
    title: rule.title,
    kind: rule.kind,
    level: rule.level,
    author: rule.author,
    references: rule.references,
    correlates: rule.kind === 'correlation' ? rule.correlation.rules : [],
  };
}

/**
 * Reads rule files as catalogue documents of one origin: every file is loaded and compiled with
 * the others (correlations count rules of other files); a file with any error is refused whole,
 * with its located errors, and never stored. Files are named by their path in the folder.
 */
export function importRuleFiles(files: readonly RuleFile[], origin: RuleOrigin, stamp: ChangeStamp, options: Partial<EngineOptions> = {}): RuleImport {
  const loaded = loadRules(files);
  const compiled = compileRules(loaded.rules, options);
  const errorsByFile = new Map<string, RuleError[]>();
  for (const error of [...loaded.errors, ...compiled.errors]) errorsByFile.set(error.location.file, [...(errorsByFile.get(error.location.file) ?? []), error]);
  const rulesByFile = new Map<string, SigmaRule[]>();
  for (const rule of loaded.rules) rulesByFile.set(rule.source.file, [...(rulesByFile.get(rule.source.file) ?? []), rule]);

  const documents: RuleImport['documents'] = [];
  const rejected: RuleImportReport['rejected'] = [];
  for (const file of files) {
    const errors = errorsByFile.get(file.name);
    const rules = rulesByFile.get(file.name) ?? [];
    if (errors) rejected.push({ file: file.name, errors });
    else if (rules.length === 0)
      rejected.push({ file: file.name, errors: [{ location: { file: file.name, document: 1, path: '(document)' }, message: 'the file holds no rule' }] });
    else documents.push({ key: documentKey(origin, file.name), origin, path: file.name, yaml: file.text, rules: rules.map(ruleEntryOf), stamp });
  }
  const reasons = new Map<string, number>();
  for (const { errors } of rejected) {
    const reason = reasonOf(errors[0].message);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return {
    documents,
    report: {
      origin,
      files: files.length,
      accepted: documents.length,
      rules: documents.reduce((n, d) => n + d.rules.length, 0),
      rejected,
      reasons: [...reasons].map(([reason, count]) => ({ reason, files: count })).sort((a, b) => b.files - a.files || a.reason.localeCompare(b.reason)),
    },
  };
}

/** A message with its quoted values elided, so rejections of one kind group together. */
export function reasonOf(message: string): string {
  return message.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"');
}
