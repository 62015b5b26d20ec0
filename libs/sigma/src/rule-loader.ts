import type { RuleLevel } from '@soc/contracts';
import { LineCounter, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { RuleError, RuleSource } from './location';
import { CorrelationSpec, correlationRuleDocumentSchema, detectionRuleDocumentSchema, Logsource, ruleStatuses } from './rule.schema';

/** One rule file: its name (for error locations) and its YAML text. */
export interface RuleFile {
  name: string;
  text: string;
}

export interface RuleMetadata {
  title: string;
  id?: string;
  /** Sigma's human-readable handle that correlation rules may refer to instead of the id. */
  name?: string;
  status?: (typeof ruleStatuses)[number];
  description?: string;
  author?: string;
  references: string[];
  tags: string[];
  falsepositives: string[];
  level?: RuleLevel;
}

export interface SigmaDetectionRule extends RuleMetadata {
  kind: 'detection';
  source: RuleSource;
  logsource: Logsource;
  /** Search identifiers and `condition`, as written; given meaning by the detection compiler. */
  detection: Record<string, unknown>;
  /** The whole document, for custom attributes such as our embedded `tests`. */
  document: Record<string, unknown>;
}

export interface SigmaCorrelationRule extends RuleMetadata {
  kind: 'correlation';
  source: RuleSource;
  correlation: CorrelationSpec;
  /** Whether the referenced rules also produce detections of their own (Sigma's `generate`). */
  generate: boolean;
  crossMember: boolean;
  document: Record<string, unknown>;
}

export type SigmaRule = SigmaDetectionRule | SigmaCorrelationRule;

export interface LoadResult {
  rules: SigmaRule[];
  errors: RuleError[];
}

/**
 * Parses rule files (each may hold several YAML documents: a correlation rule and its base rules)
 * and checks every document against the schema. A bad document is reported and skipped; the others
 * still load, so one broken file never hides the problems of another.
 */
export function loadRules(files: readonly RuleFile[]): LoadResult {
  const rules: SigmaRule[] = [];
  const errors: RuleError[] = [];
  for (const file of files) {
    const lines = new LineCounter();
    const documents = parseAllDocuments(file.text, { lineCounter: lines, prettyErrors: false });
    if (!Array.isArray(documents)) continue; // an empty file holds no rules
    documents.forEach((yaml, index) => {
      const source = new RuleSource(file.name, index + 1, yaml, lines);
      if (yaml.errors.length > 0) {
        for (const problem of yaml.errors) {
          const start = lines.linePos(problem.pos[0]);
          errors.push({
            location: { file: file.name, document: index + 1, path: '(yaml)', line: start.line, column: start.col },
            message: `invalid YAML: ${problem.message.split('\n')[0]}`,
          });
        }
        return;
      }
      if (yaml.contents === null) return; // a stray `---` at the end of a file
      const result = readDocument(yaml.toJS({ maxAliasCount: 100 }), source);
      if ('rule' in result) rules.push(result.rule);
      else errors.push(...result.errors);
    });
  }
  return { rules, errors };
}

function readDocument(value: unknown, source: RuleSource): { rule: SigmaRule } | { errors: RuleError[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { errors: [source.error([], 'a rule document must be a map')] };
  }
  const document = value as Record<string, unknown>;
  if ('action' in document) {
    return { errors: [source.error(['action'], "Sigma 1 rule collections ('action: global/reset/repeat') are not supported; write one rule per document")] };
  }
  if ('filter' in document && !('detection' in document)) {
    return { errors: [source.error(['filter'], 'Sigma filter documents are not supported')] };
  }
  if ('detection' in document && 'correlation' in document) {
    return { errors: [source.error([], 'a document is either a detection rule (detection:) or a correlation rule (correlation:), not both')] };
  }
  if ('correlation' in document) return readCorrelationRule(document, source);
  if ('detection' in document) return readDetectionRule(document, source);
  return { errors: [source.error([], 'not a Sigma rule: neither detection: nor correlation: is present')] };
}

function readDetectionRule(document: Record<string, unknown>, source: RuleSource): { rule: SigmaRule } | { errors: RuleError[] } {
  const parsed = detectionRuleDocumentSchema.safeParse(document);
  if (!parsed.success) return { errors: schemaErrors(parsed.error, source) };
  const { logsource, detection, ...rest } = parsed.data;
  return {
    rule: { kind: 'detection', source, ...pickMetadata(rest), logsource, detection, document },
  };
}

function readCorrelationRule(document: Record<string, unknown>, source: RuleSource): { rule: SigmaRule } | { errors: RuleError[] } {
  const parsed = correlationRuleDocumentSchema.safeParse(document);
  if (!parsed.success) return { errors: schemaErrors(parsed.error, source) };
  const { correlation, generate, cross_member: crossMember, ...rest } = parsed.data;
  // The specification puts `generate` at the top level; some writers put it inside `correlation`.
  if (generate !== undefined && correlation.generate !== undefined && generate !== correlation.generate) {
    return { errors: [source.error(['generate'], 'generate is given twice (top level and in correlation) with different values')] };
  }
  return {
    rule: {
      kind: 'correlation',
      source,
      ...pickMetadata(rest),
      correlation,
      generate: generate ?? correlation.generate ?? false,
      crossMember: crossMember ?? false,
      document,
    },
  };
}

function pickMetadata(data: RuleMetadata & Record<string, unknown>): RuleMetadata {
  const { title, id, name, status, description, author, references, tags, falsepositives, level } = data;
  return { title, id, name, status, description, author, references, tags, falsepositives, level };
}

function schemaErrors(error: z.ZodError, source: RuleSource): RuleError[] {
  return error.issues.map((issue) =>
    source.error(
      issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      issue.message,
    ),
  );
}
