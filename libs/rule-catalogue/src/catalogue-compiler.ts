import { createHash } from 'node:crypto';
import { compileRules, loadRules, type EngineOptions, type LoadResult, type RuleError, type RuleSet, type SigmaRule } from '@soc/sigma';
import type { CatalogueSnapshot } from './catalogue.schema';
import { effectiveCatalogue, type EffectiveDocument, type RuleProvenance } from './effective-catalogue';

/** A rule set built from one catalogue revision, and what could not be built from it. */
export interface CompiledCatalogue {
  revision: number;
  ruleSet: RuleSet;
  /** Provenance of every running rule, by rule id (what detections and alerts name). */
  provenance: Map<string, RuleProvenance>;
  /** The effective text each document runs with, by document key (an older one where the new one failed). */
  applied: Map<string, AppliedDocument>;
  /** Documents whose effective text failed to load or compile, with every located error; they run their previous text, or not at all. */
  refused: Array<{ key: string; keptPrevious: boolean; errors: RuleError[] }>;
  /** Documents loaded (parsed and checked) for this build rather than taken from the cache. */
  parsed: number;
}

export interface AppliedDocument {
  text: string;
  provenance: Map<string, RuleProvenance>;
}

const textHash = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * Compiles catalogue snapshots into rule sets, incrementally: each document's parsed rules are
 * cached by its effective text's hash, so a change re-parses only the documents it changed (parsing
 * and checking is most of the cost of a large set: about 2 s of 2.7 s for SigmaHQ's 3,141 files).
 * Compiling into closures runs over the whole set: the compiled rules share field readers and the
 * needle index of one rule set.
 */
export class CatalogueCompiler {
  private cache = new Map<string, LoadResult>();

  constructor(private readonly options: Partial<EngineOptions>) {}

  /**
   * The rule set of a snapshot. A document whose effective text has errors keeps the text it ran
   * with before (`previous`, the last build's `applied`), or is left out when it has none; either
   * way it is listed in `refused` with its errors.
   */
  compile(snapshot: CatalogueSnapshot, previous: ReadonlyMap<string, AppliedDocument> = new Map()): CompiledCatalogue {
    const documents = effectiveCatalogue(snapshot);
    const used = new Map<string, LoadResult>();
    let parsed = 0;
    const load = (key: string, text: string): LoadResult => {
      const cacheKey = `${key}\u0000${textHash(text)}`;
      let result = this.cache.get(cacheKey);
      if (!result) {
        result = loadRules([{ name: key, text }]);
        parsed++;
      }
      used.set(cacheKey, result);
      return result;
    };

    const applied = new Map<string, AppliedDocument>();
    const refused: CompiledCatalogue['refused'] = [];
    const rulesOf = new Map<string, SigmaRule[]>();
    const refuse = (key: string, errors: RuleError[]): void => {
      const before = previous.get(key);
      const current = applied.get(key);
      if (before && before.text !== current?.text) {
        const loaded = load(key, before.text);
        if (loaded.errors.length === 0) {
          applied.set(key, before);
          rulesOf.set(key, loaded.rules);
          refused.push({ key, keptPrevious: true, errors });
          return;
        }
      }
      applied.delete(key);
      rulesOf.delete(key);
      refused.push({ key, keptPrevious: false, errors });
    };

    for (const document of documents) {
      if (document.text === '') continue;
      const key = document.document.key;
      applied.set(key, { text: document.text, provenance: provenanceOf(document) });
      const loaded = load(key, document.text);
      if (loaded.errors.length > 0) refuse(key, loaded.errors);
      else rulesOf.set(key, loaded.rules);
    }

    let compiled = compileRules([...rulesOf.values()].flat(), this.options);
    const failing = errorsByFile(compiled.errors);
    if (failing.size > 0) {
      for (const [key, errors] of failing) if (rulesOf.has(key)) refuse(key, errors);
      // Once more with the previous texts in place (a correlation may need its base rule back).
      compiled = compileRules([...rulesOf.values()].flat(), this.options);
      for (const [key, errors] of errorsByFile(compiled.errors)) {
        if (!failing.has(key)) refused.push({ key, keptPrevious: false, errors });
      }
    }

    this.cache = used;
    const provenance = new Map<string, RuleProvenance>();
    for (const document of applied.values()) for (const [id, p] of document.provenance) provenance.set(id, p);
    return { revision: snapshot.revision, ruleSet: compiled.ruleSet, provenance, applied, refused, parsed };
  }
}

function provenanceOf(document: EffectiveDocument): Map<string, RuleProvenance> {
  return new Map(document.rules.filter((r) => r.enabled && r.entry.id !== undefined).map((r) => [r.entry.id as string, r.provenance]));
}

function errorsByFile(errors: readonly RuleError[]): Map<string, RuleError[]> {
  const byFile = new Map<string, RuleError[]>();
  for (const error of errors) byFile.set(error.location.file, [...(byFile.get(error.location.file) ?? []), error]);
  return byFile;
}

/**
 * Whether a change may be stored: the effective documents it touches (`changed`, by key) compiled
 * with the documents they count and the documents counting them. Every located error comes back; an
 * empty list means the change compiles. (The rest of the catalogue compiled before and is untouched.)
 */
export function validateChange(candidate: CatalogueSnapshot, changed: ReadonlySet<string>, options: Partial<EngineOptions>): RuleError[] {
  const documents = effectiveCatalogue(candidate);
  const names = (d: EffectiveDocument): string[] => d.document.rules.flatMap((r) => [r.id, r.name].filter((n): n is string => n !== undefined));
  const counts = (d: EffectiveDocument): string[] => d.document.rules.flatMap((r) => r.correlates);
  const touched = documents.filter((d) => changed.has(d.document.key));
  const touchedNames = new Set(touched.flatMap(names));
  // The touched documents, the documents counting their rules, and every document defining a rule any of those count.
  const included = new Set(documents.filter((d) => changed.has(d.document.key) || counts(d).some((n) => touchedNames.has(n))));
  for (let grown = true; grown;) {
    grown = false;
    const counted = new Set([...included].flatMap(counts));
    for (const d of documents) {
      if (!included.has(d) && names(d).some((n) => counted.has(n))) {
        included.add(d);
        grown = true;
      }
    }
  }
  const neighbourhood = documents.filter((d) => included.has(d));
  const loaded = loadRules(neighbourhood.filter((d) => d.text !== '').map((d) => ({ name: d.document.key, text: d.text })));
  const compiled = compileRules(loaded.rules, options);
  return [...loaded.errors, ...compiled.errors];
}
