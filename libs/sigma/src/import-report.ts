import { RuleError } from './location';
import { compileRules } from './rule-compiler';
import { loadRules, RuleFile, SigmaRule } from './rule-loader';
import type { RuleSet } from './rule-set';

/**
 * What happens when a third-party Sigma rule set (SigmaHQ, Hayabusa, the specification's examples)
 * is loaded: which rule documents are accepted and, for each rejected one, every located reason.
 * Nothing is approximated, so the reasons are the engine's real gaps (or the rules' own).
 */
export interface ImportedRule {
  file: string;
  document: number;
  title?: string;
  id?: string;
}

export interface RejectedRule extends ImportedRule {
  reasons: RuleError[];
}

export interface ImportReport {
  /** Rule documents found (a multi-document file counts each document). */
  documents: number;
  accepted: ImportedRule[];
  rejected: RejectedRule[];
  /** Rejections per reason category, for the summary. */
  reasons: Record<string, number>;
  ruleSet: RuleSet;
}

export function buildImportReport(files: readonly RuleFile[]): ImportReport {
  const loaded = loadRules(files);
  const compiled = compileRules(loaded.rules);
  const errors = [...loaded.errors, ...compiled.errors];
  const inSet = new Set(compiled.ruleSet.rules.map((r) => r.id));

  const byDocument = new Map<string, RejectedRule>();
  const documentKey = (file: string, document: number): string => `${file}\u0000${document}`;
  for (const error of errors) {
    const key = documentKey(error.location.file, error.location.document);
    let rejected = byDocument.get(key);
    if (!rejected) {
      const rule = loaded.rules.find((r) => r.source.file === error.location.file && r.source.document === error.location.document);
      rejected = { file: error.location.file, document: error.location.document, title: rule?.title, id: rule?.id, reasons: [] };
      byDocument.set(key, rejected);
    }
    rejected.reasons.push(error);
  }

  const accepted: ImportedRule[] = [];
  for (const rule of loaded.rules) {
    const key = documentKey(rule.source.file, rule.source.document);
    if (byDocument.has(key)) continue;
    if (inSet.has(handleOf(rule))) {
      accepted.push({ file: rule.source.file, document: rule.source.document, title: rule.title, id: rule.id });
    } else {
      // Sound on its own, but it only feeds correlations that were rejected.
      byDocument.set(key, {
        file: rule.source.file,
        document: rule.source.document,
        title: rule.title,
        id: rule.id,
        reasons: [rule.source.error([], 'base rule of a correlation that was rejected, so nothing uses it')],
      });
    }
  }

  const rejected = [...byDocument.values()];
  const reasons: Record<string, number> = {};
  for (const rule of rejected) {
    for (const category of new Set(rule.reasons.map(reasonCategory))) reasons[category] = (reasons[category] ?? 0) + 1;
  }
  return { documents: accepted.length + rejected.length, accepted, rejected, reasons, ruleSet: compiled.ruleSet };
}

function handleOf(rule: SigmaRule): string {
  return rule.id ?? rule.name ?? rule.title;
}

/** A coarse label for a rejection message, for counting. */
export function reasonCategory(error: RuleError): string {
  const message = error.message;
  const rules: [RegExp, string][] = [
    [/^logsource .* is not receivable/, 'not receivable'],
    [/^unsupported logsource/, 'unsupported logsource'],
    [/has no mapping/, 'unmapped field'],
    [/modifier/, 'unsupported modifier'],
    [/legacy aggregation/, 'legacy aggregation syntax'],
    [/correlation type .* is not supported/, 'unsupported correlation type'],
    [/no loaded rule has the id or name|was rejected|chained correlations|nothing uses it/, 'unresolved or rejected rule reference'],
    [/is already used by/, 'duplicate id or name'],
    [/needs an id|level is required/, 'missing id or level'],
    [/^invalid YAML|not a Sigma rule|must be a map/, 'not a rule document'],
    [/condition/, 'unsupported condition'],
  ];
  for (const [pattern, label] of rules) if (pattern.test(message)) return label;
  return 'schema';
}
