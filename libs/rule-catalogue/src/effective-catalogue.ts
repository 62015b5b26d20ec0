import { createHash } from 'node:crypto';
import type { RuleLevel } from '@soc/contracts';
import { parseAllDocuments, stringify } from 'yaml';
import { type CatalogueSnapshot, originLicences, type RuleDocument, type RuleEntry, type RuleOrigin, type Tuning } from './catalogue.schema';

/** What a rule's detections and alerts name: its version, where it came from and under which licence. */
export interface RuleProvenance {
  version: string;
  origin: RuleOrigin;
  licence?: string;
}

/** One rule as the catalogue runs it. */
export interface EffectiveRule {
  entry: RuleEntry;
  enabled: boolean;
  /** Why it is enabled or not: its own setting, a folder's, base rule of no enabled correlation, or the default. */
  enabledBy: 'rule' | 'folder' | 'base_rule' | 'default';
  level?: RuleLevel;
  tunings: Tuning[];
  provenance: RuleProvenance;
}

/** One rule document as the correlators compile it: the text after overrides and tunings. */
export interface EffectiveDocument {
  document: RuleDocument;
  /** The effective YAML: the stored text itself when nothing applies to it; empty when every rule in it is disabled. */
  text: string;
  /** Short content hash of the effective text and the document's revision: every rule of the document carries it. */
  version: string;
  rules: EffectiveRule[];
}

/** The folder of a path and each of its parents, longest first: `a/b/c.yml` → `a/b`, `a`. */
function foldersOf(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
}

/** `<sha256 of text and revision>`, 12 hex digits. */
export function ruleVersion(text: string, revision: number): string {
  return createHash('sha256').update(text).update(`\u0000${revision}`).digest('hex').slice(0, 12);
}

/** The id a rule is managed by: its id, else its name (base rules), else its title. */
export function ruleHandle(entry: RuleEntry): string {
  return entry.id ?? entry.name ?? entry.title;
}

/**
 * Applies the snapshot's enablement, level overrides and tunings to every document. A rule is
 * enabled by its own setting, else by the longest folder prefix of its document's path that has
 * one, else by default. A detection rule that some correlation counts but no enabled correlation
 * does is left out too: it is a base rule, and alone it would start raising detections of its own.
 */
export function effectiveCatalogue(snapshot: CatalogueSnapshot): EffectiveDocument[] {
  const ruleSettings = new Map(snapshot.rules.map((r) => [r.target, r.enabled]));
  const folderSettings = new Map(snapshot.folders.map((f) => [f.target, f.enabled]));
  const levels = new Map(snapshot.levels.map((l) => [l.rule_id, l.level]));
  const tunings = new Map<string, Tuning[]>();
  for (const tuning of snapshot.tunings) tunings.set(tuning.rule_id, [...(tunings.get(tuning.rule_id) ?? []), tuning]);

  const enablement = (document: RuleDocument, entry: RuleEntry): Pick<EffectiveRule, 'enabled' | 'enabledBy'> => {
    const own = ruleSettings.get(ruleHandle(entry));
    if (own !== undefined) return { enabled: own, enabledBy: 'rule' };
    for (const folder of foldersOf(document.path)) {
      const setting = folderSettings.get(folder);
      if (setting !== undefined) return { enabled: setting, enabledBy: 'folder' };
    }
    return { enabled: true, enabledBy: 'default' };
  };

  const first = snapshot.documents.map((document) => ({ document, states: document.rules.map((entry) => ({ entry, ...enablement(document, entry) })) }));
  const counted = new Set<string>();
  const countedByEnabled = new Set<string>();
  for (const { states } of first) {
    for (const { entry, enabled } of states) {
      if (entry.kind !== 'correlation') continue;
      for (const reference of entry.correlates) {
        counted.add(reference);
        if (enabled) countedByEnabled.add(reference);
      }
    }
  }
  const isOrphanedBase = (entry: RuleEntry): boolean => {
    const names = [entry.id, entry.name].filter((n): n is string => n !== undefined);
    return entry.kind === 'detection' && names.some((n) => counted.has(n)) && !names.some((n) => countedByEnabled.has(n));
  };

  return first.map(({ document, states }) => {
    const rules = states.map((state) => {
      const handle = ruleHandle(state.entry);
      const orphaned = state.enabled && isOrphanedBase(state.entry);
      return {
        entry: state.entry,
        enabled: state.enabled && !orphaned,
        enabledBy: orphaned ? ('base_rule' as const) : state.enabledBy,
        level: levels.get(handle),
        tunings: tunings.get(handle) ?? [],
      };
    });
    const text = effectiveText(document, rules);
    const version = ruleVersion(text, document.revision);
    const licence = originLicences[document.origin];
    const provenance: RuleProvenance = { version, origin: document.origin, ...(licence ? { licence } : {}) };
    return { document, text, version, rules: rules.map((r) => ({ ...r, provenance })) };
  });
}

