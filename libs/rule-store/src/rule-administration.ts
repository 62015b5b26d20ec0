import { randomUUID } from 'node:crypto';
import type { RuleLevel } from '@soc/contracts';
import {
  documentKey,
  effectiveCatalogue,
  importRuleFiles,
  ruleEntryOf,
  ruleHandle,
  validateChange,
  type CatalogueSnapshot,
  type ChangeStamp,
  type EffectiveDocument,
  type EffectiveRule,
  type RuleDocument,
  type RuleImportReport,
  type RuleOrigin,
  type Tuning,
  type TuningInput,
} from '@soc/rule-catalogue';
import { formatRuleError, loadRules, type EngineOptions, type RuleError, type RuleFile } from '@soc/sigma';
import type { CatalogueChange, RuleCatalogueRepository } from './rule-catalogue.repository';

/** Who asks for a change, in which role, and the display name where the token named one. */
export interface RuleActor {
  sub: string;
  role: string;
  name?: string;
}

/** One change as the audit trail keeps it (the same shape alerting's audit entries have). */
export interface RuleAuditRecord {
  target: { type: 'rule' | 'rule_folder' | 'rule_tuning'; id: string };
  /** The member a member tuning is for, `global` otherwise. */
  organization: { id: string };
  actor: RuleActor;
  action: string;
  before?: unknown;
  after?: unknown;
  reason: string;
}

/** 404: no such rule, folder, tuning or custom rule. */
export class RuleNotFoundError extends Error {}
/** 422: the change does not compile; every located error is listed. */
export class RuleRefusedError extends Error {
  constructor(
    message: string,
    readonly errors: RuleError[],
  ) {
    super(`${message}:\n  - ${errors.map(formatRuleError).join('\n  - ')}`);
  }
}
/** 409: the change contradicts the catalogue (an id another document holds, deleting a rule that is not custom). */
export class RuleConflictError extends Error {}
/** 400: the change is not one this rule takes (a filter on a correlation rule, an unknown member). */
export class RuleChangeInvalidError extends Error {}

/** One rule as listed: what an analyst needs to find it and see how it runs. */
export interface RuleListing {
  id: string;
  title: string;
  kind: 'detection' | 'correlation';
  origin: RuleOrigin;
  document: string;
  folder: string;
  level?: RuleLevel;
  enabled: boolean;
  enabled_by: EffectiveRule['enabledBy'];
  version: string;
  author?: string;
  references: string[];
  licence?: string;
  tunings: number;
}

export interface RuleQuery {
  q?: string;
  origin?: RuleOrigin;
  /** Path prefix. */
  folder?: string;
  enabled?: boolean;
  level?: RuleLevel;
  offset?: number;
  limit?: number;
}

export interface RuleDetail extends RuleListing {
  /** The document's YAML as the correlators compile it (empty when all its rules are disabled). */
  effective_yaml: string;
  /** The document's YAML as stored. */
  source_yaml: string;
  level_override?: { level: RuleLevel; stamp: ChangeStamp };
  enablement?: { enabled: boolean; stamp: ChangeStamp };
  tuning_list: Tuning[];
}

function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

function listingOf(document: EffectiveDocument, rule: EffectiveRule): RuleListing {
  const { entry, provenance } = rule;
  return {
    id: ruleHandle(entry),
    title: entry.title,
    kind: entry.kind,
    origin: document.document.origin,
    document: document.document.key,
    folder: folderOf(document.document.path),
    level: rule.level ?? entry.level,
    enabled: rule.enabled,
    enabled_by: rule.enabledBy,
    version: provenance.version,
    author: entry.author,
    references: entry.references,
    ...(provenance.licence ? { licence: provenance.licence } : {}),
    tunings: rule.tunings.length,
  };
}

/**
 * The rule-management operations of the API and the CLI (docs/RULES.md): each reads the catalogue,
 * checks the change (a change that does not compile is refused with every located error, so it never
 * reaches a correlator), writes it at the revision it was checked on, and records it in the audit trail.
 */
export class RuleAdministration {
  constructor(
    private readonly repository: RuleCatalogueRepository,
    private readonly options: {
      engine: Partial<EngineOptions>;
      audit: (record: RuleAuditRecord) => Promise<void>;
      isMember: (id: string) => boolean;
      now?: () => Date;
    },
  ) {}

  private stamp(actor: RuleActor, why: string): ChangeStamp {
    return { by: actor.sub, at: (this.options.now?.() ?? new Date()).toISOString(), why };
  }

