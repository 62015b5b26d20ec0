// Public API of @soc/rule-store: the rule catalogue in Redis and the operations that change it (docs/RULES.md).
export { RuleCatalogueKeys } from './rule-catalogue.keys';
export { CatalogueBusyError, RuleCatalogueRepository, type CatalogueChange } from './rule-catalogue.repository';
export {
  RuleAdministration,
  RuleChangeInvalidError,
  RuleConflictError,
  RuleNotFoundError,
  RuleRefusedError,
  type RuleActor,
  type RuleAuditRecord,
  type RuleDetail,
  type RuleListing,
  type RuleQuery,
} from './rule-administration';
