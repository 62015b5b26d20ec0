import type { AppConfig } from '@soc/config';
import { StructuredLogger } from '@soc/platform';
import type { RuleAdministration } from '@soc/rule-store';
import { formatRuleError, readRuleFiles } from '@soc/sigma';

const system = { sub: 'correlator', role: 'system' };

/**
 * At start: our bundled rules (RULES_DIR) and each third-party folder (SIGMA_RULE_DIRS) go into the
 * rule catalogue as documents of their origin; unchanged files are not written again, so a restart
 * (or a second replica starting) changes nothing. A bundled rule with an error stops the start, listing
 * every error, as before the catalogue; a third-party file with one is left out and reported.
 */
export async function seedRuleCatalogue(config: AppConfig, administration: RuleAdministration): Promise<void> {
  const logger = new StructuredLogger('RuleCatalogue');
  const bundled = await administration.importFolder(readRuleFiles(config.rulesDir), 'bundled', system, `bundled rules from ${config.rulesDir}`, { replace: true });
  if (bundled.report.rejected.length > 0) {
    const errors = bundled.report.rejected.flatMap((r) => r.errors.map(formatRuleError));
    throw new Error(`rules in ${config.rulesDir} have errors:\n  - ${errors.join('\n  - ')}`);
  }
  logger.info({ origin: 'bundled', dir: config.rulesDir, files: bundled.report.files, written: bundled.written, removed: bundled.removed, revision: bundled.revision }, 'rules imported');
  for (const { origin, dir } of config.ruleCatalogue.sigmaRuleDirs) {
    const imported = await administration.importFolder(readRuleFiles(dir), origin, system, `${origin} rules from ${dir}`, { replace: true });
    const { files, accepted, rules, reasons } = imported.report;
    logger.info(
      { origin, dir, files, accepted, rejected: files - accepted, rules, written: imported.written, removed: imported.removed, revision: imported.revision, reasons: reasons.slice(0, 10) },
      'rules imported',
    );
  }
}