  async revision(): Promise<number> {
    return this.repository.revision();
  }

  async list(query: RuleQuery = {}): Promise<{ revision: number; total: number; rules: RuleListing[] }> {
    const snapshot = await this.repository.snapshot();
    const q = query.q?.toLowerCase();
    const all = effectiveCatalogue(snapshot)
      .flatMap((document) => document.rules.map((rule) => listingOf(document, rule)))
      .filter(
        (r) =>
          (q === undefined || r.id.toLowerCase().includes(q) || r.title.toLowerCase().includes(q) || r.document.toLowerCase().includes(q)) &&
          (query.origin === undefined || r.origin === query.origin) &&
          (query.folder === undefined || r.folder === query.folder || r.folder.startsWith(`${query.folder}/`)) &&
          (query.enabled === undefined || r.enabled === query.enabled) &&
          (query.level === undefined || r.level === query.level),
      );
    const offset = query.offset ?? 0;
    return { revision: snapshot.revision, total: all.length, rules: all.slice(offset, offset + (query.limit ?? 100)) };
  }

  async get(id: string): Promise<RuleDetail> {
    const snapshot = await this.repository.snapshot();
    const { document, rule } = findRule(effectiveCatalogue(snapshot), id);
    const level = snapshot.levels.find((l) => l.rule_id === id);
    const enablement = snapshot.rules.find((r) => r.target === id);
    return {
      ...listingOf(document, rule),
      effective_yaml: document.text,
      source_yaml: document.document.yaml,
      ...(level ? { level_override: { level: level.level, stamp: level.stamp } } : {}),
      ...(enablement ? { enablement: { enabled: enablement.enabled, stamp: enablement.stamp } } : {}),
      tuning_list: rule.tunings,
    };
  }

  /** Checks a candidate catalogue where the documents `changed` names differ; throws RuleRefusedError with every located error. */
  private check(candidate: CatalogueSnapshot, changed: Set<string>, what: string): void {
    const errors = validateChange(candidate, changed, this.options.engine);
    if (errors.length > 0) throw new RuleRefusedError(`${what} does not compile`, errors);
  }

