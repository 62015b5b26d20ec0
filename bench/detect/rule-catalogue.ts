import { join } from 'node:path';
import { compileRules, formatRuleError, loadRules, readRuleFiles, type RuleSet } from '@soc/sigma';

/** The repository's rules/ folder (compiled to dist/bench/detect). */
export const rulesDirectory = join(__dirname, '..', '..', '..', 'rules');

/**
 * The rule set exactly as the correlator loads it (`readRuleFiles` + `loadRules` + `compileRules`),
 * with the file each rule came from: the bench names rules by file (`linux/credential_access_ssh_bruteforce`),
 * which says what they are and stays stable when ids do not.
 */
export class RuleCatalogue {
  readonly ruleSet: RuleSet;
  /** Rule id (or base-rule name) → file name without `.yml`. */
  private readonly fileOf = new Map<string, string>();
  /** Handles of rules that produce detections themselves (not only correlation base rules). */
  private readonly generating: Set<string>;

  constructor(directory = rulesDirectory) {
    const loaded = loadRules(readRuleFiles(directory));
    const compiled = compileRules(loaded.rules);
    const errors = [...loaded.errors, ...compiled.errors];
    if (errors.length > 0) throw new Error(`rules in ${directory} have errors:\n  - ${errors.map(formatRuleError).join('\n  - ')}`);
    this.ruleSet = compiled.ruleSet;
    for (const rule of loaded.rules) {
      const file = rule.source.file.replace(/\.ya?ml$/, '');
      if (rule.id !== undefined) this.fileOf.set(rule.id, file);
      if (rule.name !== undefined) this.fileOf.set(rule.name, file);
    }
    this.generating = new Set(this.ruleSet.rules.filter((r) => r.generates).map((r) => r.id));
  }

  /** A rule's file name, else the id itself (built-in rules: indicators, member origin, campaigns). */
  nameOf(idOrHandle: string, title?: string): string {
    return this.fileOf.get(idOrHandle) ?? (title !== undefined ? `built-in: ${title}` : idOrHandle);
  }

  /** The file names of the alerting single-event rules one event matches (base rules of correlations left out). */
  alertingMatches(event: Parameters<RuleSet['matchingRules']>[0]): string[] {
    return this.ruleSet
      .matchingRules(event)
      .filter((handle) => this.generating.has(handle))
      .map((handle) => this.nameOf(handle));
  }

  /** The file names of every rule one event matches, correlation base rules included. */
  allMatches(event: Parameters<RuleSet['matchingRules']>[0]): string[] {
    return [...new Set(this.ruleSet.matchingRules(event).map((handle) => this.nameOf(handle)))];
  }
}
