// Public API of @soc/rule-catalogue: rules as data (docs/RULES.md). Pure: the Redis store is @soc/rule-store.
export {
  changeStampSchema,
  emptySnapshot,
  enablementSchema,
  levelOverrideSchema,
  originLicences,
  ruleDocumentSchema,
  ruleEntrySchema,
  ruleOrigins,
  rulePathSchema,
  tuningFilterSchema,
  tuningInputSchema,
  tuningSchema,
} from './catalogue.schema';
export type { CatalogueSnapshot, ChangeStamp, Enablement, LevelOverride, RuleDocument, RuleEntry, RuleOrigin, Tuning, TuningInput } from './catalogue.schema';
export { applyChanges, effectiveCatalogue, provenanceByRule, ruleHandle, ruleVersion, tuningSelectionName } from './effective-catalogue';
export type { EffectiveDocument, EffectiveRule, RuleProvenance } from './effective-catalogue';
export { CatalogueCompiler, validateChange } from './catalogue-compiler';
export type { AppliedDocument, CompiledCatalogue } from './catalogue-compiler';
export { documentKey, importRuleFiles, reasonOf, ruleEntryOf } from './rule-import';
export type { RuleImport, RuleImportReport } from './rule-import';
