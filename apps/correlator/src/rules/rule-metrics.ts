import { Gauge, type Registry } from 'prom-client';
import type { AppliedCatalogue } from './live-rules';

/**
 * The rule catalogue as this replica runs it, on the replica's /metrics: the revision applied (compare
 * it with `GET /v1/rules/revision` or another replica's), the rules running, the documents refused.
 */
export function ruleCatalogueMetrics(registry: Registry): (applied: AppliedCatalogue) => void {
  const registers = [registry];
  const revision = new Gauge({ name: 'soc_correlator_rule_catalogue_revision', help: 'Rule catalogue revision this replica runs', registers });
  const rules = new Gauge({ name: 'soc_correlator_rules_running', help: 'Rules compiled into the running rule set', registers });
  const refused = new Gauge({
    name: 'soc_correlator_rule_documents_refused',
    help: 'Rule documents whose latest text did not compile on this replica (their previous text runs, or none)',
    registers,
  });
  const compile = new Gauge({ name: 'soc_correlator_rule_compile_seconds', help: 'How long the last rule set build took', registers });
  return (applied) => {
    revision.set(applied.revision);
    rules.set(applied.rules);
    refused.set(applied.refused.length);
    compile.set(applied.compile_ms / 1000);
  };
}