  async setRuleEnabled(id: string, enabled: boolean, actor: RuleActor, why: string): Promise<{ revision: number; rule: RuleListing }> {
    let before: boolean | undefined;
    const stamp = this.stamp(actor, why);
    const { revision } = await this.repository.change((snapshot) => {
      const { document, rule } = findRule(effectiveCatalogue(snapshot), id);
      before = rule.enabled;
      const candidate = { ...snapshot, rules: [...snapshot.rules.filter((r) => r.target !== id), { target: id, enabled, stamp }] };
      this.check(candidate, new Set([document.document.key]), `${enabled ? 'enabling' : 'disabling'} ${id}`);
      return { change: { rules: new Map([[id, { target: id, enabled, stamp }]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule', id },
      organization: { id: 'global' },
      actor,
      action: enabled ? 'rule.enabled' : 'rule.disabled',
      before: { enabled: before },
      after: { enabled },
      reason: why,
    });
    const found = findRule(effectiveCatalogue(await this.repository.snapshot()), id);
    return { revision, rule: listingOf(found.document, found.rule) };
  }

  async setFolderEnabled(folder: string, enabled: boolean, actor: RuleActor, why: string): Promise<{ revision: number; rules: number }> {
    const stamp = this.stamp(actor, why);
    let count = 0;
    let before: boolean | undefined;
    const { revision } = await this.repository.change((snapshot) => {
      const inside = snapshot.documents.filter((d) => d.path.startsWith(`${folder}/`));
      if (inside.length === 0) throw new RuleNotFoundError(`no rule document under folder ${folder}`);
      count = inside.reduce((n, d) => n + d.rules.length, 0);
      before = snapshot.folders.find((f) => f.target === folder)?.enabled;
      const candidate = { ...snapshot, folders: [...snapshot.folders.filter((f) => f.target !== folder), { target: folder, enabled, stamp }] };
      this.check(candidate, new Set(inside.map((d) => d.key)), `${enabled ? 'enabling' : 'disabling'} folder ${folder}`);
      return { change: { folders: new Map([[folder, { target: folder, enabled, stamp }]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule_folder', id: folder },
      organization: { id: 'global' },
      actor,
      action: enabled ? 'rule_folder.enabled' : 'rule_folder.disabled',
      before: { enabled: before },
      after: { enabled },
      reason: why,
    });
    return { revision, rules: count };
  }

  /** `level` null removes the override (the rule's own level again). */
  async setLevel(id: string, level: RuleLevel | null, actor: RuleActor, why: string): Promise<{ revision: number }> {
    const stamp = this.stamp(actor, why);
    let before: RuleLevel | undefined;
    const { revision } = await this.repository.change((snapshot) => {
      const { rule } = findRule(effectiveCatalogue(snapshot), id);
      before = rule.level ?? rule.entry.level;
      return { change: { levels: new Map([[id, level === null ? null : { rule_id: id, level, stamp }]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule', id },
      organization: { id: 'global' },
      actor,
      action: level === null ? 'rule.level_reset' : 'rule.level_set',
      before: { level: before },
      after: { level },
      reason: why,
    });
    return { revision };
  }

  async addTuning(id: string, input: TuningInput, actor: RuleActor): Promise<{ revision: number; tuning: Tuning }> {
    if (input.member_id !== undefined && !this.options.isMember(input.member_id)) throw new RuleChangeInvalidError(`unknown member ${input.member_id}`);
    const tuning: Tuning = {
      id: randomUUID().slice(0, 8),
      rule_id: id,
      ...(input.member_id !== undefined ? { member_id: input.member_id } : {}),
      ...(input.filter !== undefined ? { filter: input.filter } : {}),
      ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
      ...(input.timespan !== undefined ? { timespan: input.timespan } : {}),
      stamp: this.stamp(actor, input.why),
    };
    const { revision } = await this.repository.change((snapshot) => {
      const { document, rule } = findRule(effectiveCatalogue(snapshot), id);
      if (tuning.filter !== undefined && rule.entry.kind !== 'detection') {
        throw new RuleChangeInvalidError(
          `${id} is a correlation rule: filter one of the rules it counts (${rule.entry.correlates.join(', ')}), or tune its threshold or timespan`,
        );
      }
      if ((tuning.threshold !== undefined || tuning.timespan !== undefined) && rule.entry.kind !== 'correlation') {
        throw new RuleChangeInvalidError(`${id} is a detection rule: a threshold or timespan tunes a correlation rule; filter it instead`);
      }
      this.check({ ...snapshot, tunings: [...snapshot.tunings, tuning] }, new Set([document.document.key]), `the tuning of ${id}`);
      return { change: { tunings: new Map([[tuning.id, tuning]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule_tuning', id: tuning.id },
      organization: { id: tuning.member_id ?? 'global' },
      actor,
      action: 'rule_tuning.added',
      after: tuning,
      reason: input.why,
    });
    return { revision, tuning };
  }

  async removeTuning(tuningId: string, actor: RuleActor, why: string): Promise<{ revision: number }> {
    let removed: Tuning | undefined;
    const { revision } = await this.repository.change((snapshot) => {
      removed = snapshot.tunings.find((t) => t.id === tuningId);
      if (!removed) throw new RuleNotFoundError(`no tuning ${tuningId}`);
      const document = findRule(effectiveCatalogue(snapshot), removed.rule_id).document;
      this.check({ ...snapshot, tunings: snapshot.tunings.filter((t) => t.id !== tuningId) }, new Set([document.document.key]), `removing tuning ${tuningId}`);
      return { change: { tunings: new Map([[tuningId, null]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule_tuning', id: tuningId },
      organization: { id: removed?.member_id ?? 'global' },
      actor,
      action: 'rule_tuning.removed',
      before: removed,
      reason: why,
    });
    return { revision };
  }

  /**
   * Adds or replaces a custom rule document (one file: a rule, or a correlation with its base
   * rules), stored as `custom/<first rule id>.yml`. Its ids must be new, or its own.
   */
  async putCustomRule(yaml: string, actor: RuleActor, why: string): Promise<{ revision: number; document: string; rules: string[]; created: boolean }> {
    const name = 'custom rule';
    const loaded = loadRules([{ name, text: yaml }]);
    if (loaded.errors.length > 0) throw new RuleRefusedError('the custom rule does not load', loaded.errors);
    const first = loaded.rules.find((r) => r.id !== undefined);
    if (!first?.id)
      throw new RuleRefusedError('the custom rule does not load', [
        { location: { file: name, document: 1, path: 'id' }, message: 'a custom rule needs an id' },
      ]);
    const key = documentKey('custom', `${first.id}.yml`);
    const stamp = this.stamp(actor, why);
    const document: Omit<RuleDocument, 'revision'> = { key, origin: 'custom', path: `${first.id}.yml`, yaml, rules: loaded.rules.map(ruleEntryOf), stamp };
    let created = false;
    const { revision } = await this.repository.change((snapshot) => {
      const ids = new Set(document.rules.flatMap((r) => [r.id, r.name].filter((n): n is string => n !== undefined)));
      const holder = snapshot.documents.find((d) => d.key !== key && d.rules.some((r) => ids.has(r.id ?? '') || ids.has(r.name ?? '')));
      if (holder) throw new RuleConflictError(`document ${holder.key} already holds a rule with an id or name of this rule`);
      created = !snapshot.documents.some((d) => d.key === key);
      const candidate = { ...snapshot, documents: [...snapshot.documents.filter((d) => d.key !== key), { ...document, revision: snapshot.revision + 1 }] };
      this.check(candidate, new Set([key]), `custom rule ${first.id}`);
      return { change: { documents: new Map([[key, document]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule', id: first.id },
      organization: { id: 'global' },
      actor,
      action: created ? 'rule.custom_added' : 'rule.custom_updated',
      after: { document: key, yaml },
      reason: why,
    });
    return { revision, document: key, rules: document.rules.map(ruleHandle), created };
  }

  async deleteCustomRule(id: string, actor: RuleActor, why: string): Promise<{ revision: number }> {
    let key = '';
    let yaml = '';
    const { revision } = await this.repository.change((snapshot) => {
      const { document } = findRule(effectiveCatalogue(snapshot), id);
      if (document.document.origin !== 'custom') throw new RuleConflictError(`${id} is a ${document.document.origin} rule: disable it instead of deleting it`);
      key = document.document.key;
      yaml = document.document.yaml;
      const candidate = { ...snapshot, documents: snapshot.documents.filter((d) => d.key !== key) };
      // Correlations of other documents that count this rule would lose it.
      const counting = snapshot.documents.filter(
        (d) =>
          d.key !== key &&
          d.rules.some((r) => document.document.rules.some((own) => r.correlates.includes(own.id ?? '') || r.correlates.includes(own.name ?? ''))),
      );
      this.check(candidate, new Set(counting.map((d) => d.key)), `deleting ${id}`);
      return { change: { documents: new Map([[key, null]]) }, result: undefined };
    });
    await this.options.audit({
      target: { type: 'rule', id },
      organization: { id: 'global' },
      actor,
      action: 'rule.custom_deleted',
      before: { document: key, yaml },
      reason: why,
    });
    return { revision };
  }

  /**
   * Imports a folder of rule files as documents of one origin. `replace`: the origin's documents no
   * longer in the folder are removed (the folder is the truth for that origin: our bundled rules).
   * Unchanged documents are not written, so a restart changes nothing. Answers the import report.
   */
  async importFolder(
    files: readonly RuleFile[],
    origin: RuleOrigin,
    actor: RuleActor,
    why: string,
    { replace = false }: { replace?: boolean } = {},
  ): Promise<{ revision: number; report: RuleImportReport; written: number; removed: number }> {
    const imported = importRuleFiles(files, origin, this.stamp(actor, why), this.options.engine);
    let written = 0;
    let removed = 0;
    const { revision } = await this.repository.change((snapshot) => {
      const existing = new Map(snapshot.documents.map((d) => [d.key, d]));
      const documents: NonNullable<CatalogueChange['documents']> = new Map();
      for (const document of imported.documents) if (existing.get(document.key)?.yaml !== document.yaml) documents.set(document.key, document);
      const keep = new Set(imported.documents.map((d) => d.key));
      if (replace) for (const d of snapshot.documents) if (d.origin === origin && !keep.has(d.key)) documents.set(d.key, null);
      written = [...documents.values()].filter((d) => d !== null).length;
      removed = documents.size - written;
      return documents.size === 0 ? undefined : { change: { documents }, result: undefined };
    });
    if (written + removed > 0) {
      await this.options.audit({
        target: { type: 'rule_folder', id: origin },
        organization: { id: 'global' },
        actor,
        action: 'rule.imported',
        after: { origin, files: imported.report.files, accepted: imported.report.accepted, written, removed },
        reason: why,
      });
    }
    return { revision, report: imported.report, written, removed };
  }
}

function findRule(documents: readonly EffectiveDocument[], id: string): { document: EffectiveDocument; rule: EffectiveRule } {
  for (const document of documents) {
    const rule = document.rules.find((r) => ruleHandle(r.entry) === id);
    if (rule) return { document, rule };
  }
  throw new RuleNotFoundError(`no rule ${id}`);
}