type RuleChange = Pick<EffectiveRule, 'entry' | 'enabled' | 'level' | 'tunings'>;

/** The stored text when nothing applies to the document; otherwise its documents re-written with the changes. */
function effectiveText(document: RuleDocument, rules: readonly RuleChange[]): string {
  if (rules.every((r) => r.enabled && r.level === undefined && r.tunings.length === 0)) return document.yaml;
  if (rules.every((r) => !r.enabled)) return '';
  const parts: string[] = [];
  for (const yaml of parseAllDocuments(document.yaml)) {
    if (yaml.contents === null) continue;
    const value = yaml.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
    const rule = rules.find((r) => matchesEntry(value, r.entry));
    if (rule === undefined) {
      parts.push(stringify(value));
      continue;
    }
    if (!rule.enabled) continue;
    parts.push(stringify(applyChanges(value, rule)));
  }
  return parts.join('---\n');
}

function matchesEntry(value: Record<string, unknown>, entry: RuleEntry): boolean {
  if (entry.id !== undefined) return value.id === entry.id;
  if (entry.name !== undefined) return value.name === entry.name;
  return value.title === entry.title;
}

/** The tuning's selection name in the effective document: its id, so errors name the tuning. */
export function tuningSelectionName(tuning: Pick<Tuning, 'id'>): string {
  return `tuning_${tuning.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Level override and tunings on one rule document. A filter becomes a selection of its own
 * (`tuning_<id>`, with `organization.id` for a member's tuning) and the condition becomes
 * `(<condition>) and not tuning_<id> …`; a threshold or timespan replaces the correlation's.
 */
export function applyChanges(value: Record<string, unknown>, rule: Pick<EffectiveRule, 'level' | 'tunings'>): Record<string, unknown> {
  const document: Record<string, unknown> = { ...value };
  if (rule.level !== undefined) document.level = rule.level;
  const filters = rule.tunings.filter((t) => t.filter !== undefined);
  if (filters.length > 0) {
    const detection = { ...((document.detection ?? {}) as Record<string, unknown>) };
    for (const tuning of filters) {
      detection[tuningSelectionName(tuning)] = tuning.member_id === undefined ? tuning.filter : { ...tuning.filter, 'organization.id': tuning.member_id };
    }
    const condition = detection.condition;
    const conditions = Array.isArray(condition) ? condition.map(String) : [String(condition ?? '')];
    const original = conditions.length === 1 ? conditions[0] : conditions.map((c) => `(${c})`).join(' or ');
    detection.condition = `(${original})${filters.map((t) => ` and not ${tuningSelectionName(t)}`).join('')}`;
    document.detection = detection;
  }
  const thresholds = rule.tunings.filter((t) => t.threshold !== undefined || t.timespan !== undefined);
  if (thresholds.length > 0) {
    const correlation = { ...((document.correlation ?? {}) as Record<string, unknown>) };
    // The latest tuning of each wins (tunings are kept in the order they were added).
    for (const tuning of thresholds) {
      if (tuning.threshold !== undefined) correlation.condition = { gte: tuning.threshold };
      if (tuning.timespan !== undefined) correlation.timespan = tuning.timespan;
    }
    document.correlation = correlation;
  }
  return document;
}

/** Provenance of every enabled rule by the id its detections carry. */
export function provenanceByRule(documents: readonly EffectiveDocument[]): Map<string, RuleProvenance> {
  const byRule = new Map<string, RuleProvenance>();
  for (const document of documents)
    for (const rule of document.rules) if (rule.enabled && rule.entry.id !== undefined) byRule.set(rule.entry.id, rule.provenance);
  return byRule;
}
